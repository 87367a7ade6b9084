package dev.gatehouse.dataplane;

import dev.gatehouse.net.AddressRange;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A PROXY protocol header expected in front of a listener's connections (haproxy's doc/proxy-protocol.txt, v1
 * or v2, detected): sent by a load balancer whose address is in {@code trustedSources}. A connection from any
 * other peer is closed before anything is read; one whose header is malformed, or does not arrive within
 * {@code headerTimeout}, is closed too.
 *
 * @param trustedSources the peers allowed to send the header; not empty
 * @param headerTimeout  how long after the accept the whole header must have arrived; positive
 */
public record InboundProxy(List<AddressRange> trustedSources, Duration headerTimeout) {

    public InboundProxy {
        trustedSources = List.copyOf(trustedSources);
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (trustedSources.isEmpty()) {
            throw new IllegalArgumentException("trustedSources is empty");
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("headerTimeout must be positive: " + headerTimeout);
        }
    }

    /**
     * From the ranges' texts, as validation accepted them.
     *
     * @throws IllegalArgumentException when a text is no {@link AddressRange}
     */
    public static InboundProxy of(List<String> trustedSources, Duration headerTimeout) {
        return new InboundProxy(AddressRange.parseAll(trustedSources), headerTimeout);
    }

    /** Whether {@code peer} may send a PROXY header. */
    public boolean trusts(InetAddress peer) {
        for (AddressRange range : trustedSources) {
            if (range.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
