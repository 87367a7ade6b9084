package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ListenerSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * One bound listener: its server channel and its current spec. The spec is swapped in place when only
 * the route changes, so the socket and open connections survive; each new connection reads the spec
 * once, when accepted. Thread-safety: {@code spec} is volatile, read on event loops, written by the
 * applying thread.
 */
final class ListenerState {

    private final Bootstrap backendTemplate;
    private final RateLimitedLog warnings;
    private volatile ListenerSpec spec;
    private volatile RouteState route;
    private Channel serverChannel;

    ListenerState(ListenerSpec spec, Bootstrap backendTemplate, RateLimitedLog warnings) {
        this.backendTemplate = backendTemplate;
        this.warnings = warnings;
        update(spec);
    }

    void update(ListenerSpec newSpec) {
        if (spec == null || !newSpec.route().equals(spec.route())) {
            this.route = new RouteState(newSpec.route());
        }
        this.spec = newSpec;
    }

    ListenerSpec spec() {
        return spec;
    }

    String name() {
        return spec.name();
    }

    void bound(Channel channel) {
        this.serverChannel = channel;
    }

    Channel serverChannel() {
        return serverChannel;
    }

    /** A fresh bootstrap for one backend connection, sharing the template's options and resolver. */
    Bootstrap backendBootstrap() {
        return backendTemplate.clone();
    }

    void warn(String kind, String message) {
        warnings.warn(spec.bindKey() + "/" + kind, message);
    }

    /** Sets up each accepted connection with the route current at accept time. */
    ChannelInitializer<SocketChannel> childInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                RouteState current = route;
                long idleMillis = current.route.idleTimeout().toMillis();
                ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
                ch.pipeline().addLast("frontend", new FrontendHandler(ListenerState.this, current));
            }
        };
    }
}
