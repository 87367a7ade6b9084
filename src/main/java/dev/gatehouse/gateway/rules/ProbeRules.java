package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ProbeProperties;

/**
 * Probes: a Layer-4 probe has no path or match, and sends a PROXY header only over Tcp or Tls. Part of
 * {@link GatewayRules}.
 */
final class ProbeRules {

    private ProbeRules() {}

    static void check(Check c) {
        var col = ChildCollection.PROBES;
        var items = col.items(c.document());
        for (int i = 0; i < items.size(); i++) {
            ProbeProperties probe = items.get(i).properties();
            if (probe == null || probe.protocol() == null) {
                continue;
            }
            boolean l4 = probe.protocol().isLayer4();
            if (probe.probeProxyProtocolHeaderEnabled() && !l4) {
                c.add(
                        PROBE_PROXY_HEADER_REQUIRES_TCP_OR_TLS,
                        "enableProbeProxyProtocolHeader needs protocol Tcp or " + "Tls, not " + probe.protocol() + ".",
                        prop(col, i, "enableProbeProxyProtocolHeader"));
            }
            if (l4 && probe.path() != null) {
                c.add(
                        PROBE_PATH_NOT_ALLOWED,
                        "A " + probe.protocol() + " probe has no path; remove it.",
                        prop(col, i, "path"));
            }
            if (l4 && probe.match() != null) {
                c.add(
                        PROBE_MATCH_NOT_ALLOWED,
                        "A " + probe.protocol() + " probe has no match; remove it.",
                        prop(col, i, "match"));
            }
        }
    }
}
