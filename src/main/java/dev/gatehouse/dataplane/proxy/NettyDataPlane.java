package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ApplyResult;
import dev.gatehouse.dataplane.ApplyResult.ListenerFailure;
import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.dataplane.ListenerSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Netty data plane. One event-loop group serves accepts and relays; each listener is a
 * server channel; each proxied connection is a pair of channels on one event loop.
 * <p>Applying diffs against what runs: a listener keyed by the same address, port and protocol keeps its
 * socket and swaps its route; a removed listener stops accepting (its open connections run on); a new
 * one is bound, and a bind failure is reported for that listener only.
 * <p>Thread-safety: {@link #apply} and {@link #remove} are called by one thread at a time (the reconciler).
 */
public final class NettyDataPlane implements DataPlane {

    private static final Logger log = LoggerFactory.getLogger(NettyDataPlane.class);

    private final DataPlaneSettings settings;
    private final Transport transport;
    private final EventLoopGroup group;
    private final DnsAddressResolverGroup resolver;
    private final Bootstrap backendTemplate;
    private final RateLimitedLog warnings = new RateLimitedLog(log, Duration.ofSeconds(10));
    /** gateway key -> bind key -> running listener. */
    private final Map<String, Map<String, ListenerState>> running = new ConcurrentHashMap<>();

    public NettyDataPlane(DataPlaneSettings settings) {
        this.settings = settings;
        this.transport = Transport.select(settings.nativeTransport());
        int threads = settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
        this.resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel())
                .socketChannelType(transport.socketChannel()));
        this.backendTemplate = new Bootstrap()
                .channel(transport.socketChannel())
                .resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
        Throwable nativeCause = Transport.nativeUnavailabilityCause();
        log.info("Data plane started: {} transport, {} event loops{}", transport.name(), threads,
                settings.nativeTransport() && nativeCause != null ? " (epoll unavailable: " + nativeCause + ")" : "");
    }

    @Override
    public ApplyResult apply(GatewaySnapshot snapshot) {
        Map<String, ListenerState> current = running.computeIfAbsent(snapshot.gatewayKey(), k -> new ConcurrentHashMap<>());
        Map<String, ListenerSpec> desired = new HashMap<>();
        snapshot.listeners().forEach(l -> desired.put(l.bindKey(), l));

        // Stop what is no longer wanted first, so that a listener moving between names can rebind.
        for (var it = current.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            ListenerSpec wanted = desired.get(entry.getKey());
            if (wanted == null || wanted.tls() != entry.getValue().spec().tls()) {
                stop(entry.getValue());
                it.remove();
            }
        }
        List<ListenerFailure> failures = new ArrayList<>();
        for (ListenerSpec spec : snapshot.listeners()) {
            ListenerState existing = current.get(spec.bindKey());
            if (existing != null) {
                existing.update(spec);
                continue;
            }
            ListenerFailure failure = start(spec, current);
            if (failure != null) {
                failures.add(failure);
            }
        }
        if (current.isEmpty()) {
            running.remove(snapshot.gatewayKey());
        }
        return new ApplyResult(failures);
    }

    private ListenerFailure start(ListenerSpec spec, Map<String, ListenerState> current) {
        if (spec.tls() || spec.route().tls()) {
            return new ListenerFailure(spec.name(), "TlsNotSupportedYet", "Listener '" + spec.name() + "' on "
                    + spec.bindKey() + " needs TLS " + (spec.tls() ? "termination" : "to its backends")
                    + ", which this version of Gatehouse does not serve yet; the document is stored.");
        }
        ListenerState state = new ListenerState(spec, backendTemplate, warnings);
        ServerBootstrap server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(state.childInitializer());
        ChannelFuture bind = server.bind(new InetSocketAddress(literal(spec.address()), spec.port()));
        if (!bind.awaitUninterruptibly(settings.bindTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            bind.cancel(false);
            bind.channel().close();
            return new ListenerFailure(spec.name(), "ListenerBindFailed", "Listener '" + spec.name()
                    + "' could not bind " + spec.bindKey() + " within " + settings.bindTimeout().toMillis() + " ms.");
        }
        if (!bind.isSuccess()) {
            return new ListenerFailure(spec.name(), "ListenerBindFailed", "Listener '" + spec.name()
                    + "' could not bind " + spec.bindKey() + ": " + describe(bind.cause()) + ".");
        }
        state.bound(bind.channel());
        current.put(spec.bindKey(), state);
        log.info("Listener '{}' accepting on {}", spec.name(), spec.bindKey());
        return null;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Netty's native transport prefixes errno text with the syscall ("bind(..) failed: ").
        int colon = message.indexOf("failed: ");
        return colon >= 0 ? message.substring(colon + "failed: ".length()) : message;
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address));
        } catch (UnknownHostException | NullPointerException e) {
            throw new IllegalArgumentException("not an IP literal: " + address, e);
        }
    }

    private void stop(ListenerState state) {
        if (state.serverChannel() != null) {
            state.serverChannel().close().awaitUninterruptibly(settings.bindTimeout().toMillis());
            log.info("Listener '{}' stopped accepting on {}", state.name(), state.spec().bindKey());
        }
    }

    @Override
    public void remove(String gatewayKey) {
        Map<String, ListenerState> listeners = running.remove(gatewayKey);
        if (listeners != null) {
            listeners.values().forEach(this::stop);
        }
    }

    @Override
    public Set<String> gatewayKeys() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public void close() {
        running.keySet().forEach(this::remove);
        resolver.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        log.info("Data plane stopped");
    }
}
