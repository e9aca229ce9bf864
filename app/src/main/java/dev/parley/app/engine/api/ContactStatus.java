package dev.parley.app.engine.api;

/** Where a peer stands with the user: an accepted contact, a stranger who wrote first and waits, or blocked. */
public enum ContactStatus { ACCEPTED, REQUEST, BLOCKED }
