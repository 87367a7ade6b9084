package dev.gatehouse.dataplane.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of an accepted client connection. Reading is off until a backend is connected:
 * it connects to the route's servers round robin, trying the next server when one refuses, on the
 * client channel's own event loop (so both sides of the relay share one thread and need no locks).
 * Once connected it writes the PROXY header when the route asks for it, flushes it as its own segment,
 * then hands both channels to {@link RelayHandler}s and starts reading the client.
 * <p>Reading is off, but the native transport still reads when the client half-closes (it must drain
 * the socket to see the end of input), so bytes and the end of input can arrive before the backend is
 * connected: they are held, in order, and passed on right after the header. This is bounded by one
 * read loop of the socket, since nothing else reads.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private final ListenerState listener;
    private final RouteState route;
    /** Client bytes that arrived before the backend connection; owned here until written or released. */
    private final ArrayDeque<Object> early = new ArrayDeque<>(2);
    private boolean clientInputEnded;

    FrontendHandler(ListenerState listener, RouteState route) {
        this.listener = listener;
        this.route = route;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (route.servers.length == 0) {
            listener.warn("no-servers", "Listener '" + listener.name() + "' has no backend servers; closing connection "
                    + "from " + ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        connect(ctx, route.nextStart(), 0);
    }

    private void connect(ChannelHandlerContext ctx, int start, int attempt) {
        Channel inbound = ctx.channel();
        InetSocketAddress server = route.servers[(start + attempt) % route.servers.length];
        Bootstrap b = listener.backendBootstrap()
                .group(inbound.eventLoop())
                .option(ChannelOption.AUTO_READ, false)
                .handler(new RelayHandler(inbound));
        ChannelFuture connecting = b.connect(server);
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                relay(ctx, connecting.channel());
            } else if (!inbound.isActive()) {
                connecting.channel().close();
            } else if (attempt + 1 < route.servers.length) {
                log.debug("Backend {} refused {}: {}; trying the next server", server, inbound.remoteAddress(),
                        f.cause().toString());
                connect(ctx, start, attempt + 1);
            } else {
                listener.warn("connect-failed", "Listener '" + listener.name() + "': no backend server accepted a "
                        + "connection (last tried " + server + ": " + f.cause().getMessage() + "); closing client "
                        + inbound.remoteAddress());
                inbound.close();
            }
        });
    }

    private void relay(ChannelHandlerContext ctx, Channel backend) {
        Channel inbound = ctx.channel();
        if (!inbound.isActive()) {
            backend.close();
            return;
        }
        if (route.route.proxyProtocol()) {
            backend.write(ProxyHeader.encode(backend.alloc(), (InetSocketAddress) inbound.remoteAddress(),
                    (InetSocketAddress) inbound.localAddress()), backend.voidPromise());
        }
        for (Object msg; (msg = early.poll()) != null;) {
            backend.write(msg, backend.voidPromise());
        }
        backend.flush();
        ctx.pipeline().replace(this, "relay", new RelayHandler(backend));
        backend.config().setAutoRead(true);
        if (clientInputEnded) {
            ctx.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            inbound.config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            clientInputEnded = true;
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        ctx.fireChannelInactive();
    }

    private void releaseEarly() {
        for (Object msg; (msg = early.poll()) != null;) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Client connection {} failed before relaying: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
