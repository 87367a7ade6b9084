package dev.gatehouse.dataplane.health;

import dev.gatehouse.dataplane.ProbeSpec;
import dev.gatehouse.dataplane.channel.CloseStopsReading;
import dev.gatehouse.dataplane.tls.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One probe of one server, run entirely on an event loop: connect within the timeout, write the probe's PROXY
 * header ({@code PROXY UNKNOWN\r\n} or v2 LOCAL) when it has one, then (Tls probes) complete a verified TLS
 * handshake. Success is declared when the connection survives a short settle time after the last step, so a
 * server that resets the connection on the header (as nginx and HAProxy do on a header they do not expect or
 * cannot parse) is reported with that reason. Reports exactly once, with a reason a person can act on.
 */
final class ProbeAttempt extends ChannelInboundHandlerAdapter {

    /** How long a probed connection must stay up after the header or handshake to count as accepted. */
    static final long SETTLE_MILLIS = 100;

    private final ProbeSpec spec;
    private final InetSocketAddress target;
    private final SslContext tls;
    private final String sni;
    private final BiConsumer<Boolean, String> done;
    private String phase = "connecting";
    private boolean finished;
    private Channel channel;
    private ScheduledFuture<?> deadline;

    private ProbeAttempt(
            ProbeSpec spec, InetSocketAddress target, SslContext tls, String sni, BiConsumer<Boolean, String> done) {
        this.spec = spec;
        this.target = target;
        this.tls = tls;
        this.sni = sni;
        this.done = done;
    }

    /** Probes {@code target}; {@code done} receives (success, failure reason) once, on {@code loop}. */
    static void run(
            EventLoop loop,
            Bootstrap template,
            ProbeSpec spec,
            InetSocketAddress target,
            SslContext tls,
            String sni,
            BiConsumer<Boolean, String> done) {
        ProbeAttempt attempt = new ProbeAttempt(spec, target, tls, sni, done);
        long timeout = spec.timeout().toMillis();
        Bootstrap b = template.clone()
                .group(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout, Integer.MAX_VALUE))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        CloseStopsReading.addFirst(ch.pipeline()).addLast("probe", attempt);
                    }
                });
        attempt.deadline = loop.schedule(
                () -> attempt.finish(false, "timed out after " + timeout + " ms while " + attempt.phase),
                timeout,
                TimeUnit.MILLISECONDS);
        ChannelFuture connecting = b.connect(target);
        attempt.channel = connecting.channel();
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                attempt.connected(connecting.channel());
            } else {
                attempt.finish(false, describeConnectFailure(f.cause(), timeout));
            }
        });
    }

    private void connected(Channel ch) {
        byte[] header = spec.proxyHeader().bytes();
        if (header != null) {
            phase = "sending the PROXY header";
            ch.writeAndFlush(Unpooled.wrappedBuffer(header));
        }
        if (tls == null) {
            settle(ch);
            return;
        }
        phase = "in the TLS handshake";
        SslHandler handler = TlsContexts.clientHandler(tls, ch.alloc(), sni, target.getPort());
        ch.pipeline().addAfter(CloseStopsReading.NAME, "tls", handler);
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                settle(ch);
            } else {
                finish(false, "TLS handshake failed: " + rootMessage(f.cause()));
            }
        });
    }

    private void settle(Channel ch) {
        phase = "waiting to see the connection accepted";
        ch.eventLoop().schedule(() -> finish(true, null), SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // what the server says is not judged, only that it keeps the connection
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!"connecting".equals(phase)
                && String.valueOf(rootMessage(cause)).toLowerCase().contains("reset")) {
            finish(
                    false,
                    "connection reset "
                            + (spec.proxyHeader() != ProbeSpec.ProxyHeaderMode.NONE
                                    ? "after the PROXY header (the server may not "
                                            + "accept PROXY protocol, or not this header)"
                                    : "right after connecting"));
        } else {
            finish(false, rootMessage(cause));
        }
    }

    private void finish(boolean success, String reason) {
        if (finished) {
            return;
        }
        finished = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
        done.accept(success, reason);
    }

    private static String describeConnectFailure(Throwable cause, long timeout) {
        if (cause instanceof ConnectTimeoutException) {
            return "no connection within " + timeout + " ms";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return rootMessage(cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
