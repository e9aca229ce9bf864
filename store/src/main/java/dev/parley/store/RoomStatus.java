package dev.parley.store;

/** Where this user stands in a room: invited and not yet answered, a member, or gone (left, declined or removed). */
public enum RoomStatus { INVITED, JOINED, LEFT }
