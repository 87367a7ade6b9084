package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.health.ServerHealth;
import dev.gatehouse.dataplane.tls.TlsContexts;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

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
    /** Each server's probed health, aligned with {@link #servers}; an entry may be null (never probed). */
    private final ServerHealth[] health;

    private final AtomicInteger cursor = new AtomicInteger();

    RouteState(Route route, TlsContexts tls, ServerHealth[] health) throws GeneralSecurityException, SSLException {
        this.route = route;
        this.health = health;
        this.backendContext = route.tls() == null ? null : tls.client(route.tls());
        List<Route.Endpoint> endpoints = route.servers();
        this.servers = new InetSocketAddress[endpoints.size()];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = endpoints.get(i).socketAddress(endpoints.get(i).port());
        }
    }

    /** The health record of the server at {@code index}, or {@code null} when it has none. */
    ServerHealth healthAt(int index) {
        return health[index];
    }

    /** Whether some server may take connections: it is not Unhealthy (or has not been probed). */
    boolean anyRoutable() {
        for (ServerHealth h : health) {
            if (h == null || h.routable()) {
                return true;
            }
        }
        return false;
    }

    /** The SNI to send to {@code server}, or {@code null} for none. */
    String sniFor(InetSocketAddress server) {
        if (route.tls().sniHostName() != null) {
            return route.tls().sniHostName();
        }
        return route.tls().sniFromAddress() ? server.getHostString() : null;
    }

    /**
     * The servers the next connection tries, in order: round robin (successive connections start at
     * successive servers) over the servers that are not Unhealthy; when every server is Unhealthy, over
     * all of them, as Azure does, since a probe may be wrong where a connection could still succeed.
     */
    int[] nextOrder() {
        int n = servers.length;
        int start = Math.floorMod(cursor.getAndIncrement(), Math.max(n, 1));
        int[] order = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            if (health[index] == null || health[index].routable()) {
                order[count++] = index;
            }
        }
        if (count == 0) {
            for (int i = 0; i < n; i++) {
                order[i] = (start + i) % n;
            }
            return order;
        }
        return count == n ? order : Arrays.copyOf(order, count);
    }
}
