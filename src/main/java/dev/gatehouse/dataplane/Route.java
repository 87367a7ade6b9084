package dev.gatehouse.dataplane;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a listener's connections go, how the backend connection is made, and how its servers are probed.
 *
 * @param pool          the backendAddressPools entry's name; with {@code settings} it names the prober
 * @param settings      the backendSettingsCollection entry's name
 * @param servers       the pool's servers, tried round robin; may be empty (connections are then refused)
 * @param tls           TLS to the backend (after the PROXY header when there is one), or {@code null}
 * @param proxyProtocol the PROXY protocol header sent with the client's address before any other byte, or
 *                      {@code null} for none
 * @param idleTimeout   close a proxied connection after this long without a byte in either direction
 * @param probe         the health probe of this (pool, settings) pair
 * @param drainTimeout  how long open connections may continue once their listener or server is removed
 */
public record Route(
        String pool,
        String settings,
        List<Endpoint> servers,
        BackendTls tls,
        ProxyProtocol proxyProtocol,
        Duration idleTimeout,
        ProbeSpec probe,
        Duration drainTimeout) {

    public Route {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(settings, "settings");
        servers = List.copyOf(servers);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** A backend server: an IP literal or a host name, and a port. */
    public record Endpoint(String host, int port) {

        public Endpoint {
            Objects.requireNonNull(host, "host");
        }

        /**
         * Where to connect for {@code atPort}: an IP literal parsed (no resolution needed at connect time),
         * a host name left unresolved for the non-blocking resolver.
         */
        public InetSocketAddress socketAddress(int atPort) {
            byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
            if (literal == null) {
                return InetSocketAddress.createUnresolved(host, atPort);
            }
            try {
                return new InetSocketAddress(InetAddress.getByAddress(literal), atPort);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        @Override
        public String toString() {
            return hostPort(host, port);
        }

        /** {@code host:port} as users write it: {@code [::1]:443} for IPv6. */
        public static String hostPort(String host, int port) {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
