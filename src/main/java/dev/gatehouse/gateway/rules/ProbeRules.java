package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ProbeProperties;
import dev.gatehouse.gateway.model.ProbeProxyProtocolHeader;

/**
 * Probes: a Layer-4 probe has no path or match, and sends a PROXY header only over Tcp or Tls; the header
 * extension and Azure's flag do not contradict each other. Part of {@link GatewayRules}.
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
            proxyHeader(c, probe, i, l4);
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

    /**
     * {@code gatehouseProxyProtocolHeader} chooses the header when present; an explicit
     * {@code enableProbeProxyProtocolHeader} that says the opposite is refused rather than overridden.
     */
    private static void proxyHeader(Check c, ProbeProperties probe, int i, boolean l4) {
        ProbeProxyProtocolHeader header = probe.gatehouseProxyProtocolHeader();
        if (header == null) {
            return;
        }
        var col = ChildCollection.PROBES;
        if (!l4 && header != ProbeProxyProtocolHeader.None) {
            c.add(
                    PROBE_PROXY_HEADER_REQUIRES_TCP_OR_TLS,
                    "gatehouseProxyProtocolHeader " + header + " needs protocol Tcp or Tls, not " + probe.protocol()
                            + ".",
                    prop(col, i, "gatehouseProxyProtocolHeader"));
        }
        Boolean enabled = probe.enableProbeProxyProtocolHeader();
        if (enabled != null && enabled != (header != ProbeProxyProtocolHeader.None)) {
            c.add(
                    PROBE_PROXY_HEADER_CONFLICT,
                    "enableProbeProxyProtocolHeader " + enabled + " contradicts gatehouseProxyProtocolHeader "
                            + header + "; remove enableProbeProxyProtocolHeader (gatehouseProxyProtocolHeader "
                            + "decides when present).",
                    prop(col, i, "enableProbeProxyProtocolHeader"));
        }
    }
}
