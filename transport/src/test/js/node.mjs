// The js-libp2p 3 node that Parley's interop tests talk to: TCP and WebSocket, Noise, Yamux, identify
// (+push), ping, perf, a test echo protocol and the circuit relay transport; mDNS discovery, the Kademlia
// DHT, AutoNAT, a circuit relay server and DCUtR when asked for. Limits are raised so that tests, not js
// defaults, decide how hard to push.
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { kadDHT } from '@libp2p/kad-dht'
import { webSockets } from '@libp2p/websockets'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { identify, identifyPush } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { ECHO_PROTOCOL, PERF_PROTOCOL, handleEcho, handlePerf } from './protocols.mjs'

/** Echo streams allowed per connection and direction; the tests open up to 1,000. */
export const MAX_ECHO_STREAMS = 1024

// Echo streams plus identify, ping, perf and the connection monitor's ping.
const MAX_MUXED_STREAMS = MAX_ECHO_STREAMS + 128

// Above Yamux's largest receive window (16 MiB), so a paused stream is never reset for buffering what the
// window allowed the remote to send.
const MAX_READ_BUFFER = 32 * 1024 * 1024

/**
 * Creates and starts a node.
 *
 * @param {object} options
 * @param {string} [options.keyHex] - a libp2p protobuf private key, hex; a fresh Ed25519 key when absent
 * @param {'RSA'|'secp256k1'} [options.keyType] - without keyHex, a fresh key of this type instead
 * @param {string[]} [options.listen] - multiaddrs to listen on; none for a dial-only node
 * @param {number} [options.mdnsInterval] - runs @libp2p/mdns, querying every this many ms; no mDNS when absent.
 *   It joins 224.0.0.251:5353 on every interface: only ever ask for it inside a test's network namespace.
 * @param {'server'|'client'} [options.kad] - runs the Kademlia DHT (/ipfs/kad/1.0.0) in that mode; none when absent
 * @param {boolean} [options.autonat] - runs the AutoNAT v1 service (client and server)
 * @param {boolean} [options.relayServer] - serves circuit relay v2 hop: reservations and circuits
 * @param {boolean} [options.dcutr] - runs DCUtR, upgrading relayed connections to direct ones
 */
export async function startNode ({ keyHex, keyType, listen = [], mdnsInterval, kad, autonat, relayServer, dcutr: holePunch } = {}) {
  const services = {
    identify: identify({ maxOutboundStreams: 4, maxInboundStreams: 4 }),
    identifyPush: identifyPush(),
    ping: ping()
  }
  if (kad != null) {
    services.dht = kadDHT({
      protocol: '/ipfs/kad/1.0.0',
      clientMode: kad === 'client',
      // The tests' networks are loopback and 10.200.0.0/16: keep every address js would call private.
      peerInfoMapper: (peer) => peer,
      allowQueryWithZeroPeers: true
    })
  }
  if (autonat === true) {
    services.autonat = autoNAT()
  }
  if (relayServer === true) {
    services.relay = circuitRelayServer()
  }
  if (holePunch === true) {
    services.dcutr = dcutr()
  }
  const node = await createLibp2p({
    privateKey: keyHex != null
      ? privateKeyFromProtobuf(Buffer.from(keyHex, 'hex'))
      : keyType != null ? await generateKeyPair(keyType) : undefined,
    addresses: { listen },
    peerDiscovery: mdnsInterval == null ? [] : [mdns({ interval: mdnsInterval })],
    transports: [tcp(), webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({
      maxInboundStreams: MAX_MUXED_STREAMS,
      maxOutboundStreams: MAX_MUXED_STREAMS,
      streamOptions: { maxReadBufferLength: MAX_READ_BUFFER }
    })],
    connectionManager: {
      maxConnections: 1024,
      maxIncomingPendingConnections: 256,
      // js refuses more than 5 inbound connections a second from one host by default; benchmarks open many.
      inboundConnectionThreshold: 100_000
    },
    // js pings every connection and, by default, aborts it when a ping is not answered within 5 s (an adaptive
    // timeout's floor). A loopback connection carrying 1,000 echo streams on a busy 2-core machine can be that slow
    // to answer, and its streams then fail with "The operation was aborted due to timeout". The pings still run.
    connectionMonitor: { abortConnectionOnPingFailure: false },
    services
  })
  await node.handle(ECHO_PROTOCOL, handleEcho, {
    maxInboundStreams: MAX_ECHO_STREAMS,
    maxOutboundStreams: MAX_ECHO_STREAMS,
    // Relayed connections are "limited" in js; the relay interop tests echo over them.
    runOnLimitedConnection: true
  })
  await node.handle(PERF_PROTOCOL, handlePerf, { maxInboundStreams: 64, maxOutboundStreams: 64 })
  return node
}
