package dev.parley.app.engine.room;

/** A member's role: admins sign changes of membership, name and roles; any member may leave. */
public enum RoomRole { MEMBER, ADMIN }
