package dev.gatehouse.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway keys waiting to be reconciled, in arrival order and each at most once, so a burst of triggers
 * for one gateway collapses into one reconcile. Callers may wait for a key: their future completes when the
 * reconcile that takes the key next has finished ({@link Taken#finished()}), or when the queue closes.
 * A key queued again while it is being reconciled is queued anew, with its new waiters, because the running
 * reconcile may have read the state before the change. Thread-safe: every method may be called from any thread.
 */
final class ReconcileQueue {

    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private final LinkedHashSet<String> keys = new LinkedHashSet<>();
    /** Guarded by {@code lock}: callers waiting for the next reconcile of a key to finish. */
    private final Map<String, List<CompletableFuture<Void>>> waiting = new HashMap<>();
    /** Guarded by {@code lock}. */
    private boolean closed;

    /** A key handed to the worker, with the callers that wait for this reconcile of it. */
    record Taken(String key, List<CompletableFuture<Void>> waiters) {

        /** Tells every waiter that this reconcile of the key is over, whatever its outcome. */
        void finished() {
            waiters.forEach(w -> w.complete(null));
        }
    }

    /** Queues the key unless it is queued already. */
    void add(String key) {
        synchronized (lock) {
            keys.add(key);
            lock.notifyAll();
        }
    }

    /** Queues the key unless it is queued already; the future completes once its next reconcile has finished. */
    CompletableFuture<Void> addAndWait(String key) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(done);
            keys.add(key);
            lock.notifyAll();
        }
        return done;
    }

    /**
     * Removes the oldest key, waiting for one if none is queued; empty once the queue is closed (keys still
     * queued then stay for the next {@link #open()}).
     */
    Optional<Taken> take() throws InterruptedException {
        synchronized (lock) {
            while (keys.isEmpty() && !closed) {
                lock.wait();
            }
            if (closed) {
                return Optional.empty();
            }
            var oldest = keys.iterator();
            String key = oldest.next();
            oldest.remove();
            List<CompletableFuture<Void>> waiters = waiting.remove(key);
            return Optional.of(new Taken(key, waiters == null ? List.of() : waiters));
        }
    }

    /** Lets {@link #take()} hand out keys again after {@link #close()}. */
    void open() {
        synchronized (lock) {
            closed = false;
        }
    }

    /** Wakes every {@link #take()} with nothing and releases every caller waiting for a key still queued. */
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            waiting.values().forEach(list -> list.forEach(w -> w.complete(null)));
            waiting.clear();
        }
    }

    /** How many keys are queued. */
    int size() {
        synchronized (lock) {
            return keys.size();
        }
    }
}
