package dev.gatehouse.dataplane;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a listener's connections go and how the backend connection is made.
 *
 * @param servers       the pool's servers, tried round robin; may be empty (connections are then refused)
 * @param tls           TLS to the backend (after the PROXY header when there is one), or {@code null}
 * @param proxyProtocol send a PROXY protocol v1 header before any other byte
 * @param idleTimeout   close a proxied connection after this long without a byte in either direction
 */
public record Route(List<Endpoint> servers, BackendTls tls, boolean proxyProtocol, Duration idleTimeout) {

    public Route {
        servers = List.copyOf(servers);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    /** A backend server: an IP literal or a host name, and a port. */
    public record Endpoint(String host, int port) {

        public Endpoint {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
