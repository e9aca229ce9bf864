package dev.parley.transport.yamux;

import java.util.function.Consumer;

/** A dialer and a listener session talking over in-memory pipes. */
record SessionPair(YamuxSession client, YamuxSession server) implements AutoCloseable {
    static final int PIPE_CAPACITY = 256 * 1024;

    static SessionPair start(YamuxConfig config, Consumer<YamuxStream> serverStreams) {
        return start(config, stream -> stream.reset(), serverStreams);
    }

    static SessionPair start(YamuxConfig config, Consumer<YamuxStream> clientStreams,
                             Consumer<YamuxStream> serverStreams) {
        InMemoryPipe.End[] ends = InMemoryPipe.duplex(PIPE_CAPACITY);
        YamuxSession client = new YamuxSession(ends[0].in(), ends[0].out(), true, config, clientStreams);
        YamuxSession server = new YamuxSession(ends[1].in(), ends[1].out(), false, config, serverStreams);
        client.start();
        server.start();
        return new SessionPair(client, server);
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
