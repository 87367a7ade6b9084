package dev.gatehouse.observability;

import dev.gatehouse.reconcile.Reconciler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What readiness shows, as gauges an alert can use: {@code gatehouse.ready} (1 once every gateway stored at
 * start-up was applied once, as readiness) and {@code gatehouse.database.reachable} (1 while the reconciler reaches
 * the database, the readiness detail {@code database}).
 */
@Component
class ReconcilerMeters {

    ReconcilerMeters(Reconciler reconciler, ObjectProvider<MeterRegistry> meters) {
        meters.ifAvailable(registry -> register(reconciler, registry));
    }

    private static void register(Reconciler reconciler, MeterRegistry registry) {
        Gauge.builder("gatehouse.ready", reconciler, r -> r.initialSyncDone() ? 1 : 0)
                .description("1 once every gateway stored at start-up has been applied once (readiness), else 0")
                .register(registry);
        Gauge.builder("gatehouse.database.reachable", reconciler, r -> r.databaseReachable() ? 1 : 0)
                .description("1 while the reconciler reaches the database, else 0")
                .register(registry);
    }
}
