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
        /** The 15 bytes {@code PROXY UNKNOWN\r\n} ({@link ProxyHeader#unknown}). */
        V1(ProxyHeader.unknown()),
        /** The 16 bytes of a v2 LOCAL header ({@link ProxyHeaderV2#local}). */
        V2_LOCAL(ProxyHeaderV2.local());

        private final byte[] bytes;

        ProxyHeaderMode(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The header's bytes, a copy for the caller (a probe writes them), or {@code null} for none. */
        public byte[] bytes() {
            return bytes == null ? null : bytes.clone();
        }
    }
}
