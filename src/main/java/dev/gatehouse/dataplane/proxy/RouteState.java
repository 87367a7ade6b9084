package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLException;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route ready for the hot path: backend addresses parsed once (IP literals need no resolution at
 * connect time; host names stay unresolved for the non-blocking resolver), the TLS context for backends
 * that need one, and the round-robin cursor.
 * Immutable apart from the cursor; shared by all event loops.
 */
final class RouteState {

    final Route route;
    final InetSocketAddress[] servers;
    /** The client context for Tls backends, {@code null} for plain TCP. */
    final SslContext backendContext;
    private final AtomicInteger cursor = new AtomicInteger();

    RouteState(Route route, TlsContexts tls) throws GeneralSecurityException, SSLException {
        this.route = route;
        this.backendContext = route.tls() == null ? null : tls.client(route.tls());
        List<Route.Endpoint> endpoints = route.servers();
        this.servers = new InetSocketAddress[endpoints.size()];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = address(endpoints.get(i));
        }
    }

    /** The SNI to send to {@code server}, or {@code null} for none. */
    String sniFor(InetSocketAddress server) {
        if (route.tls().sniHostName() != null) {
            return route.tls().sniHostName();
        }
        return route.tls().sniFromAddress() ? server.getHostString() : null;
    }

    /** Where the next connection starts trying: successive connections start at successive servers. */
    int nextStart() {
        return Math.floorMod(cursor.getAndIncrement(), Math.max(servers.length, 1));
    }

    private static InetSocketAddress address(Route.Endpoint e) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(e.host());
        if (literal == null) {
            return InetSocketAddress.createUnresolved(e.host(), e.port());
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(literal), e.port());
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
