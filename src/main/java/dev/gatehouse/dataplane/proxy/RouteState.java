package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.Route;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route ready for the hot path: backend addresses parsed once (IP literals need no resolution at
 * connect time; host names stay unresolved for the non-blocking resolver), and the round-robin cursor.
 * Immutable apart from the cursor; shared by all event loops.
 */
final class RouteState {

    final Route route;
    final InetSocketAddress[] servers;
    private final AtomicInteger cursor = new AtomicInteger();

    RouteState(Route route) {
        this.route = route;
        List<Route.Endpoint> endpoints = route.servers();
        this.servers = new InetSocketAddress[endpoints.size()];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = address(endpoints.get(i));
        }
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
