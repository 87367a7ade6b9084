package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.BackendSettingsProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.GatehouseProxyProtocol;
import dev.gatehouse.gateway.model.Protocol;
import dev.gatehouse.gateway.model.Reference;
import java.util.List;

/**
 * Backend settings: client IP preservation and TLS-to-backend options only where their protocol has them, the
 * PROXY protocol extension only with client IP preservation (and TLVs only on v2), and a probe of the settings'
 * own protocol. Part of {@link GatewayRules}.
 */
final class BackendSettingsRules {

    private BackendSettingsRules() {}

    static void check(Check c) {
        var col = ChildCollection.BACKEND_SETTINGS;
        var items = col.items(c.document());
        for (int i = 0; i < items.size(); i++) {
            BackendSettingsProperties s = items.get(i).properties();
            if (s == null) {
                continue;
            }
            boolean l4 = s.protocol() != null && s.protocol().isLayer4();
            if (s.l4ClientIpPreservationEnabled() && s.protocol() != null && !l4) {
                c.add(
                        CLIENT_IP_PRESERVATION_REQUIRES_TCP_OR_TLS,
                        "enableL4ClientIpPreservation sends a PROXY protocol "
                                + "header and needs protocol Tcp or Tls, not " + s.protocol() + ".",
                        prop(col, i, "enableL4ClientIpPreservation"));
            }
            proxyProtocol(c, s, i);
            if (s.protocol() != Protocol.Tls && s.protocol() != null) {
                if (s.hostName() != null) {
                    c.add(
                            HOST_NAME_REQUIRES_TLS,
                            "hostName is the SNI sent to Tls backends and needs protocol Tls.",
                            prop(col, i, "hostName"));
                }
                if (s.hostNameFromBackendAddress()) {
                    c.add(
                            HOST_NAME_REQUIRES_TLS,
                            "pickHostNameFromBackendAddress sets the SNI sent to Tls backends "
                                    + "and needs protocol Tls.",
                            prop(col, i, "pickHostNameFromBackendAddress"));
                }
                if (s.trustedRootCertificates() != null
                        && !s.trustedRootCertificates().isEmpty()) {
                    c.add(
                            TRUSTED_ROOTS_REQUIRE_TLS,
                            "trustedRootCertificates verify Tls backends and need protocol Tls.",
                            prop(col, i, "trustedRootCertificates"));
                }
            }
            if (s.hostName() != null && s.hostNameFromBackendAddress()) {
                c.add(
                        INVALID_PROPERTY_VALUE,
                        "Set either hostName or pickHostNameFromBackendAddress, not both.",
                        prop(col, i, "hostName"));
            }
            var roots = s.trustedRootCertificates() == null ? List.<Reference>of() : s.trustedRootCertificates();
            for (int j = 0; j < roots.size(); j++) {
                c.resolve(
                        roots.get(j),
                        ChildCollection.TRUSTED_ROOT_CERTIFICATES,
                        prop(col, i, "trustedRootCertificates[" + j + "]"));
            }
            var probe = c.resolve(s.probe(), ChildCollection.PROBES, prop(col, i, "probe"));
            Protocol probeProtocol = probe.map(
                            r -> r.properties() == null ? null : r.properties().protocol())
                    .orElse(null);
            if (l4 && probeProtocol != null && probeProtocol != s.protocol()) {
                c.add(
                        INCOMPATIBLE_PROBE_PROTOCOL,
                        "Backend settings with protocol " + s.protocol() + " need a " + s.protocol() + " probe; '"
                                + probe.get().name() + "' is " + probeProtocol + ".",
                        prop(col, i, "probe"));
            }
        }
    }

    /** {@code gatehouseProxyProtocol} chooses the header that client IP preservation sends: without it, none. */
    private static void proxyProtocol(Check c, BackendSettingsProperties s, int i) {
        GatehouseProxyProtocol pp = s.gatehouseProxyProtocol();
        if (pp == null) {
            return;
        }
        var col = ChildCollection.BACKEND_SETTINGS;
        if (!s.l4ClientIpPreservationEnabled()) {
            c.add(
                    PROXY_PROTOCOL_REQUIRES_CLIENT_IP_PRESERVATION,
                    "gatehouseProxyProtocol chooses the PROXY header that enableL4ClientIpPreservation sends; set "
                            + "enableL4ClientIpPreservation to true, or remove gatehouseProxyProtocol.",
                    prop(col, i, "gatehouseProxyProtocol"));
        }
        List<GatehouseProxyProtocol.Tlv> tlvs = pp.tlvsOrEmpty();
        for (int j = 0; j < tlvs.size(); j++) {
            if (tlvs.get(j) == null) {
                c.add(
                        INVALID_PROPERTY_VALUE,
                        "A TLV is one of Authority, Alpn, UniqueId, Ssl, Crc32c; not null.",
                        prop(col, i, "gatehouseProxyProtocol.tlvs[" + j + "]"));
            }
        }
        List<Integer> types = pp.passThroughTlvTypesOrEmpty();
        for (int j = 0; j < types.size(); j++) {
            Integer type = types.get(j);
            if (type == null || type < 0xE0 || type > 0xF7) {
                c.add(
                        VALUE_OUT_OF_RANGE,
                        "Only the application TLV types 224-247 (0xE0-0xF7) pass through; Gatehouse writes the "
                                + "registered types itself. Not " + type + ".",
                        prop(col, i, "gatehouseProxyProtocol.passThroughTlvTypes[" + j + "]"));
            }
        }
        if (pp.version() == GatehouseProxyProtocol.Version.V1) {
            if (!pp.tlvsOrEmpty().isEmpty()) {
                c.add(
                        PROXY_PROTOCOL_TLVS_REQUIRE_V2,
                        "TLVs exist in PROXY protocol version V2 only; set version V2 or remove tlvs.",
                        prop(col, i, "gatehouseProxyProtocol.tlvs"));
            }
            if (!pp.passThroughTlvTypesOrEmpty().isEmpty()) {
                c.add(
                        PROXY_PROTOCOL_TLVS_REQUIRE_V2,
                        "TLVs exist in PROXY protocol version V2 only; set version V2 or remove "
                                + "passThroughTlvTypes.",
                        prop(col, i, "gatehouseProxyProtocol.passThroughTlvTypes"));
            }
        }
    }
}
