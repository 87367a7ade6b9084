package dev.gatehouse.observability;

import dev.gatehouse.reconcile.Reconciler;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of the readiness group: a freshly started replica is not ready until it has applied every gateway
 * that was stored when it started (an apply that failed, such as a port in use, counts as applied: its
 * status says why, and waiting would not fix it). It shows whether the database is reachable ({@code database}
 * UP or UNAVAILABLE) without letting that change readiness: the listeners keep serving the last applied
 * configuration while the database is away, so the replica stays in rotation.
 */
@Component
class ReconcilerHealthIndicator implements HealthIndicator {

    private final Reconciler reconciler;

    ReconcilerHealthIndicator(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Override
    public Health health() {
        String database = reconciler.databaseReachable() ? "UP" : "UNAVAILABLE";
        if (reconciler.initialSyncDone()) {
            return Health.up().withDetail("database", database).build();
        }
        return Health.outOfService()
                .withDetail("gatewaysNotYetApplied", reconciler.initialPending())
                .withDetail("database", database)
                .build();
    }
}
