package dev.gatehouse.dataplane;

import java.time.Instant;

/**
 * One server's health for one (pool, settings) pair, as the backend health API reports it.
 *
 * @param server              {@code host:port} as probed
 * @param lastFailureReason   why the last failed probe failed (refused, timeout, TLS failure with the
 *                            reason, reset after the PROXY header), or {@code null} if none failed yet
 */
public record ServerHealthReport(
        String pool,
        String settings,
        String address,
        String server,
        String probe,
        HealthState health,
        int consecutiveFailures,
        Instant lastProbeAt,
        Instant lastSuccessAt,
        Instant lastFailureAt,
        String lastFailureReason,
        Instant healthSince) {}
