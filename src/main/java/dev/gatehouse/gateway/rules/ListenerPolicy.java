package dev.gatehouse.gateway.rules;

import dev.gatehouse.arm.ApiSettings;
import java.net.InetAddress;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Where listeners may bind, from {@code gatehouse.security.listeners.*}: allowed address ranges (CIDR; default
 * any), allowed port ranges (default 1-65535), Azure's reserved range 65200-65535 refused unless
 * {@code allow-reserved-ports}, never the API's own port, and at most {@code gatehouse.api.max-children}
 * entries per child collection.
 */
@Component
public class ListenerPolicy {

    static final int RESERVED_FROM = 65200;

    private final List<Cidr> addresses;
    private final List<int[]> ports;
    private final boolean allowReserved;
    private final int maxChildren;
    private volatile int apiPort;

    /**
     * {@code gatehouse.security.listeners.*}: where listeners may bind. Bound here rather than in
     * {@code SecuritySettings} because the rules may not depend on the {@code security} package.
     *
     * @param allowedAddresses   Address ranges (CIDR, or single addresses) a listener may bind; empty: any. A
     *                           wildcard listener (0.0.0.0, ::) needs a range of prefix 0.
     * @param allowedPorts       Port ranges (10000-20000) or single ports a listener may bind.
     * @param allowReservedPorts Allow Azure's reserved range 65200-65535, refused by default as on Azure
     *                           Application Gateway v2.
     */
    @ConfigurationProperties("gatehouse.security.listeners")
    public record Settings(
            @DefaultValue List<String> allowedAddresses,
            @DefaultValue("1-65535") List<String> allowedPorts,
            @DefaultValue("false") boolean allowReservedPorts) {}

    @Autowired
    ListenerPolicy(Settings settings, ApiSettings api, @Value("${server.port:8080}") int apiPort) {
        this(settings, api.maxChildren(), apiPort);
    }

    private ListenerPolicy(Settings settings, int maxChildren, int apiPort) {
        this.addresses = settings.allowedAddresses().stream()
                .filter(s -> !s.isBlank())
                .map(Cidr::parse)
                .toList();
        this.ports = settings.allowedPorts().stream()
                .filter(s -> !s.isBlank())
                .map(ListenerPolicy::range)
                .toList();
        this.allowReserved = settings.allowReservedPorts();
        this.maxChildren = maxChildren;
        this.apiPort = apiPort;
    }

    /** Anything goes except the reserved ports; for tests of the rules alone. */
    static ListenerPolicy permissive() {
        return new ListenerPolicy(new Settings(List.of(), List.of("1-65535"), false), 100, 0);
    }

    /** The port the API really listens on (server.port may be 0: a random port). */
    @EventListener
    void apiStarted(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            apiPort = event.getWebServer().getPort();
        }
    }

    int maxChildren() {
        return maxChildren;
    }

    /** Why {@code address}:{@code port} may not be a listener, or {@code null} when it may. */
    String refusal(InetAddress address, int port) {
        if (port == apiPort) {
            return "port " + port + " is Gatehouse's own API port";
        }
        if (port >= RESERVED_FROM && !allowReserved) {
            return "ports " + RESERVED_FROM + "-65535 are reserved (as in Azure Application Gateway v2); set "
                    + "gatehouse.security.listeners.allow-reserved-ports to allow them";
        }
        if (!ports.isEmpty() && ports.stream().noneMatch(r -> port >= r[0] && port <= r[1])) {
            return "port " + port + " is outside gatehouse.security.listeners.allowed-ports";
        }
        if (!addresses.isEmpty() && addresses.stream().noneMatch(c -> c.contains(address))) {
            return "address " + address.getHostAddress() + " is outside gatehouse.security.listeners.allowed-addresses";
        }
        return null;
    }

    private static int[] range(String text) {
        String[] parts = text.trim().split("-");
        try {
            int from = Integer.parseInt(parts[0].trim());
            int to = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : from;
            if (parts.length > 2 || from < 1 || to > 65535 || from > to) {
                throw new NumberFormatException();
            }
            return new int[] {from, to};
        } catch (NumberFormatException e) {
            throw new IllegalStateException("gatehouse.security.listeners.allowed-ports: '" + text
                    + "' is not a port or a range like 10000-20000");
        }
    }

    /** An address range; a wildcard listener (0.0.0.0, ::) is only inside a range that holds every address. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/");
            InetAddress a = IpAddresses.parse(parts[0].trim());
            if (a == null) {
                throw new IllegalStateException("gatehouse.security.listeners.allowed-addresses: '" + text
                        + "' is not an address or CIDR range");
            }
            int max = a.getAddress().length * 8;
            int bits = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : max;
            if (bits < 0 || bits > max) {
                throw new IllegalStateException(
                        "gatehouse.security.listeners.allowed-addresses: bad prefix in '" + text + "'");
            }
            return new Cidr(a.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) {
                return false;
            }
            if (address.isAnyLocalAddress()) {
                return bits == 0;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((b[full] ^ network[full]) & (0xff << (8 - rest))) == 0;
        }
    }
}
