package dev.gatehouse.dataplane;

import java.time.Duration;
import java.util.Objects;

/**
 * How the servers of one (pool, settings) pair are probed. A probe connects (Tcp), optionally sends a PROXY
 * header that names no client, and for Tls completes a handshake verified like live traffic.
 *
 * @param name               the probe's name in the document, or {@code "default"} for the default probe
 * @param tls                a Tls probe (handshake after the optional header)
 * @param port               the port to probe, or {@code null} for the settings' port
 * @param host               the SNI for Tls probes, or {@code null} to use the settings' rules
 * @param unhealthyThreshold consecutive failures that make a server Unhealthy
 * @param proxyHeader        the PROXY header sent first
 */
public record ProbeSpec(
        String name,
        boolean tls,
        Integer port,
        String host,
        Duration interval,
        Duration timeout,
        int unhealthyThreshold,
        ProxyHeaderMode proxyHeader) {

    public ProbeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(proxyHeader, "proxyHeader");
        if (unhealthyThreshold < 1) {
            throw new IllegalArgumentException("unhealthyThreshold must be at least 1");
        }
    }

    /** The PROXY header a probe sends: the connection is the probe's own, so it names no client. */
    public enum ProxyHeaderMode {
        /** No header. */
        NONE(null),
        /** The 15 bytes {@code PROXY UNKNOWN\r\n} ({@link ProxyHeader#UNKNOWN}). */
        V1(ProxyHeader.UNKNOWN),
        /** The 16 bytes of a v2 LOCAL header ({@link ProxyHeaderV2#LOCAL}). */
        V2_LOCAL(ProxyHeaderV2.LOCAL);

        private final byte[] bytes;

        ProxyHeaderMode(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The header's bytes, or {@code null} for none; never modify them. */
        public byte[] bytes() {
            return bytes;
        }
    }
}
