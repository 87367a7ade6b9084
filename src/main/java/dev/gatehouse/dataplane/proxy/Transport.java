package dev.gatehouse.dataplane.proxy;

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
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The I/O transport: NIO by default; native epoll, or io_uring where the kernel allows it, when asked for (decision
 * (bh), docs/benchmarks.md).
 */
record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerSocketChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel,
        Class<? extends DatagramChannel> datagramChannel) {

    /**
     * @param preferNative epoll where available: only ever on when an operator asks for it, so it comes first
     * @param ioUring      io_uring where available; NIO when neither applies
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
        if (ioUring && IoUring.isAvailable()) {
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
            missing.add("io_uring unavailable: " + IoUring.unavailabilityCause());
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }
}
