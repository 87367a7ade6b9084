package dev.gatehouse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.testing.RealReceivers;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the data plane takes from each transport's channels as made, through real sockets: TCP_NODELAY is on for
 * accepted and for connected channels without being asked for, so neither the listeners nor the backend connector
 * set it (one setsockopt per connection each); and which transport the settings choose. A transport this machine
 * lacks is skipped.
 */
class TransportTests {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void acceptedAndConnectedChannelsHaveTcpNoDelayWithoutBeingAskedFor(String name) throws Exception {
        Transport transport = available(name);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void handlerAdded(ChannelHandlerContext ctx) {
                            accepted.complete(ctx.channel());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            Channel connected = new Bootstrap()
                    .group(group)
                    .channel(transport.socketChannel())
                    .handler(noop())
                    .connect(server.localAddress())
                    .sync()
                    .channel();
            try {
                assertThat(connected.config().getOption(ChannelOption.TCP_NODELAY))
                        .as("connected %s channel", name)
                        .isTrue();
                assertThat(accepted.get(5, TimeUnit.SECONDS).config().getOption(ChannelOption.TCP_NODELAY))
                        .as("accepted %s channel", name)
                        .isTrue();
            } finally {
                connected.close().sync();
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void ioUringIsChosenWhereTheKernelAllowsItAndAnEpollRequestComesFirst() {
        String missing = "io_uring is not available here: " + IoUring.unavailabilityCause();
        if (!IoUring.isAvailable() && Boolean.getBoolean(RealReceivers.REQUIRED_PROPERTY)) {
            fail(missing + " (required in CI, whose PostgreSQL pass runs the integration tests on io_uring)");
        }
        assumeTrue(IoUring.isAvailable(), missing);
        assertThat(Transport.select(false, true).name()).isEqualTo("io_uring");
        assertThat(Transport.select(false, true).unavailability(false, true)).isNull();
        assertThat(Transport.select(false, false).name()).isEqualTo("nio");
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        assertThat(Transport.select(true, true).name()).isEqualTo("epoll");
        assertThat(Transport.select(true, true).unavailability(true, true)).isNull();
    }

    /** The transport named, or the test is skipped when this machine does not have it. */
    static Transport available(String name) {
        Transport transport = Transport.select(name.equals("epoll"), name.equals("io_uring"));
        assumeTrue(transport.name().equals(name), name + " is not available here");
        return transport;
    }

    private static ChannelHandler noop() {
        return new ChannelInboundHandlerAdapter();
    }
}
