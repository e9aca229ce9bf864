// Measures a libp2p peer from a js-libp2p client and prints one JSON line of figures:
//   connect  new connection (TCP + Noise + Yamux) plus one ping, then closed; p50/p99 over --connections
//   ping     round trips on one stream of one open connection; p50/p99 over --pings
//   download, upload  perf (/perf/1.0.0) of --bytes each way, in MiB/s
//
//   node --import ./polyfill.mjs bench.mjs --target MULTIADDR [--connections 100] [--pings 1000]
//                                          [--bytes 268435456]
//
// The target is any peer with ping and perf, e.g. peer.mjs or Parley's host; it must be on loopback.
import { multiaddr } from '@multiformats/multiaddr'
import { startNode } from './node.mjs'
import { dial, perf, pingOnOneStream } from './protocols.mjs'

const WARM_UP_PINGS = 20

function parseArgs (argv) {
  const options = { connections: 100, pings: 1000, bytes: 256 * 1024 * 1024 }
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '')
    if (!['target', 'connections', 'pings', 'bytes'].includes(name) || argv[i + 1] == null) {
      throw new Error(`usage: bench.mjs --target MULTIADDR [--connections N] [--pings N] [--bytes B]; got ${argv[i]}`)
    }
    options[name] = name === 'target' ? argv[i + 1] : Number(argv[i + 1])
  }
  if (options.target == null) {
    throw new Error('bench.mjs needs --target MULTIADDR')
  }
  return options
}

/** p50 and p99 by nearest rank, in milliseconds rounded to microseconds. */
function percentiles (samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]
  const ms = (value) => Math.round(value * 1000) / 1000
  return { count: sorted.length, p50Ms: ms(rank(0.5)), p99Ms: ms(rank(0.99)) }
}

function throughput ({ uploadBytes, downloadBytes, seconds }) {
  const bytes = uploadBytes + downloadBytes
  return { bytes, seconds, mibPerSecond: Math.round(bytes / 1024 / 1024 / seconds * 10) / 10 }
}

async function measureConnects (node, target, count) {
  const samples = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    const connection = await dial(node, target, { force: true })
    await pingOnOneStream(connection, 1)
    samples.push(performance.now() - start)
    await connection.close()
  }
  return percentiles(samples)
}

async function main () {
  const options = parseArgs(process.argv.slice(2))
  const target = multiaddr(options.target)
  const node = await startNode()
  try {
    const connect = await measureConnects(node, target, options.connections)
    const connection = await dial(node, target, { force: true })
    const rtts = await pingOnOneStream(connection, WARM_UP_PINGS + options.pings)
    const ping = percentiles(rtts.slice(WARM_UP_PINGS))
    const download = throughput(await perf(connection, 0, options.bytes))
    const upload = throughput(await perf(connection, options.bytes, 0))
    process.stdout.write(JSON.stringify({ target: options.target, connect, ping, download, upload }) + '\n')
  } finally {
    await node.stop()
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack}\n`)
  process.exit(1)
})
