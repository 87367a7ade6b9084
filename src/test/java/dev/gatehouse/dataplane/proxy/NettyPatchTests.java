package dev.gatehouse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Netty classes Gatehouse patches at build time (src/build/netty-fewer-system-calls.patch, decision (bo)): that
 * they are the ones loaded, and that what the patch stops asking the kernel (a socket's address family, the peer
 * after a connect, the local address until it is read) still comes out as the kernel has it, through real io_uring
 * sockets of both families, a dual-stack listener included. Every other data-plane test runs on the patched classes
 * too.
 */
class NettyPatchTests {

    private static final String[] PATCHED = {
        "io.netty.channel.socket.ChannelOutputShutdownException",
        "io.netty.channel.unix.Socket",
        "io.netty.channel.uring.AbstractIoUringChannel",
        "io.netty.channel.uring.IoUringServerSocketChannel",
        "io.netty.channel.uring.IoUringSocketChannel",
        "io.netty.channel.uring.IoUringSocketChannelConfig",
        "io.netty.channel.uring.LinuxSocket"
    };

    @Test
    void thePatchedClassesComeFromGatehouseItselfNotFromNettysJars() throws Exception {
        Object gatehouse = Transport.class.getProtectionDomain().getCodeSource().getLocation();
        for (String name : PATCHED) {
            assertThat(Class.forName(name).getProtectionDomain().getCodeSource().getLocation())
                    .as(name)
                    .isEqualTo(gatehouse);
        }
    }

    @Test
    void anOutputShutdownFailsPendingWritesWithoutAStackTraceOfItsOwnWhileItsCauseKeepsOne() {
        IOException cause = new IOException("broken pipe");
        assertThat(new ChannelOutputShutdownException("Channel output shutdown").getStackTrace())
                .isEmpty();
        ChannelOutputShutdownException withCause = new ChannelOutputShutdownException("Channel output shutdown", cause);
        assertThat(withCause.getStackTrace()).isEmpty();
        assertThat(withCause.getCause()).isSameAs(cause);
        assertThat(cause.getStackTrace()).isNotEmpty();
    }

    @ParameterizedTest(name = "listening on {0}, connecting to {1}")
    @CsvSource({"127.0.0.1, 127.0.0.1", "::1, ::1", "::, 127.0.0.1"})
    void acceptedAndConnectedChannelsHaveTheKernelsAddressesAndCarryBytesBothWays(String listen, String connect)
            throws Exception {
        Transport transport = TransportTests.available("io_uring");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            CompletableFuture<String> serverHeard = new CompletableFuture<>();
            CompletableFuture<String> clientHeard = new CompletableFuture<>();
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            accepted.complete(ctx.channel());
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            serverHeard.complete(text(msg));
                            ctx.writeAndFlush(Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII))
                                    .addListener(f -> ((DuplexChannel) ctx.channel()).shutdownOutput());
                        }
                    })
                    .bind(new InetSocketAddress(listen, 0))
                    .sync()
                    .channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            InetSocketAddress target = new InetSocketAddress(connect, port);
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(transport.socketChannel())
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            clientHeard.complete(text(msg));
                        }
                    })
                    .connect(target)
                    .sync()
                    .channel();
            try {
                Channel child = accepted.get(5, TimeUnit.SECONDS);
                InetSocketAddress clientLocal = (InetSocketAddress) client.localAddress();
                assertThat(client.remoteAddress()).isEqualTo(target);
                assertThat(clientLocal.getAddress()).isEqualTo(target.getAddress());
                assertThat(clientLocal.getPort()).isPositive();
                assertThat(child.remoteAddress()).isEqualTo(clientLocal);
                assertThat(child.localAddress()).isEqualTo(target);

                client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII))
                        .sync();
                assertThat(serverHeard.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
                assertThat(clientHeard.get(5, TimeUnit.SECONDS)).isEqualTo("pong");
                assertThat(((DuplexChannel) child).isOutputShutdown()).isTrue();
            } finally {
                client.close().sync();
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static String text(Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            return bytes.toString(StandardCharsets.US_ASCII);
        } finally {
            bytes.release();
        }
    }
}
