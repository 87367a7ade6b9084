package dev.gatehouse.reconcile;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.DatabaseOutages;
import dev.gatehouse.arm.OutageLog;
import dev.gatehouse.dataplane.ApplyCodes;
import dev.gatehouse.dataplane.ApplyResult;
import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.store.AppliedCopies;
import dev.gatehouse.gateway.store.GatewayStore;
import dev.gatehouse.gateway.store.ReconcileTrigger;
import dev.gatehouse.gateway.store.StatusRecorder;
import dev.gatehouse.gateway.store.StoredGateway;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Level-triggered reconciliation, in the manner of controller-runtime. A trigger only enqueues a gateway
 * key (a key already queued is not queued twice, so a burst of writes collapses into one apply). One
 * worker thread takes a key, reads the whole stored state for it, translates it into a snapshot, applies
 * it to the data plane and writes the outcome back as status. The same path creates, updates and (when
 * the gateway is gone) deletes. A failed apply is retried with exponential backoff; a periodic resync
 * re-enqueues every key, so anything missed heals. Every {@code poll-interval} one cheap query compares
 * each gateway's generation with what was seen last, so writes made through another replica sharing the
 * database are applied here within about that interval.
 */
@Component
public class Reconciler implements ReconcileTrigger, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private final GatewayStore store;
    private final StatusRecorder status;
    private final DataPlane dataPlane;
    private final AppliedCopies copies;
    private final Duration resyncInterval;
    private final Duration pollInterval;
    /** Only touched by the timer thread: each gateway's generation at the last change poll. */
    private Map<String, Long> seenGenerations = Map.of();

    private final SnapshotTranslator.ProbeDefaults probeDefaults;
    private final MeterRegistry meters;

    private final ReconcileQueue queue = new ReconcileQueue();
    private final OutageLog pollLog = new OutageLog(log, "Polling for changes");
    /** Only touched by the worker thread. */
    private final Backoff backoff;

    /** Made by each {@link #start()}: a stopped lifecycle can start again (Spring's test context cache does). */
    private volatile ScheduledExecutorService timer;

    private volatile boolean running;
    private Thread worker;
    /** Gateways stored at start-up that have not been reconciled once yet; readiness waits for none. */
    private final Set<String> initialPending = ConcurrentHashMap.newKeySet();

    private volatile boolean initialSyncDone;

    Reconciler(
            GatewayStore store,
            StatusRecorder status,
            DataPlane dataPlane,
            AppliedCopies copies,
            ObjectProvider<MeterRegistry> meters,
            ReconcileSettings settings,
            ProbeSettings probes,
            DataPlaneSettings dataPlaneSettings) {
        this.probeDefaults = SnapshotTranslator.ProbeDefaults.of(probes, dataPlaneSettings);
        this.store = store;
        this.status = status;
        this.dataPlane = dataPlane;
        this.copies = copies;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        Gauge.builder("gatehouse.reconcile.queue", this, Reconciler::queueDepth)
                .description("Gateways waiting to be reconciled")
                .register(this.meters);
        this.pollInterval = settings.pollInterval();
        this.resyncInterval = settings.resyncInterval();
        this.backoff = new Backoff(settings.initialBackoff(), Backoff.MAX);
    }

    @Override
    public CompletableFuture<Void> reconcile(GatewayKey key) {
        return queue.addAndWait(key.value());
    }

    private void resyncAll() {
        try {
            Set<String> keys = new HashSet<>(store.allKeys());
            keys.addAll(dataPlane.gatewayKeys());
            keys.forEach(queue::add);
        } catch (RuntimeException e) {
            log.warn("Resync could not list the stored gateways: {}", e.toString());
        }
    }

    /** Enqueues every gateway created, changed or deleted since the last poll, through any replica. */
    private void pollChanges() {
        try {
            Map<String, Long> now = store.generations();
            Map<String, Long> before = seenGenerations;
            now.forEach((key, generation) -> {
                if (!generation.equals(before.get(key))) {
                    queue.add(key);
                }
            });
            before.keySet().stream().filter(k -> !now.containsKey(k)).forEach(queue::add);
            seenGenerations = now;
            pollLog.succeeded();
        } catch (RuntimeException e) {
            pollLog.failed(e);
        }
    }

    private void runWorker() {
        while (running) {
            ReconcileQueue.Taken taken;
            try {
                Optional<ReconcileQueue.Taken> next = queue.take();
                if (next.isEmpty()) {
                    return;
                }
                taken = next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String key = taken.key();
            long started = System.nanoTime();
            String outcome = "failure";
            boolean removed = false;
            try {
                Result result = reconcileNow(key);
                removed = result == Result.REMOVED;
                outcome = result == Result.APPLIED ? "success" : "failure";
                if (result == Result.RETRY) {
                    retryLater(key);
                } else {
                    backoff.succeeded(key);
                }
            } catch (RuntimeException e) {
                if (DatabaseOutages.isOutage(e)) {
                    log.warn("Reconciling {} failed: the database is unavailable; will retry ({})", key, e.toString());
                } else {
                    log.error("Reconciling {} failed; will retry", key, e);
                }
                retryLater(key);
            } finally {
                initialPending.remove(key);
                if (!initialSyncDone && initialPending.isEmpty()) {
                    initialSyncDone = true;
                    log.info("Every gateway stored at start-up has been applied once; ready");
                }
                if (removed) {
                    // A deleted gateway's meters go with it (docs/metrics.md).
                    meters.find("gatehouse.reconcile")
                            .tag("gateway", key)
                            .timers()
                            .forEach(meters::remove);
                } else {
                    Timer.builder("gatehouse.reconcile")
                            .description("Reconciles (one apply of a gateway each) and " + "their duration")
                            .tag("gateway", key)
                            .tag("result", outcome)
                            .register(meters)
                            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
                taken.finished();
            }
        }
    }

    /** How one reconcile ended. */
    private enum Result {
        /** The data plane matches the stored state. */
        APPLIED,
        /** The gateway is no longer stored, and the data plane no longer runs it. */
        REMOVED,
        /** It does not, and a retry may succeed (a port in use). */
        RETRY,
        /** It does not, and retrying the same generation cannot help (an untranslatable document). */
        FAILED
    }

    /** Makes the data plane match the stored state of one gateway. */
    private Result reconcileNow(String key) {
        Optional<StoredGateway> stored = store.findByValue(key);
        if (stored.isEmpty()) {
            dataPlane.remove(key);
            copies.delete(key);
            status.recordRemoved(key);
            return Result.REMOVED;
        }
        StoredGateway g = stored.get();
        if (g.stopped()) {
            dataPlane.remove(key);
            copies.delete(key);
            status.recordApplied(key, g.generation(), ProvisioningState.Succeeded, null);
            return Result.APPLIED;
        }
        GatewaySnapshot snapshot;
        try {
            snapshot = SnapshotTranslator.translate(key, g.spec(), probeDefaults);
        } catch (RuntimeException e) {
            recordUntranslatable(g, e);
            // The same generation fails the same way every time, so it is not retried; the data plane keeps
            // serving the last snapshot it had, and the next change of the document is translated afresh.
            return Result.FAILED;
        }
        ApplyResult result = dataPlane.apply(snapshot);
        if (result.succeeded()) {
            // What the next start serves before the database is up: the last generation applied in full.
            copies.write(key, g.generation(), g.spec());
        }
        ApiError error = result.succeeded() ? null : describe(g, result);
        status.recordApplied(
                key,
                g.generation(),
                result.succeeded() ? ProvisioningState.Succeeded : ProvisioningState.Failed,
                error);
        if (!result.succeeded()) {
            log.warn(
                    "Gateway {} generation {} applied with failures: {}",
                    g.key().id(),
                    g.generation(),
                    error.message());
        }
        return result.succeeded() ? Result.APPLIED : Result.RETRY;
    }

    /** A stored document the translator cannot turn into a snapshot ends Failed, with the reason. */
    private void recordUntranslatable(StoredGateway g, RuntimeException e) {
        log.error(
                "Gateway {} generation {} cannot be translated into a data-plane snapshot; it stays Failed until "
                        + "the document changes",
                g.key().id(),
                g.generation(),
                e);
        status.recordApplied(
                g.key().value(),
                g.generation(),
                ProvisioningState.Failed,
                ApiError.of(
                        ApplyCodes.TRANSLATION_FAILED,
                        "The stored document could not be translated into a data-plane snapshot: " + e.getMessage()
                                + ". The data plane keeps serving the previous generation, if any.",
                        null));
    }

    private static ApiError describe(StoredGateway g, ApplyResult result) {
        var listeners = ChildCollection.LISTENERS.items(g.spec().properties());
        List<ApiError> details = new ArrayList<>();
        for (ApplyResult.ListenerFailure f : result.failures()) {
            String target = null;
            for (int i = 0; i < listeners.size(); i++) {
                if (listeners.get(i).name().equalsIgnoreCase(f.listener())) {
                    target = "properties.listeners[" + i + "]";
                }
            }
            details.add(ApiError.of(f.code(), f.reason(), target));
        }
        String summary = details.size() == 1
                ? details.get(0).message()
                : details.size() + " listeners could not be served; see details.";
        return new ApiError(ApplyCodes.APPLY_FAILED, summary, null, details);
    }

    private void retryLater(String key) {
        long delay = backoff.failed(key).toMillis();
        if (running) {
            try {
                timer.schedule(() -> queue.add(key), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // stop() shut the timer down meanwhile; the next start() resyncs every gateway anyway
            }
        }
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-reconcile-timer");
            t.setDaemon(true);
            return t;
        });
        running = true;
        queue.open();
        worker = new Thread(this::runWorker, "gatehouse-reconciler");
        worker.setDaemon(true);
        worker.start();
        try {
            initialPending.addAll(store.allKeys());
        } catch (RuntimeException e) {
            log.warn("Could not list the stored gateways at start-up: {}", e.toString());
        }
        initialSyncDone = initialPending.isEmpty();
        resyncAll();
        long every = resyncInterval.toMillis();
        timer.scheduleWithFixedDelay(this::resyncAll, every, every, TimeUnit.MILLISECONDS);
        if (!pollInterval.isZero() && !pollInterval.isNegative()) {
            timer.execute(() -> seenGenerations = store.generations());
            timer.scheduleWithFixedDelay(
                    this::pollChanges, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("Reconciler started; full resync every {}, change poll every {}", resyncInterval, pollInterval);
    }

    @Override
    public void stop() {
        running = false;
        queue.close();
        if (timer != null) {
            timer.shutdownNow();
        }
        if (worker != null) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    int queueDepth() {
        return queue.size();
    }

    /** Whether every gateway stored at start-up has been applied (attempted) once: the readiness signal. */
    public boolean initialSyncDone() {
        return initialSyncDone;
    }

    /**
     * False while the change poll cannot reach the database (it says so within one poll interval plus the
     * connection timeout); the data plane serves on meanwhile, so this is shown, not a reason to be unready.
     */
    public boolean databaseReachable() {
        return !pollLog.databaseAway();
    }

    /** How many gateways stored at start-up have not been applied yet. */
    public int initialPending() {
        return initialPending.size();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
