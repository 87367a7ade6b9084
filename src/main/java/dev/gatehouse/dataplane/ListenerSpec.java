package dev.gatehouse.dataplane;

import java.util.Objects;

/**
 * One listener: where to accept connections, how (plain TCP or TLS termination), and where to send them.
 *
 * @param name    the listener's name in the document, used in status and logs
 * @param address an IPv4 or IPv6 literal (validated upstream), or a wildcard
 * @param port    1-65535
 */
public record ListenerSpec(String name, String address, int port, boolean tls, Route route) {

    public ListenerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(route, "route");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Identifies the socket: listeners with the same bind key cannot both be bound. */
    public String bindKey() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
