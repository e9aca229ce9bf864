package dev.parley.store;

/** A room member's role: admins sign membership changes. */
public enum RoomRole { MEMBER, ADMIN }
