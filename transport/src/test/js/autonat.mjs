import { pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
// js-libp2p's own AutoNAT v1 codec, so that what Parley reads is what js writes; the package exports only its
// service, hence the path.
import { Message } from './node_modules/@libp2p/autonat/dist/src/pb/index.js'
import { dial } from './protocols.mjs'

const AUTONAT_PROTOCOL = '/libp2p/autonat/1.0.0'

// AutoNAT commands for peer.mjs. js's AutoNAT client never asks about private addresses, which are all the
// tests have on loopback, so autonat:dial sends the DIAL itself, the way js's client builds it.
export function autonatCommands (node) {
  return {
    async 'autonat:dial' (command) {
      const connection = await dial(node, multiaddr(command.addr))
      const stream = await connection.newStream(AUTONAT_PROTOCOL)
      const messages = pbStream(stream).pb(Message)
      const addrs = command.addrs ?? node.getMultiaddrs().map(String)
      await messages.write({
        type: Message.MessageType.DIAL,
        dial: { peer: { id: node.peerId.toMultihash().bytes, addrs: addrs.map(addr => multiaddr(addr).bytes) } }
      })
      const answer = await messages.read()
      await stream.close()
      return {
        type: answer.type,
        status: answer.dialResponse?.status,
        statusText: answer.dialResponse?.statusText,
        addr: answer.dialResponse?.addr == null ? undefined : multiaddr(answer.dialResponse.addr).toString()
      }
    }
  }
}
