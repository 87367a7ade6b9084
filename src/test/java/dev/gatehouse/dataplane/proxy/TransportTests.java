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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the data plane takes from each transport's channels as made, through real sockets: TCP_NODELAY is on for
 * accepted and for connected channels without being asked for, so neither the listeners nor the backend connector
 * set it (one setsockopt per connection each); SO_KEEPALIVE, set once on a native listening socket, is on for every
 * socket it accepts; backend channels have their server's address family; and which transport the settings choose.
 * A transport this machine lacks is skipped.
 */
class TransportTests {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void acceptedAndConnectedChannelsHaveTcpNoDelayWithoutBeingAskedForAndAcceptedOnesKeepAlive(String name)
            throws Exception {
        Transport transport = available(name);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            Channel server = transport
                    .keepAliveAccepted(new ServerBootstrap())
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
                Channel child = accepted.get(5, TimeUnit.SECONDS);
                assertThat(child.config().getOption(ChannelOption.TCP_NODELAY))
                        .as("accepted %s channel", name)
                        .isTrue();
                assertThat(child.config().getOption(ChannelOption.SO_KEEPALIVE))
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

    @ParameterizedTest
    @CsvSource({"nio, 127.0.0.1", "nio, ::1", "epoll, 127.0.0.1", "epoll, ::1", "io_uring, 127.0.0.1", "io_uring, ::1"})
    void backendChannelsHaveTheirServersAddressFamilyAndConnect(String name, String host) throws Exception {
        Transport transport = available(name);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            InetSocketAddress target = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            Channel backend = transport.newSocketChannel(target.getAddress());
            backend.pipeline().addLast(noop());
            group.register(backend).sync();
            backend.connect(target).sync();
            try (Socket peer = server.accept()) {
                assertThat(((InetSocketAddress) backend.localAddress()).getAddress())
                        .as("%s channel to %s", name, host)
                        .isEqualTo(target.getAddress())
                        .hasSameClassAs(target.getAddress());
                assertThat(backend.remoteAddress()).isEqualTo(target);
                assertThat(peer.getPort()).isEqualTo(((InetSocketAddress) backend.localAddress()).getPort());
                assertThat(backend.config().getOption(ChannelOption.TCP_NODELAY))
                        .isTrue();
            } finally {
                backend.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void ioUringIsChosenWhereTheKernelAllowsItWithOneShotPollsAndAnEpollRequestComesFirst() {
        // Selecting first: Transport sets Netty's poll switch before io_uring loads, as in the server (decision (bi)).
        Transport ioUring = Transport.select(false, true);
        String missing = "io_uring is not available here: " + IoUring.unavailabilityCause();
        if (!IoUring.isAvailable() && Boolean.getBoolean(RealReceivers.REQUIRED_PROPERTY)) {
            fail(missing + " (required in CI, whose first pass runs the integration tests on io_uring, the default)");
        }
        assumeTrue(IoUring.isAvailable(), missing);
        assertThat(ioUring.name()).isEqualTo("io_uring");
        assertThat(ioUring.unavailability(false, true)).isNull();
        assertThat(IoUring.isPollAddMultishotEnabled())
                .as("multishot POLLIN (decision (bi))")
                .isFalse();
        assertThat(Transport.select(false, false).name()).isEqualTo("nio");
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        assertThat(Transport.select(true, true).name()).isEqualTo("epoll");
        assertThat(Transport.select(true, true).unavailability(true, true)).isNull();
    }

    /**
     * An operator who turns Netty's multishot POLLIN back on ({@code -Dio.netty.iouring.pollAddMultishotEnabled=true})
     * gets NIO and the reason in the start-up line, not connections that stay open (decision (bi)). In a JVM of its
     * own, since Netty reads the property once.
     */
    @Test
    void ioUringWithMultishotPollsTurnedBackOnIsRefusedWithTheReason() throws Exception {
        available("io_uring");
        Process selection = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // as the jar's manifest grants it (JDK 24 and later warn on stderr without it)
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-D" + Transport.IO_URING_MULTISHOT_POLL + "=true",
                        TransportTests.class.getName())
                .redirectErrorStream(true)
                .start();
        String printed = new String(selection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(selection.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(printed.strip())
                .isEqualTo("nio; io_uring refused: -Dio.netty.iouring.pollAddMultishotEnabled=true leaves reset"
                        + " connections open (decision (bi))");
    }

    /** For the test above: the transport an io_uring request selects, and why not io_uring when it is not. */
    public static void main(String[] args) {
        Transport transport = Transport.select(false, true);
        System.out.println(transport.name() + "; " + transport.unavailability(false, true));
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
