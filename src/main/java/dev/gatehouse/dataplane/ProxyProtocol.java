package dev.gatehouse.dataplane;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The PROXY protocol header a route sends to its backend servers before any other byte.
 *
 * @param version             v1 (text, Azure's header) or v2 (binary)
 * @param tlvs                the TLVs a v2 header carries, each only when the connection has its value (no
 *                            AUTHORITY without SNI, no ALPN without a negotiated protocol, no SSL without TLS);
 *                            iterated in the enum's order
 * @param passThroughTlvTypes TLV types (0xE0-0xF7) copied from the PROXY header received in front of the
 *                            listener ({@link ClientOrigin#tlvs()}) into the v2 header, in this order
 */
public record ProxyProtocol(Version version, Set<Tlv> tlvs, List<Integer> passThroughTlvTypes) {

    /** Azure's header: v1, nothing else. */
    public static final ProxyProtocol V1 = new ProxyProtocol(Version.V1, Set.of(), List.of());

    public ProxyProtocol {
        Objects.requireNonNull(version, "version");
        tlvs = ordered(tlvs);
        passThroughTlvTypes = List.copyOf(passThroughTlvTypes);
        if (version == Version.V1 && (!tlvs.isEmpty() || !passThroughTlvTypes.isEmpty())) {
            throw new IllegalArgumentException("a PROXY v1 header carries no TLVs");
        }
        for (int type : passThroughTlvTypes) {
            if (type < 0xE0 || type > 0xF7) {
                throw new IllegalArgumentException("only application TLV types 0xE0-0xF7 pass through, not " + type);
            }
        }
    }

    private static Set<Tlv> ordered(Collection<Tlv> tlvs) {
        return tlvs.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(tlvs));
    }

    /** Which header. */
    public enum Version {
        V1,
        V2
    }

    /** A TLV of a v2 header that Gatehouse fills from the connection (doc/proxy-protocol.txt, 2.2.1-2.2.6). */
    public enum Tlv {
        /** PP2_TYPE_ALPN: the protocol negotiated with a Tls listener's client. */
        ALPN,
        /** PP2_TYPE_AUTHORITY: the SNI the client sent to a Tls listener. */
        AUTHORITY,
        /** PP2_TYPE_UNIQUE_ID: the connection's unique id, as in the access log. */
        UNIQUE_ID,
        /** PP2_TYPE_SSL: TLS version, cipher and client certificate CN of a Tls listener's client. */
        SSL,
        /** PP2_TYPE_CRC32C: a checksum over the whole header. */
        CRC32C
    }
}
