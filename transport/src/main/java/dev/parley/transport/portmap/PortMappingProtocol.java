package dev.parley.transport.portmap;

/** The ways a home router can be asked to forward a port to us. */
public enum PortMappingProtocol {
    /** UPnP Internet Gateway Device: found by SSDP multicast on the LAN, asked over SOAP/HTTP. */
    UPNP_IGD,
    /** PCP (RFC 6887), NAT-PMP's successor: UDP to the default gateway's port 5351. */
    PCP,
    /** NAT-PMP (RFC 6886): UDP to the default gateway's port 5351. */
    NAT_PMP
}
