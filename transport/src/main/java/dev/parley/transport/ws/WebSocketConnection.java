package dev.parley.transport.ws;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.spi.RawConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * A WebSocket as a {@link RawConnection}: binary messages carry the byte stream each way, as js-libp2p's
 * {@code @libp2p/websockets} does. Reading asks Jetty for the next message only once the reader has taken all of
 * the last one, so a fast sender waits on TCP flow control rather than filling our memory. A text message is not
 * part of the protocol: the connection is closed with 1003 and the reader gets an error. Public only because Jetty
 * calls the listener methods reflectively.
 */
public final class WebSocketConnection implements RawConnection, Session.Listener {
    /** Largest message written; a flush of more is sent as several. Noise frames are at most 65,537 bytes. */
    static final int MAX_MESSAGE_OUT = 64 * 1024 + 2;

    private static final Chunk END = new Chunk(ByteBuffer.allocate(0), Callback.NOOP);

    private record Chunk(ByteBuffer data, Callback done) {
    }

    private final BlockingQueue<Chunk> arrived = new LinkedBlockingQueue<>();
    private final CompletableFuture<Session> opened = new CompletableFuture<>();
    private final InputStream in = new MessageInputStream();
    private final OutputStream out = new MessageOutputStream();
    private volatile Session session;
    private volatile Multiaddr localAddress;
    private volatile Multiaddr remoteAddress;
    private volatile IOException failure;
    private volatile boolean closed;

    WebSocketConnection() {
    }

    /** Completes when the WebSocket is open, with the connection ready to use. */
    CompletableFuture<Session> opened() {
        return opened;
    }

    @Override
    public void onWebSocketOpen(Session openedSession) {
        session = openedSession;
        if (closed) {
            // A dial that gave up before the upgrade finished: nobody will read this one.
            openedSession.close();
            return;
        }
        localAddress = address(openedSession.getLocalSocketAddress());
        remoteAddress = address(openedSession.getRemoteSocketAddress());
        openedSession.demand();
        opened.complete(openedSession);
    }

    private static Multiaddr address(SocketAddress socketAddress) {
        return Multiaddr.fromSocketAddress((InetSocketAddress) socketAddress)
                .encapsulate(Multiaddr.parse("/ws"));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        arrived.add(new Chunk(payload, callback));
    }

    @Override
    public void onWebSocketText(String message) {
        failure = new IOException("a text message on a libp2p WebSocket, which carries binary messages only");
        session.close(StatusCode.BAD_DATA, "binary messages only", Callback.NOOP);
        arrived.add(END);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        arrived.add(END);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        failure = cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        opened.completeExceptionally(cause);
        arrived.add(END);
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void close() {
        closed = true;
        Session open = session;
        if (open != null) {
            open.close();
        }
        arrived.add(END);
    }

    @Override
    public String toString() {
        return "websocket " + localAddress + " <-> " + remoteAddress;
    }

    private final class MessageInputStream extends InputStream {
        private Chunk current;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (current == null || !current.data().hasRemaining()) {
                if (current == END) {
                    if (failure != null) {
                        throw failure;
                    }
                    return -1;
                }
                if (current != null) {
                    current.done().succeed();
                    demandNext();
                }
                try {
                    current = arrived.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted reading " + WebSocketConnection.this);
                }
            }
            int count = Math.min(length, current.data().remaining());
            current.data().get(buffer, offset, count);
            return count;
        }

        /** Asks Jetty for the next message; once the WebSocket or the client is stopped, Jetty refuses. */
        private void demandNext() throws IOException {
            try {
                session.demand();
            } catch (RuntimeException e) {
                throw new IOException("cannot read from " + WebSocketConnection.this + ", closed: " + e, e);
            }
        }
    }

    /**
     * Gathers writes into one buffer, sent as a message when full or flushed. The buffer is ours rather than the
     * caller's array because Jetty may mask a client's payload where it lies.
     */
    private final class MessageOutputStream extends OutputStream {
        private final byte[] pending = new byte[MAX_MESSAGE_OUT];
        private int count;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                int taken = Math.min(length, pending.length - count);
                System.arraycopy(bytes, offset, pending, count, taken);
                count += taken;
                offset += taken;
                length -= taken;
                if (count == pending.length) {
                    flush();
                }
            }
        }

        /** Sends what is gathered and returns once Jetty has written it, so the buffer can take more. */
        @Override
        public void flush() throws IOException {
            if (count == 0) {
                return;
            }
            Callback.Completable sent = new Callback.Completable();
            session.sendBinary(ByteBuffer.wrap(pending, 0, count), sent);
            try {
                sent.get();
            } catch (ExecutionException e) {
                throw new IOException("sending on " + WebSocketConnection.this + " failed: " + e.getCause(),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted writing " + WebSocketConnection.this);
            } finally {
                count = 0;
            }
        }

        @Override
        public void close() {
            WebSocketConnection.this.close();
        }
    }
}
