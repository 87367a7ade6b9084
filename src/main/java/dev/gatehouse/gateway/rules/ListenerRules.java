package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.gateway.model.Protocol;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Listeners: Layer-4 protocols, a certificate exactly where TLS is terminated, SNI host names, resolvable
 * references, an address and port the listener policy allows and no other listener overlaps. Part of
 * {@link GatewayRules}.
 */
final class ListenerRules {

    private static final Pattern HOST_NAME = Pattern.compile(
            "(\\*\\.)?([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?");

    private ListenerRules() {}

    static void check(Check c, ListenerPolicy policy) {
        var col = ChildCollection.LISTENERS;
        var items = col.items(c.document());
        List<ListenerConflicts.Bind> binds = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ListenerProperties l = items.get(i).properties();
            if (l == null) {
                continue;
            }
            if (l.protocol() != null && !l.protocol().isLayer4()) {
                c.add(
                        UNSUPPORTED_LISTENER_PROTOCOL,
                        "Listeners are Layer-4: protocol must be Tcp or Tls, not " + l.protocol()
                                + " (HTTP listeners are not supported).",
                        prop(col, i, "protocol"));
            }
            if (l.protocol() == Protocol.Tls && l.sslCertificate() == null) {
                c.add(
                        TLS_LISTENER_REQUIRES_CERTIFICATE,
                        "A Tls listener needs an sslCertificate.",
                        prop(col, i, "sslCertificate"));
            }
            if (l.protocol() == Protocol.Tcp && l.sslCertificate() != null) {
                c.add(
                        CERTIFICATE_NOT_ALLOWED_ON_TCP_LISTENER,
                        "A Tcp listener does not terminate TLS; remove " + "sslCertificate or use protocol Tls.",
                        prop(col, i, "sslCertificate"));
            }
            if (l.hostNames() != null && !l.hostNames().isEmpty() && l.protocol() != Protocol.Tls) {
                c.add(
                        HOST_NAMES_REQUIRE_TLS_LISTENER,
                        "hostNames select a listener by TLS SNI and need protocol Tls.",
                        prop(col, i, "hostNames"));
            }
            List<String> hostNames = l.hostNames() == null ? List.of() : l.hostNames();
            Set<String> seenNames = new HashSet<>();
            for (int j = 0; j < hostNames.size(); j++) {
                String h = hostNames.get(j);
                if (h == null || h.length() > 253 || !HOST_NAME.matcher(h).matches()) {
                    c.add(
                            INVALID_HOST_NAME,
                            "'" + h + "' is not a host name; use names like 'db.example.com' or a "
                                    + "wildcard for one label, '*.example.com'.",
                            prop(col, i, "hostNames[" + j + "]"));
                } else if (!seenNames.add(h.toLowerCase(Locale.ROOT))) {
                    c.add(
                            INVALID_HOST_NAME,
                            "'" + h + "' is listed twice (host names are compared " + "case-insensitively).",
                            prop(col, i, "hostNames[" + j + "]"));
                }
            }
            ClientAddressRules.check(c, i, l);
            c.resolve(l.sslCertificate(), ChildCollection.SSL_CERTIFICATES, prop(col, i, "sslCertificate"));
            var ip = c.resolve(
                    l.frontendIPConfiguration(),
                    ChildCollection.FRONTEND_IP_CONFIGURATIONS,
                    prop(col, i, "frontendIPConfiguration"));
            var port = c.resolve(l.frontendPort(), ChildCollection.FRONTEND_PORTS, prop(col, i, "frontendPort"));
            InetAddress address = ip.map(r -> r.properties() == null
                            ? null
                            : IpAddresses.parse(r.properties().privateIPAddress()))
                    .orElse(null);
            Integer number = port.map(
                            r -> r.properties() == null ? null : r.properties().port())
                    .orElse(null);
            if (address != null && number != null) {
                binds.add(new ListenerConflicts.Bind(i, address, number, l));
                // A port outside 1-65535 is reported by the range check of its frontendPort already.
                String refusal = number < 1 || number > 65535 ? null : policy.refusal(address, number);
                if (refusal != null) {
                    String host = address instanceof Inet6Address
                            ? "[" + address.getHostAddress() + "]"
                            : address.getHostAddress();
                    c.add(
                            LISTENER_NOT_ALLOWED,
                            "Listener '" + items.get(i).name() + "' may not bind " + host + ":" + number + ": "
                                    + refusal + ".",
                            prop(col, i, "frontendPort"));
                }
            }
        }
        ListenerConflicts.find(binds).forEach(c::add);
        ClientAddressRules.checkSharedSockets(c, binds);
    }
}
