import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { dial } from './protocols.mjs'

// Kademlia DHT commands for peer.mjs (the node must run with --kad). Keys are multihashes in hex, as Parley's
// KadDht.peerKey makes them; js wraps each in a CIDv1 with the raw codec (0x55), whose multihash is what goes
// on the wire. The commands call the DHT service itself, not node.peerRouting, which would answer from the
// peer store without asking the DHT.

const RAW_CODEC = 0x55

function cidOf (keyHex) {
  return CID.createV1(RAW_CODEC, Digest.decode(Buffer.from(keyHex, 'hex')))
}

async function drain (events) {
  for await (const event of events) {
    void event
  }
}

function describePeer (peer) {
  return { peerId: peer.id.toString(), addrs: peer.multiaddrs.map(String) }
}

export function kadCommands (node) {
  return {
    async 'kad:addPeer' (command) {
      const connection = await dial(node, multiaddr(command.addr))
      await node.services.dht.routingTable.add(connection.remotePeer)
      return { peerId: connection.remotePeer.toString(), tableSize: node.services.dht.routingTable.size }
    },
    async 'kad:findPeer' (command) {
      for await (const event of node.services.dht.findPeer(peerIdFromString(command.peerId))) {
        if (event.name === 'FINAL_PEER') {
          return describePeer(event.peer)
        }
      }
      throw new Error(`the DHT did not find ${command.peerId}`)
    },
    async 'kad:provide' (command) {
      await drain(node.services.dht.provide(cidOf(command.key)))
      return {}
    },
    async 'kad:findProviders' (command) {
      const providers = new Map()
      for await (const event of node.services.dht.findProviders(cidOf(command.key))) {
        if (event.name === 'PROVIDER') {
          event.providers.forEach(peer => providers.set(peer.id.toString(), describePeer(peer)))
          if (providers.size >= (command.max ?? 1)) {
            break
          }
        }
      }
      return { providers: [...providers.values()] }
    }
  }
}
