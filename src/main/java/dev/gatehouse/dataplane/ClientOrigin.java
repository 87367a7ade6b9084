package dev.gatehouse.dataplane;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Whom a proxied connection is for. Without a PROXY header in front, the client is the peer that connected and
 * the destination is the listener's socket; with a header accepted from a trusted peer, both come from the
 * header. Everything downstream (the backend's PROXY header, allow lists, metrics, the access log) uses
 * {@link #client()}; only the access log also names the {@link #peer()}.
 *
 * @param peer        the address that opened the TCP connection to the listener
 * @param client      the client the connection stands for
 * @param destination the address the client connected to
 * @param tlvs        TLVs received in a trusted PROXY v2 header that may be passed on to v2 backends; empty
 *                    when there was none
 */
public record ClientOrigin(
        InetSocketAddress peer, InetSocketAddress client, InetSocketAddress destination, List<Tlv> tlvs) {

    public ClientOrigin {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
        tlvs = List.copyOf(tlvs);
    }

    /** A connection received directly: the peer is the client. */
    public static ClientOrigin direct(InetSocketAddress peer, InetSocketAddress destination) {
        return new ClientOrigin(peer, peer, destination, List.of());
    }

    /**
     * One PROXY v2 type-length-value field (haproxy's doc/proxy-protocol.txt, section 2.2.1).
     *
     * @param type  0x00-0xFF
     * @param value at most 65535 bytes; not copied: never modify it
     */
    public record Tlv(int type, byte[] value) {

        public Tlv {
            if (type < 0 || type > 0xFF) {
                throw new IllegalArgumentException("TLV type out of range: " + type);
            }
            Objects.requireNonNull(value, "value");
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("TLV value longer than 65535 bytes");
            }
        }
    }
}
