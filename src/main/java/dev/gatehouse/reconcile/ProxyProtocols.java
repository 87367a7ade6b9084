package dev.gatehouse.reconcile;

import dev.gatehouse.dataplane.ProbeSpec;
import dev.gatehouse.dataplane.ProxyProtocol;
import dev.gatehouse.gateway.model.BackendSettingsProperties;
import dev.gatehouse.gateway.model.GatehouseProxyProtocol;
import dev.gatehouse.gateway.model.ProbeProperties;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decides the PROXY headers of a route and of its probe, for {@link SnapshotTranslator}: what the backend
 * settings' {@code enableL4ClientIpPreservation} sends (v1 unless {@code gatehouseProxyProtocol} says), and what
 * a probe sends. Azure's rule for probes: the default probe follows the settings (v1: {@code PROXY UNKNOWN};
 * Gatehouse's v2: a v2 LOCAL header, so a v2-only receiver accepts it), a custom probe follows its own
 * {@code enableProbeProxyProtocolHeader} ({@code PROXY UNKNOWN}) unless {@code gatehouseProxyProtocolHeader}
 * chooses. Pure.
 */
final class ProxyProtocols {

    private ProxyProtocols() {}

    /** The header the route sends, or {@code null} when the settings do not preserve the client IP. */
    static ProxyProtocol route(BackendSettingsProperties settings) {
        if (!settings.l4ClientIpPreservationEnabled()) {
            return null;
        }
        if (settings.proxyProtocolVersion() == GatehouseProxyProtocol.Version.V1) {
            return ProxyProtocol.V1;
        }
        GatehouseProxyProtocol pp = settings.gatehouseProxyProtocol();
        Set<ProxyProtocol.Tlv> tlvs = EnumSet.noneOf(ProxyProtocol.Tlv.class);
        for (GatehouseProxyProtocol.Tlv tlv : pp.tlvsOrEmpty()) {
            tlvs.add(
                    switch (tlv) {
                        case Authority -> ProxyProtocol.Tlv.AUTHORITY;
                        case Alpn -> ProxyProtocol.Tlv.ALPN;
                        case UniqueId -> ProxyProtocol.Tlv.UNIQUE_ID;
                        case Ssl -> ProxyProtocol.Tlv.SSL;
                        case Crc32c -> ProxyProtocol.Tlv.CRC32C;
                    });
        }
        List<Integer> passThrough = new ArrayList<>();
        for (Integer type : pp.passThroughTlvTypesOrEmpty()) {
            if (type != null && !passThrough.contains(type)) {
                passThrough.add(type);
            }
        }
        return new ProxyProtocol(ProxyProtocol.Version.V2, tlvs, passThrough);
    }

    /** The header of the settings' default probe. */
    static ProbeSpec.ProxyHeaderMode defaultProbe(BackendSettingsProperties settings) {
        if (!settings.l4ClientIpPreservationEnabled()) {
            return ProbeSpec.ProxyHeaderMode.NONE;
        }
        return settings.proxyProtocolVersion() == GatehouseProxyProtocol.Version.V2
                ? ProbeSpec.ProxyHeaderMode.V2_LOCAL
                : ProbeSpec.ProxyHeaderMode.V1;
    }

    /** The header of a custom probe. */
    static ProbeSpec.ProxyHeaderMode customProbe(ProbeProperties probe) {
        return switch (probe.proxyProtocolHeader()) {
            case None -> ProbeSpec.ProxyHeaderMode.NONE;
            case V1 -> ProbeSpec.ProxyHeaderMode.V1;
            case V2Local -> ProbeSpec.ProxyHeaderMode.V2_LOCAL;
        };
    }
}
