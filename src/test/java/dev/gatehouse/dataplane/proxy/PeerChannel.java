package dev.gatehouse.dataplane.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** An {@link EmbeddedChannel} with the socket addresses of a real TCP connection: a peer and a listener. */
final class PeerChannel extends EmbeddedChannel {

    static final InetSocketAddress PEER = new InetSocketAddress("10.1.2.3", 40000);
    static final InetSocketAddress LISTENER = new InetSocketAddress("10.9.9.9", 5432);

    PeerChannel(ChannelHandler... handlers) {
        super(handlers);
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return PEER;
    }

    @Override
    protected SocketAddress localAddress0() {
        return LISTENER;
    }
}
