package dev.gatehouse.dataplane;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One listener: where to accept connections, how (plain TCP, or TLS terminated with a certificate), and
 * where to send them. Several Tls listeners may share an address and port when their SNI
 * {@code hostNames} differ; the one without host names, if any, takes clients whose SNI matches none.
 *
 * @param name      the listener's name in the document, used in status and logs
 * @param address   an IPv4 or IPv6 literal (validated upstream), or a wildcard
 * @param port      1-65535
 * @param tls       TLS termination, or {@code null} for a Tcp listener
 * @param hostNames SNI names (lower case; {@code *.example.com} wildcards) this Tls listener answers
 * @param proxyProtocol a PROXY header expected in front of every connection, or {@code null} for none; the same
 *                      on every listener of one socket (the header comes before the TLS ClientHello)
 * @param clientAccess  which clients are served, or {@code null} for every client; the same on every listener
 *                      of one socket (it is applied before the listener is chosen)
 */
public record ListenerSpec(
        String name,
        String address,
        int port,
        ServerTls tls,
        List<String> hostNames,
        Route route,
        InboundProxy proxyProtocol,
        ClientAccess clientAccess) {

    public ListenerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(route, "route");
        hostNames = hostNames == null
                ? List.of()
                : hostNames.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (tls == null && !hostNames.isEmpty()) {
            throw new IllegalArgumentException("listener '" + name + "': hostNames need TLS");
        }
    }

    public ListenerSpec(String name, String address, int port, ServerTls tls, List<String> hostNames, Route route) {
        this(name, address, port, tls, hostNames, route, null, null);
    }

    public ListenerSpec(String name, String address, int port, Route route) {
        this(name, address, port, null, List.of(), route);
    }

    public boolean terminatesTls() {
        return tls != null;
    }

    /** The address and port to bind; the address is a literal, so nothing is resolved. */
    public InetSocketAddress bindAddress() {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(address);
        if (literal == null) {
            throw new IllegalArgumentException("listener '" + name + "': not an IP literal: " + address);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(literal), port);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Identifies the socket: listeners with the same bind key share one server channel. */
    public String bindKey() {
        return Route.Endpoint.hostPort(address, port);
    }
}
