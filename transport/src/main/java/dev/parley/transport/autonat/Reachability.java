package dev.parley.transport.autonat;

/** Whether peers on the internet can dial this node, as AutoNAT found out. */
public enum Reachability {
    /** Not enough answers yet. */
    UNKNOWN,
    /** Enough servers dialled us back. */
    PUBLIC,
    /** Enough servers tried to dial us back and failed: a NAT or firewall is in the way. */
    PRIVATE
}
