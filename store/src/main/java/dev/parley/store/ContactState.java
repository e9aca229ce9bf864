package dev.parley.store;

/** Where a peer stands with the user: an accepted contact, a first-contact request awaiting a choice, or blocked. */
public enum ContactState { ACCEPTED, REQUEST, BLOCKED }
