package dev.parley.app.engine.api;

/** Where the user stands in a room: invited and not in it yet, in it, or out of it (left, declined or removed). */
public enum RoomStatus { INVITED, JOINED, LEFT }
