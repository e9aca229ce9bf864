package dev.parley.transport.yamux;

import dev.parley.transport.testing.InMemoryPipe;
import java.util.function.Consumer;

/** A dialer and a listener session talking over in-memory pipes. */
record SessionPair(YamuxSession client, YamuxSession server) implements AutoCloseable {
    static SessionPair start(YamuxConfig config, Consumer<YamuxStream> serverStreams) {
        return start(config, stream -> stream.reset(), serverStreams);
    }

    static SessionPair start(YamuxConfig config, Consumer<YamuxStream> clientStreams,
                             Consumer<YamuxStream> serverStreams) {
        InMemoryPipe pipe = InMemoryPipe.open();
        InMemoryPipe.End dialer = pipe.dialer();
        InMemoryPipe.End listener = pipe.listener();
        YamuxSession client = new YamuxSession(dialer.in(), dialer.out(), true, config, clientStreams);
        YamuxSession server = new YamuxSession(listener.in(), listener.out(), false, config, serverStreams);
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
