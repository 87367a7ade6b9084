package dev.gatehouse.reconcile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gatehouse.reconcile.*}: how often the {@link Reconciler} looks again, and how it retries.
 *
 * @param resyncInterval How often every stored gateway, and every gateway still running in the data plane, is
 *                       reconciled again. Zero or negative means the default, 60s.
 * @param pollInterval   How often one query compares every gateway's generation with what this process saw last, to
 *                       apply writes made through other replicas. 0s turns it off (then only the resync finds them).
 * @param initialBackoff The first retry delay after a failed apply; it doubles on each consecutive failure, up to a
 *                       fixed cap of 30s. Zero or negative means the default, 1s.
 */
@ConfigurationProperties("gatehouse.reconcile")
public record ReconcileSettings(
        @DefaultValue("60s") Duration resyncInterval,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("1s") Duration initialBackoff) {

    /** A resync or backoff of zero would spin: such values mean the default. */
    public ReconcileSettings {
        resyncInterval = positiveOr(resyncInterval, Duration.ofSeconds(60));
        initialBackoff = positiveOr(initialBackoff, Duration.ofSeconds(1));
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value.isZero() || value.isNegative() ? fallback : value;
    }
}
