package dev.gatehouse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dataplane.ProbeSpec;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.health.ServerHealth;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@link BackendConnector} opens the backend side, through real sockets on loopback: a server given as an IP
 * address gets a channel made and connected directly, with the template's options, on the client's event loop; a
 * host name and a channel that cannot be made go through the template; a refused connect moves on to the next
 * server, and the last failure is the one reported.
 */
class BackendConnectorTests {

    private static final WriteBufferWaterMark MARKS = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private EventLoopGroup group;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void anIpAddressServerIsConnectedOnTheClientsEventLoopWithTheTemplatesOptions(String name) throws Exception {
        Transport transport = TransportTests.available(name);
        ServerSocket backend = listening();
        Channel client = client(transport);
        Result result = connect(connector(template(transport)), client, route("127.0.0.1", backend.getLocalPort()), 0);

        Channel channel = result.connected.get(5, TimeUnit.SECONDS);
        try (Socket accepted = backend.accept()) {
            assertThat(channel.eventLoop()).isSameAs(client.eventLoop());
            assertThat(channel).isInstanceOf(transport.socketChannel());
            assertThat(channel.remoteAddress()).isEqualTo(accepted.getLocalSocketAddress());
            assertThat(channel.config().isAutoRead()).isFalse();
            assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(channel.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE))
                    .isTrue();
            assertThat(channel.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
            assertThat(channel.config().getWriteBufferWaterMark()).isEqualTo(MARKS);
            assertThat(channel.config().getConnectTimeoutMillis()).isEqualTo(3_000);
            assertThat(channel.pipeline().last()).isInstanceOf(RelayHandler.class);
            assertThat(result.serverIndex).isZero();
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void aHostNameServerIsResolvedAndConnectedThroughTheTemplate() throws Exception {
        Transport transport = TransportTests.available("nio");
        ServerSocket backend = listening();
        Channel client = client(transport);
        Result result = connect(connector(template(transport)), client, route("localhost", backend.getLocalPort()), 0);

        Channel channel = result.connected.get(5, TimeUnit.SECONDS);
        try (Socket accepted = backend.accept()) {
            assertThat(channel.eventLoop()).isSameAs(client.eventLoop());
            assertThat(((InetSocketAddress) channel.remoteAddress()).getPort()).isEqualTo(backend.getLocalPort());
            assertThat(channel.config().isAutoRead()).isFalse();
            assertThat(channel.config().getWriteBufferWaterMark()).isEqualTo(MARKS);
            assertThat(channel.pipeline().last()).isInstanceOf(RelayHandler.class);
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void aRefusedServerIsFollowedByTheNextOneInTheOrder() throws Exception {
        Transport transport = TransportTests.available("nio");
        int refusing = closedPort();
        ServerSocket backend = listening();
        Channel client = client(transport);
        Result result = connect(
                connector(template(transport)),
                client,
                route("127.0.0.1", refusing, "127.0.0.1", backend.getLocalPort()),
                0,
                1);

        Channel channel = result.connected.get(5, TimeUnit.SECONDS);
        try (Socket accepted = backend.accept()) {
            assertThat(result.serverIndex).isEqualTo(1);
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void whenEveryServerRefusesTheLastAttemptIsReported() throws Exception {
        Transport transport = TransportTests.available("nio");
        int first = closedPort();
        int last = closedPort();
        Channel client = client(transport);
        Result result =
                connect(connector(template(transport)), client, route("127.0.0.1", first, "127.0.0.1", last), 0, 1);

        Throwable cause = result.unreachable.get(5, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(ConnectException.class);
        assertThat(result.lastTried).isEqualTo(new InetSocketAddress("127.0.0.1", last));
        assertThat(result.connected).isNotDone();
    }

    @Test
    void aChannelThatCannotBeMadeDirectlyIsMadeThroughTheTemplate() throws Exception {
        Transport transport = TransportTests.available("nio");
        ServerSocket backend = listening();
        Channel client = client(transport);
        ChannelFactory<SocketChannel> real = new ReflectiveChannelFactory<>(transport.socketChannel());
        AtomicInteger calls = new AtomicInteger();
        ChannelFactory<SocketChannel> failsOnce = () -> {
            if (calls.getAndIncrement() == 0) {
                throw new ChannelException("no file descriptor left");
            }
            return real.newChannel();
        };
        Bootstrap template = template(failsOnce);
        Result result = connect(connector(template), client, route("127.0.0.1", backend.getLocalPort()), 0);

        Channel channel = result.connected.get(5, TimeUnit.SECONDS);
        try (Socket accepted = backend.accept()) {
            assertThat(calls).hasValue(2);
            assertThat(channel.config().getWriteBufferWaterMark()).isEqualTo(MARKS);
            assertThat(channel.config().isAutoRead()).isFalse();
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void aChannelThatCannotBeMadeAtAllIsReportedAsUnreachable() throws Exception {
        Transport transport = TransportTests.available("nio");
        ServerSocket backend = listening();
        Channel client = client(transport);
        ChannelFactory<SocketChannel> none = () -> {
            throw new ChannelException("no file descriptor left");
        };
        Bootstrap template = template(none);
        Result result = connect(connector(template), client, route("127.0.0.1", backend.getLocalPort()), 0);

        assertThat(result.unreachable.get(5, TimeUnit.SECONDS)).isInstanceOf(ChannelException.class);
        assertThat(result.lastTried).isEqualTo(new InetSocketAddress("127.0.0.1", backend.getLocalPort()));
        assertThat(result.onEventLoop).as("heard on the client's event loop").isTrue();
    }

    /** The data plane's backend template, as NettyDataPlane builds it (but its resolver: the JDK's). */
    private static Bootstrap template(Transport transport) {
        return template(new ReflectiveChannelFactory<>(transport.socketChannel()));
    }

    private static Bootstrap template(ChannelFactory<SocketChannel> channels) {
        return new Bootstrap()
                .channelFactory(channels)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, MARKS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000);
    }

    /** A connector whose channels to IP addresses come from the template's channel factory too. */
    private static BackendConnector connector(Bootstrap template) {
        return new BackendConnector(
                template, address -> template.config().channelFactory().newChannel(), 5_000);
    }

    /** An active channel on the test's event loop, standing for an accepted client. */
    private Channel client(Transport transport) throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        ServerSocket clients = listening();
        Channel client = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .handler(new ChannelInboundHandlerAdapter())
                .connect(clients.getLocalSocketAddress())
                .sync()
                .channel();
        closing.add(() -> client.close().sync());
        return client;
    }

    private ServerSocket listening() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(server);
        return server;
    }

    /** A loopback port nothing listens on (bound, then closed): a connect to it is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A route to the given (host, port) pairs. */
    private static RouteState route(Object... hostsAndPorts) throws Exception {
        List<Route.Endpoint> servers = new ArrayList<>();
        for (int i = 0; i < hostsAndPorts.length; i += 2) {
            servers.add(new Route.Endpoint((String) hostsAndPorts[i], (Integer) hostsAndPorts[i + 1]));
        }
        ProbeSpec probe = new ProbeSpec(
                "default",
                false,
                null,
                null,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                3,
                ProbeSpec.ProxyHeaderMode.NONE);
        Route route = new Route(
                "pool", "settings", servers, null, null, Duration.ofSeconds(20), probe, Duration.ofSeconds(30));
        return new RouteState(route, null, new ServerHealth[servers.size()]);
    }

    private static Result connect(BackendConnector connector, Channel client, RouteState route, int... order)
            throws Exception {
        Result result = new Result();
        result.client = client;
        client.eventLoop()
                .submit(() -> connector.connect(client, route, order, new ConnectionStats(), result))
                .sync();
        return result;
    }

    /** What the connector reported; written on the event loop, read by the test after a future completes. */
    private static final class Result implements BackendConnector.Outcome {
        final CompletableFuture<Channel> connected = new CompletableFuture<>();
        final CompletableFuture<Throwable> unreachable = new CompletableFuture<>();
        volatile int serverIndex = -1;
        volatile InetSocketAddress lastTried;
        volatile boolean onEventLoop;
        Channel client;

        @Override
        public void connected(Channel backend, InetSocketAddress server, int index) {
            serverIndex = index;
            connected.complete(backend);
        }

        @Override
        public void unreachable(InetSocketAddress lastTried, Throwable cause) {
            this.lastTried = lastTried;
            onEventLoop = client.eventLoop().inEventLoop();
            unreachable.complete(cause);
        }

        @Override
        public void backendTlsFailed(String reason) {
            unreachable.complete(new IllegalStateException(reason));
        }
    }
}
