import { randomBytes } from 'node:crypto'

// Stream protocols the test peer speaks besides js-libp2p's own services: a test echo and perf
// (libp2p/specs perf/perf.md), each as a server handler and a client, and a ping client that keeps
// one stream for many pings.
//
// js-libp2p 3 streams are event targets, not {source, sink} duplexes: 'message' events carry data,
// send() returns false when the caller must wait for onDrain(), and close() half-closes the write side.

/** Writes back every byte it reads and closes its write side at EOF. */
export const ECHO_PROTOCOL = '/parley-test/echo/1.0.0'

export const PERF_PROTOCOL = '/perf/1.0.0'

const PERF_HEADER_LENGTH = 8

// Yamux's largest frame in js-libp2p; larger writes are split anyway.
const CHUNK = 64 * 1024

const ZEROS = new Uint8Array(CHUNK)

// js-libp2p's own timeouts for a dial and for negotiating a stream are 10 s each; a test machine busy with 1,000
// streams at once may need longer to negotiate them all.
const DIAL_TIMEOUT_MS = 10_000
const NEGOTIATION_TIMEOUT_MS = 30_000

/**
 * Runs start(signal) with a signal that aborts after ms, and can no longer abort once start has settled.
 * js-libp2p keeps the signal a dial (or a stream) was made under: given none, it times the dial with
 * AbortSignal.timeout, and 10 s after the dial the streams open on the connection at that moment are aborted
 * (seen with 1,000 echo streams on a busy machine).
 */
async function untilSettled (ms, what, start) {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error(`${what} timed out after ${ms} ms`)), ms)
  try {
    return await start(controller.signal)
  } finally {
    clearTimeout(timer)
  }
}

/** Dials as node.dial does, within js-libp2p's usual 10 s, under a signal that is spent once the dial is done. */
export function dial (node, addr, options = {}) {
  return untilSettled(DIAL_TIMEOUT_MS, `dial of ${addr}`, (signal) => node.dial(addr, { ...options, signal }))
}

/** Opens a stream of the protocol on the connection, negotiated within NEGOTIATION_TIMEOUT_MS. */
export function openStream (connection, protocol) {
  return untilSettled(NEGOTIATION_TIMEOUT_MS, `negotiation of ${protocol}`,
    (signal) => connection.newStream(protocol, { signal }))
}

/**
 * Delivers every chunk read from the stream to onChunk and resolves at EOF: the remote closed its write
 * side and every byte it sent has been delivered. Rejects if the stream is reset or aborted, or if
 * onChunk throws, in which case the stream is aborted with that error.
 *
 * Unlike the stream's async iterator, this also sees an EOF that arrived before it was called.
 */
export function consume (stream, onChunk) {
  return new Promise((resolve, reject) => {
    let settled = false
    // An aborted or reset stream is closed for reading too, but that is a failure, reported by onClose.
    const failed = () => stream.status === 'aborted' || stream.status === 'reset'
    const atEof = () => !failed() && stream.readBufferLength === 0 &&
      (stream.remoteWriteStatus === 'closed' || stream.readStatus === 'closed')
    const finish = (err) => {
      if (settled) {
        return
      }
      settled = true
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('remoteCloseWrite', checkEof)
      stream.removeEventListener('end', checkEof)
      stream.removeEventListener('close', onClose)
      if (err == null) {
        resolve()
      } else {
        reject(err)
      }
    }
    const checkEof = () => {
      if (atEof()) {
        finish()
      }
    }
    const onMessage = (evt) => {
      try {
        onChunk(evt.data)
      } catch (err) {
        stream.abort(err)
        finish(err)
        return
      }
      checkEof()
    }
    const onClose = (evt) => {
      if (evt.error != null || failed()) {
        finish(evt.error ?? new Error(`stream ${stream.id} ${stream.status}`))
      } else {
        checkEof()
      }
    }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('remoteCloseWrite', checkEof)
    stream.addEventListener('end', checkEof)
    stream.addEventListener('close', onClose)
    if (failed()) {
      finish(new Error(`stream ${stream.id} ${stream.status}`))
    } else {
      checkEof()
    }
  })
}

/** Sends data, waiting for the stream to drain when its send buffer is full. */
export async function write (stream, data) {
  if (!stream.send(data)) {
    await stream.onDrain()
  }
}

/** Sends the given number of zero bytes (a number or a bigint, up to 2^64 - 1). */
async function writeZeros (stream, count) {
  let remaining = BigInt(count)
  while (remaining > 0n) {
    const length = remaining < BigInt(CHUNK) ? Number(remaining) : CHUNK
    await write(stream, ZEROS.subarray(0, length))
    remaining -= BigInt(length)
  }
}

export async function handleEcho (stream) {
  try {
    await consume(stream, (data) => {
      // Stop reading while the remote is not reading our replies, so memory stays bounded by the window.
      if (!stream.send(data)) {
        stream.pause()
        stream.onDrain().then(() => stream.resume(), () => {})
      }
    })
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}

/**
 * Sends payload on a new echo stream (or on the given protocol), half-closes and checks that exactly the
 * same bytes come back. Throws an error naming the first differing offset otherwise.
 */
export async function echo (connection, payload, protocol = ECHO_PROTOCOL) {
  const stream = await openStream(connection, protocol)
  let received = 0
  const reading = consume(stream, (data) => {
    const actual = Buffer.from(data.subarray())
    const expected = Buffer.from(payload.buffer, payload.byteOffset + received,
      Math.min(actual.length, payload.length - received))
    if (actual.length > expected.length || !actual.equals(expected)) {
      const at = firstDifference(actual, expected)
      throw new EchoMismatchError(`echo stream ${stream.id} differs at byte ${received + at}: expected ` +
        `${hexAround(expected, at)}, got ${hexAround(actual, at)}`, received + at)
    }
    received += actual.length
  })
  const writing = (async () => {
    for (let offset = 0; offset < payload.length; offset += CHUNK) {
      await write(stream, payload.subarray(offset, offset + CHUNK))
    }
    await stream.close()
  })()
  const [read, written] = await Promise.allSettled([reading, writing])
  // A mismatch aborts the stream, which also fails the writer; report the cause, not the consequence.
  if (read.status === 'rejected') {
    throw read.reason
  }
  if (written.status === 'rejected') {
    throw written.reason
  }
  if (received !== payload.length) {
    throw new EchoMismatchError(`echo stream ${stream.id} ended after ${received} of ${payload.length} bytes`,
      received)
  }
  return received
}

function firstDifference (actual, expected) {
  let i = 0
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) {
    i++
  }
  return i
}

function hexAround (bytes, offset) {
  return offset >= bytes.length ? '<end>' : bytes.subarray(offset, offset + 8).toString('hex')
}

export class EchoMismatchError extends Error {
  static name = 'EchoMismatchError'
  name = 'EchoMismatchError'

  constructor (message, offset) {
    super(message)
    this.offset = offset
  }
}

export async function handlePerf (stream) {
  try {
    const header = new Uint8Array(PERF_HEADER_LENGTH)
    let headerLength = 0
    await consume(stream, (data) => {
      if (headerLength < PERF_HEADER_LENGTH) {
        const bytes = data.subarray(0, PERF_HEADER_LENGTH - headerLength)
        header.set(bytes, headerLength)
        headerLength += bytes.length
      }
      // The upload itself is only counted by the client; the server just drains it.
    })
    if (headerLength < PERF_HEADER_LENGTH) {
      throw new Error(`perf stream ended after ${headerLength} of the ${PERF_HEADER_LENGTH} length bytes`)
    }
    await writeZeros(stream, new DataView(header.buffer).getBigUint64(0, false))
    await stream.close()
  } catch (err) {
    stream.log.error('perf failed - %e', err)
    stream.abort(err)
  }
}

/**
 * Runs one perf exchange as the client: asks for download bytes, uploads upload bytes, half-closes and
 * reads to EOF. Seconds run from opening the stream to the server's EOF, as the perf spec measures.
 */
export async function perf (connection, upload, download) {
  const start = performance.now()
  const stream = await openStream(connection, PERF_PROTOCOL)
  let downloaded = 0
  const reading = consume(stream, (data) => {
    downloaded += data.byteLength
  })
  const writing = (async () => {
    const header = new Uint8Array(PERF_HEADER_LENGTH)
    new DataView(header.buffer).setBigUint64(0, BigInt(download), false)
    await write(stream, header)
    await writeZeros(stream, upload)
    await stream.close()
  })()
  await Promise.all([reading, writing])
  const seconds = (performance.now() - start) / 1000
  if (BigInt(downloaded) !== BigInt(download)) {
    throw new Error(`perf server sent ${downloaded} bytes, asked for ${download}`)
  }
  return { uploadBytes: Number(upload), downloadBytes: downloaded, seconds }
}

export const PING_PROTOCOL = '/ipfs/ping/1.0.0'

const PING_LENGTH = 32

/**
 * Pings count times over one ping stream, as go-libp2p does, rather than one stream per ping as
 * js-libp2p's ping service does. Returns each round trip in fractional milliseconds.
 */
export async function pingOnOneStream (connection, count) {
  const stream = await openStream(connection, PING_PROTOCOL)
  let pending = Buffer.alloc(0)
  let awaiting = null
  const reading = consume(stream, (data) => {
    pending = Buffer.concat([pending, data.subarray()])
    if (awaiting != null && pending.length >= PING_LENGTH) {
      awaiting()
    }
  })
  // A reset ends the wait below through the failure of `reading`.
  const pong = () => new Promise((resolve) => {
    awaiting = resolve
    if (pending.length >= PING_LENGTH) {
      resolve()
    }
  })
  const rtts = []
  for (let i = 0; i < count; i++) {
    const payload = randomBytes(PING_LENGTH)
    const start = performance.now()
    await write(stream, payload)
    await Promise.race([pong(), reading])
    rtts.push(performance.now() - start)
    if (pending.length < PING_LENGTH) {
      throw new Error(`ping stream ended after ${i} pongs`)
    }
    const answer = pending.subarray(0, PING_LENGTH)
    pending = pending.subarray(PING_LENGTH)
    if (!answer.equals(payload)) {
      stream.abort(new Error('wrong pong'))
      throw new Error(`ping ${i} answered ${answer.toString('hex')} to ${payload.toString('hex')}`)
    }
  }
  await stream.close()
  await reading
  return rtts
}
