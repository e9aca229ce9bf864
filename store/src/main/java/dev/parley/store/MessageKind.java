package dev.parley.store;

/**
 * What a message is: text a person wrote, or a notice the app shows in the conversation (joined, renamed…), whose
 * body is a {@link Notice}.
 */
public enum MessageKind { TEXT, NOTICE }
