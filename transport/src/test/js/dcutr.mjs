import { pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { Circuit, TCP } from '@multiformats/multiaddr-matcher'
// @libp2p/dcutr exports only its service; its message codec is read from the package's file so that the
// exchange below is encoded and decoded by js-libp2p's own code, not ours.
import { HolePunch } from './node_modules/@libp2p/dcutr/dist/src/pb/message.js'

// DCUtR commands for peer.mjs.
//
// dcutr:exchange plays B by hand with js's codec over the relayed connection to a peer: CONNECT, CONNECT back,
// SYNC, after which that peer (A) dials us. It needs no --dcutr (the service would start its own attempt).

const MAX_DCUTR_MESSAGE_SIZE = 4096
const EXCHANGE_TIMEOUT_MS = 10_000

export function dcutrCommands (node) {
  return {
    async 'dcutr:exchange' (command) {
      const relayed = node.getConnections().find(connection =>
        connection.remotePeer.toString() === command.peerId && Circuit.exactMatch(connection.remoteAddr))
      if (relayed == null) {
        throw new Error(`no relayed connection to ${command.peerId}`)
      }
      const ours = command.addrs ?? node.getMultiaddrs().filter(address => TCP.exactMatch(address)).map(String)
      const options = { signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS) }
      const stream = await relayed.newStream(['/libp2p/dcutr'], { ...options, runOnLimitedConnection: true })
      const messages = pbStream(stream, { maxDataLength: MAX_DCUTR_MESSAGE_SIZE }).pb(HolePunch)
      const sent = performance.now()
      await messages.write({ type: HolePunch.Type.CONNECT, observedAddresses: ours.map(a => multiaddr(a).bytes) },
        options)
      const answer = await messages.read(options)
      const rttMs = performance.now() - sent
      await messages.write({ type: HolePunch.Type.SYNC, observedAddresses: [] }, options)
      await stream.close(options)
      return {
        sent: ours,
        type: answer.type,
        addrs: answer.observedAddresses.map(bytes => multiaddr(bytes).toString()),
        rttMs
      }
    }
  }
}
