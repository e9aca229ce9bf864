import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
// @libp2p/peer-record comes with libp2p and the relay (which seals vouchers with it); package.json stays as it is.
import { RecordEnvelope } from '@libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'
import { dial, echo } from './protocols.mjs'

// Circuit relay v2 commands for peer.mjs. js-libp2p marks relayed connections "limited" and opens streams
// on them only when the caller says so (runOnLimitedConnection), hence the wrapper in relay:echo.

const CIRCUIT_ADDRS_TIMEOUT_MS = 10_000

export function relayCommands (node) {
  return {
    async 'relay:echo' (command) {
      const connection = await dial(node, multiaddr(command.addr))
      // What the relay's limit leaves of the circuit once the handshake has crossed it; null if it named none.
      const bytesLeft = connection.limits?.bytes == null ? null : Number(connection.limits.bytes)
      const onLimited = {
        newStream: (protocol, options) => connection.newStream(protocol, { ...options, runOnLimitedConnection: true })
      }
      const bytes = await echo(onLimited, randomBytes(command.bytes))
      return { bytes, remoteAddr: connection.remoteAddr.toString(), limited: connection.limits != null, bytesLeft }
    },
    async 'relay:circuitAddrs' () {
      const deadline = Date.now() + CIRCUIT_ADDRS_TIMEOUT_MS
      for (;;) {
        const addrs = node.getMultiaddrs().map(String).filter(addr => addr.includes('/p2p-circuit'))
        if (addrs.length > 0) {
          return { addrs }
        }
        if (Date.now() > deadline) {
          throw new Error(`no reservation within ${CIRCUIT_ADDRS_TIMEOUT_MS} ms`)
        }
        await sleep(50)
      }
    },
    async 'relay:openVoucher' (command) {
      const envelope = await RecordEnvelope.openAndCertify(Buffer.from(command.envelope, 'hex'), 'libp2p-relay-rsvp')
      return {
        signer: peerIdFromPublicKey(envelope.publicKey).toString(),
        payloadType: Buffer.from(envelope.payloadType).toString('hex'),
        payload: Buffer.from(envelope.payload).toString('hex')
      }
    },
    async 'relay:reservations' () {
      return { peers: [...node.services.relay.reservations.keys()].map(String) }
    }
  }
}
