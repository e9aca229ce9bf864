// A js-libp2p peer driven by Parley's interop tests over stdin/stdout, one JSON object per line.
//
//   node --experimental-websocket --import ./polyfill.mjs peer.mjs [--key HEX] [--listen MULTIADDR]... [--mdns-interval MS]
//        [--kad server|client] [--autonat] [--relay-server] [--dcutr]
//
// --mdns-interval runs mDNS discovery (@libp2p/mdns) with that query interval; only inside a test's network
// namespace, since it multicasts on every interface. The other options start the js-libp2p service of that
// name (see node.mjs). A listen address ending in /ws listens for WebSocket; /p2p-circuit reserves on a relay.
//
// On start it prints {"event":"ready","peerId":…,"addrs":[…]}. Then each stdin line is a command with an
// "id"; each gets exactly one reply line with the same id, {"id":…,"ok":true,…} or
// {"id":…,"ok":false,"error":…,"name":…,"code":…}. Commands run concurrently. Lines with an "event" and
// no "id" report what the node saw: connection:open, connection:close, peer:identify, peer:discovery
// (peerId, addrs: a peer first heard of, e.g. by mDNS), error.
// EOF on stdin or {"cmd":"quit"} stops the node. Set DEBUG=libp2p:* for js-libp2p's log on stderr.
//
// Commands ("addr" is a multiaddr; commands dial it, reusing an open connection to the same peer):
//   dial        {addr, force?}                 → the connection: remotePeer, remoteAddr, direction,
//                                                encryption, multiplexer, streams
//   ping        {addr, count?, sameStream?}    → {rtts}: ms per ping; js's ping service (one stream per
//                                                ping, whole ms) unless sameStream: one stream, fractional ms
//   identify    {addr}                         → peerId, protocols, listenAddrs, observedAddr,
//                                                agentVersion, protocolVersion, publicKey (protobuf, hex),
//                                                signedPeerRecord {seq, addrs}
//   echo        {addr, bytes, streams?, protocol?} → {bytes, streams, seconds}: random bytes sent on each
//                                                of `streams` concurrent streams and checked on return
//   perf        {addr, upload?, download?}     → {uploadBytes, downloadBytes, seconds} as the perf client
//   connections {}                             → {connections: [...]}
//   hangup      {addr}                         → closes every connection to that peer
//   quit        {}                             → replies, then stops the node and exits 0
//   relay:echo         {addr, bytes}           → {bytes, remoteAddr, limited, bytesLeft}: echo allowed on a relayed
//                                                (limited) connection, e.g. to a /p2p-circuit address
//   relay:circuitAddrs {}                      → {addrs}: our /p2p-circuit addresses, once a reservation holds
//   relay:reservations {}                      → {peers}: peers holding a reservation on our relay server
//   relay:openVoucher  {envelope}              → {signer, payloadType, payload}: a reservation voucher (hex)
//                                                opened and its signature checked by js-libp2p
//   autonat:dial       {addr, addrs?}          → {type, status, statusText, addr}: the answer to an AutoNAT DIAL
//                                                for our listen addresses (or addrs), encoded by js's codec
//   kad:addPeer        {addr}                  → {peerId, tableSize}: dials and adds the peer to the DHT's table
//   kad:findPeer       {peerId}                → {peerId, addrs}: found by a DHT lookup
//   kad:provide        {key}                   → {}: announces us as a provider of key (a multihash, hex)
//   kad:findProviders  {key, max?}             → {providers: [{peerId, addrs}]}: up to max (default 1)
//   dcutr:exchange     {peerId, addrs?}        → {sent, type, addrs, rttMs}: as B, CONNECT (addrs, default our TCP
//                                                listen addresses), the answer, SYNC, on the relayed connection
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { multiaddr } from '@multiformats/multiaddr'
import { startNode } from './node.mjs'
import { ECHO_PROTOCOL, dial, echo, perf, pingOnOneStream } from './protocols.mjs'
import { autonatCommands } from './autonat.mjs'
import { kadCommands } from './kad.mjs'
import { relayCommands } from './relay.mjs'
import { dcutrCommands } from './dcutr.mjs'

const FLAGS = { '--autonat': 'autonat', '--relay-server': 'relayServer', '--dcutr': 'dcutr' }

function parseArgs (argv) {
  const options = { listen: [] }
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i]
    if (Object.hasOwn(FLAGS, option)) {
      options[FLAGS[option]] = true
      continue
    }
    const value = argv[++i]
    if (value == null) {
      throw new Error(`${option} needs a value`)
    }
    switch (option) {
      case '--key': options.keyHex = value; break
      case '--key-type': options.keyType = value; break
      case '--listen': options.listen.push(value); break
      case '--mdns-interval': options.mdnsInterval = parseMilliseconds(option, value); break
      case '--kad': options.kad = parseKadMode(value); break
      default: throw new Error(`unknown option ${option}; known: --key HEX, --key-type RSA|secp256k1, --listen MULTIADDR, ` +
        '--mdns-interval MS, --kad server|client, --autonat, --relay-server, --dcutr')
    }
  }
  if (options.listen.length === 0) {
    options.listen.push('/ip4/127.0.0.1/tcp/0')
  }
  return options
}

function parseKadMode (value) {
  if (value !== 'server' && value !== 'client') {
    throw new Error(`--kad takes server or client, not "${value}"`)
  }
  return value
}

function parseMilliseconds (option, value) {
  const ms = Number(value)
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new Error(`${option} takes a positive whole number of milliseconds, not "${value}"`)
  }
  return ms
}

function emit (message) {
  process.stdout.write(JSON.stringify(message) + '\n')
}

function describeConnection (connection) {
  return {
    connectionId: connection.id,
    remotePeer: connection.remotePeer.toString(),
    remoteAddr: connection.remoteAddr.toString(),
    direction: connection.direction,
    status: connection.status,
    encryption: connection.encryption,
    multiplexer: connection.multiplexer,
    streams: connection.streams.map(stream => stream.protocol)
  }
}

function describeIdentify (result) {
  return {
    peerId: result.peerId.toString(),
    protocols: result.protocols,
    listenAddrs: result.listenAddrs.map(String),
    observedAddr: result.observedAddr?.toString(),
    agentVersion: result.agentVersion,
    protocolVersion: result.protocolVersion,
    publicKey: result.publicKey == null ? undefined : Buffer.from(result.publicKey).toString('hex'),
    signedPeerRecord: result.signedPeerRecord == null
      ? undefined
      : { seq: result.signedPeerRecord.seq.toString(), addrs: result.signedPeerRecord.addresses.map(String) }
  }
}

/** The js error as the tests see it: message, name, code, and the causes behind an aggregate. */
function describeError (err) {
  const described = { error: err?.message ?? String(err), name: err?.name, code: err?.code }
  if (Array.isArray(err?.errors) && err.errors.length > 0) {
    described.errors = err.errors.map(describeError)
  }
  if (err?.cause != null) {
    described.cause = describeError(err.cause)
  }
  return described
}

function required (command, field) {
  if (command[field] == null) {
    throw new Error(`${command.cmd} needs "${field}"`)
  }
  return command[field]
}

function commands (node, stop) {
  const connect = (command, options) => dial(node, multiaddr(required(command, 'addr')), options)
  return {
    ...relayCommands(node),
    ...autonatCommands(node),
    ...kadCommands(node),
    ...dcutrCommands(node),
    async dial (command) {
      return describeConnection(await connect(command, { force: command.force === true }))
    },
    async ping (command) {
      if (command.sameStream === true) {
        return { rtts: await pingOnOneStream(await connect(command), command.count ?? 1) }
      }
      const target = multiaddr(required(command, 'addr'))
      const rtts = []
      for (let i = 0; i < (command.count ?? 1); i++) {
        rtts.push(await node.services.ping.ping(target))
      }
      return { rtts }
    },
    async identify (command) {
      return describeIdentify(await node.services.identify.identify(await connect(command)))
    },
    async echo (command) {
      const connection = await connect(command)
      const bytes = required(command, 'bytes')
      const streams = command.streams ?? 1
      const start = performance.now()
      const echoed = await Promise.all(Array.from({ length: streams },
        () => echo(connection, randomBytes(bytes), command.protocol ?? ECHO_PROTOCOL)))
      return {
        bytes: echoed.reduce((sum, n) => sum + n, 0),
        streams,
        seconds: (performance.now() - start) / 1000
      }
    },
    async perf (command) {
      return perf(await connect(command), command.upload ?? 0, command.download ?? 0)
    },
    async connections () {
      return { connections: node.getConnections().map(describeConnection) }
    },
    async hangup (command) {
      await node.hangUp(multiaddr(required(command, 'addr')))
      return {}
    },
    async quit () {
      setImmediate(stop)
      return {}
    }
  }
}

async function run (command, handlers) {
  try {
    const handler = Object.hasOwn(handlers, command.cmd) ? handlers[command.cmd] : null
    if (handler == null) {
      throw new Error(`unknown command "${command.cmd}"; known: ${Object.keys(handlers).join(', ')}`)
    }
    emit({ id: command.id, ok: true, ...await handler(command) })
  } catch (err) {
    emit({ id: command.id, ok: false, ...describeError(err) })
  }
}

async function main () {
  const node = await startNode(parseArgs(process.argv.slice(2)))
  let stopping = null
  const stop = () => {
    stopping ??= node.stop().then(() => process.exit(0), (err) => {
      process.stderr.write(`stopping the node failed: ${err.stack}\n`)
      process.exit(1)
    })
    return stopping
  }

  // Without a reader for our replies there is nobody left to serve.
  process.stdout.on('error', () => process.exit(2))
  // A misbehaving remote must not take the peer down before the test has asked what js made of it.
  process.on('unhandledRejection', (err) => emit({ event: 'error', kind: 'unhandledRejection', ...describeError(err) }))
  process.on('uncaughtException', (err) => emit({ event: 'error', kind: 'uncaughtException', ...describeError(err) }))

  node.addEventListener('connection:open', (evt) => emit({ event: 'connection:open', ...describeConnection(evt.detail) }))
  node.addEventListener('connection:close', (evt) => emit({ event: 'connection:close', ...describeConnection(evt.detail) }))
  node.addEventListener('peer:identify', (evt) => emit({ event: 'peer:identify', ...describeIdentify(evt.detail) }))
  node.addEventListener('peer:discovery', (evt) => emit({
    event: 'peer:discovery',
    peerId: evt.detail.id.toString(),
    addrs: evt.detail.multiaddrs.map(String)
  }))

  emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })

  const handlers = commands(node, stop)
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  lines.on('line', (line) => {
    if (line.trim() === '') {
      return
    }
    let command
    try {
      command = JSON.parse(line)
    } catch (err) {
      emit({ id: null, ok: false, error: `malformed command line: ${err.message}`, name: 'SyntaxError' })
      return
    }
    run(command, handlers)
  })
  lines.on('close', stop)
}

main().catch((err) => {
  process.stderr.write(`peer failed to start: ${err.stack}\n`)
  process.exit(1)
})
