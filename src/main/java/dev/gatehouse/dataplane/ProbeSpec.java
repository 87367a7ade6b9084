package dev.gatehouse.dataplane;

import java.time.Duration;
import java.util.Objects;

/**
 * How the servers of one (pool, settings) pair are probed. A probe connects (Tcp), optionally sends
 * the 15 bytes {@code PROXY UNKNOWN\r\n}, and for Tls completes a handshake verified like live traffic.
 *
 * @param name               the probe's name in the document, or {@code "default"} for the default probe
 * @param tls                a Tls probe (handshake after the optional header)
 * @param port               the port to probe, or {@code null} for the settings' port
 * @param host               the SNI for Tls probes, or {@code null} to use the settings' rules
 * @param unhealthyThreshold consecutive failures that make a server Unhealthy
 * @param sendProxyHeader    send {@code PROXY UNKNOWN\r\n} first
 */
public record ProbeSpec(
        String name,
        boolean tls,
        Integer port,
        String host,
        Duration interval,
        Duration timeout,
        int unhealthyThreshold,
        boolean sendProxyHeader) {

    public ProbeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (unhealthyThreshold < 1) {
            throw new IllegalArgumentException("unhealthyThreshold must be at least 1");
        }
    }
}
