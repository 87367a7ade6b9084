package dev.gatehouse.dataplane.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The I/O transport: io_uring by default where the kernel allows it, else NIO; native epoll when asked for (decisions
 * (bh) and (bi), docs/benchmarks.md).
 */
record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerSocketChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel,
        Class<? extends DatagramChannel> datagramChannel) {

    /**
     * Netty's switch for arming a socket's POLLIN as one multishot poll (its default) instead of a one-shot poll per
     * read loop. A multishot poll reports edges, and Netty drops one that arrives while a read is in flight: when that
     * read returns a client's last bytes and the client's reset is already pending, no edge ever comes again and the
     * connection stays open with both its descriptors (decision (bi)). A one-shot poll looks at the socket when it is
     * armed and sees the reset at once. Netty reads the property once, when its io_uring support loads.
     */
    static final String IO_URING_MULTISHOT_POLL = "io.netty.iouring.pollAddMultishotEnabled";

    /**
     * SO_KEEPALIVE as a raw option of a native listening socket (Linux's SOL_SOCKET 1 and SO_KEEPALIVE 9, the values
     * of every architecture Netty's native transports are built for): Linux copies it, with the socket's other flags,
     * to every socket it accepts, so the accepted channels need no setsockopt(2) each (decision (bo)).
     */
    private static final IntegerUnixChannelOption LISTENER_SO_KEEPALIVE =
            new IntegerUnixChannelOption("SO_KEEPALIVE", 1, 9);

    /**
     * @param preferNative epoll where available: only ever on when an operator asks for it, so it comes first
     * @param ioUring      io_uring where available (the default setting); NIO when neither applies
     */
    static Transport select(boolean preferNative, boolean ioUring) {
        if (preferNative && Epoll.isAvailable()) {
            return new Transport(
                    "epoll",
                    EpollIoHandler.newFactory(),
                    EpollServerSocketChannel.class,
                    EpollSocketChannel.class,
                    EpollDatagramChannel.class);
        }
        if (ioUring && System.getProperty(IO_URING_MULTISHOT_POLL) == null) {
            // Before IoUring loads; an operator's own -D setting is kept, and refused below when it is true.
            System.setProperty(IO_URING_MULTISHOT_POLL, "false");
        }
        if (ioUring && IoUring.isAvailable() && !IoUring.isPollAddMultishotEnabled()) {
            return new Transport(
                    "io_uring",
                    IoUringIoHandler.newFactory(),
                    IoUringServerSocketChannel.class,
                    IoUringSocketChannel.class,
                    IoUringDatagramChannel.class);
        }
        return new Transport(
                "nio",
                NioIoHandler.newFactory(),
                NioServerSocketChannel.class,
                NioSocketChannel.class,
                NioDatagramChannel.class);
    }

    /** SO_REUSEPORT for this transport's server sockets (NIO: the JDK's option, Linux and the BSDs). */
    ChannelOption<Boolean> reusePort() {
        return switch (name) {
            case "epoll" -> EpollChannelOption.SO_REUSEPORT;
            case "io_uring" -> IoUringChannelOption.SO_REUSEPORT;
            default -> NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
        };
    }

    /**
     * Turns SO_KEEPALIVE on for every connection {@code listener} accepts: on the listening socket once where the
     * accepted sockets inherit it (io_uring, epoll), else on each accepted channel (NIO, whose server channel does not
     * take the option).
     */
    ServerBootstrap keepAliveAccepted(ServerBootstrap listener) {
        return name.equals("nio")
                ? listener.childOption(ChannelOption.SO_KEEPALIVE, true)
                : listener.option(LISTENER_SO_KEEPALIVE, 1);
    }

    /**
     * A new socket channel of {@code peer}'s address family. The transports' own channels open an IPv6 socket wherever
     * the host has IPv6, so an IPv4 backend would cost an IPV6_V6ONLY setsockopt(2) per connection and be reached
     * through an IPv4-mapped address (decision (bo)). Throws Netty's ChannelException when no socket can be opened.
     */
    SocketChannel newSocketChannel(InetAddress peer) {
        SocketProtocolFamily family =
                peer instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return switch (name) {
            case "io_uring" -> new IoUringSocketChannel(family);
            case "epoll" -> new EpollSocketChannel(family);
            default -> new NioSocketChannel(SelectorProvider.provider(), family);
        };
    }

    /**
     * Why a native transport asked for (the same flags {@link #select} was given) is not this one, for the start-up
     * log line; {@code null} when nothing asked for is missing.
     */
    String unavailability(boolean preferNative, boolean ioUring) {
        if (name.equals("epoll")) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (preferNative) {
            missing.add("epoll unavailable: " + Epoll.unavailabilityCause());
        }
        if (ioUring && !name.equals("io_uring")) {
            missing.add(
                    IoUring.isAvailable()
                            ? "io_uring refused: -D" + IO_URING_MULTISHOT_POLL
                                    + "=true leaves reset connections open (decision (bi))"
                            : "io_uring unavailable: " + IoUring.unavailabilityCause());
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }
}
