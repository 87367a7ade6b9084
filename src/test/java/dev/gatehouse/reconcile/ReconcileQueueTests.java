package dev.gatehouse.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcileQueueTests {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private final ReconcileQueue queue = new ReconcileQueue();

    @Test
    void aKeyQueuedTwiceIsTakenOnce() throws InterruptedException {
        queue.add("a");
        queue.add("a");
        queue.addAndWait("a");

        assertThat(queue.size()).isOne();
        assertThat(queue.take()).hasValueSatisfying(t -> assertThat(t.key()).isEqualTo("a"));
        assertThat(queue.size()).isZero();
    }

    @Test
    void keysAreTakenInArrivalOrder() throws InterruptedException {
        queue.add("b");
        queue.add("a");
        queue.add("c");
        queue.add("b");

        assertThat(queue.take().orElseThrow().key()).isEqualTo("b");
        assertThat(queue.take().orElseThrow().key()).isEqualTo("a");
        assertThat(queue.take().orElseThrow().key()).isEqualTo("c");
    }

    @Test
    void everyWaiterOfAKeyCompletesOnlyWhenTheReconcileThatTookItHasFinished() throws InterruptedException {
        CompletableFuture<Void> first = queue.addAndWait("a");
        CompletableFuture<Void> second = queue.addAndWait("a");
        CompletableFuture<Void> other = queue.addAndWait("b");

        ReconcileQueue.Taken taken = queue.take().orElseThrow();
        assertThat(taken.waiters()).containsExactly(first, second);
        assertThat(first).isNotDone();

        taken.finished();
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(other).isNotDone();
    }

    @Test
    void aKeyQueuedDuringItsReconcileIsTakenAgainAndItsWaiterWaitsForThatNextReconcile() throws InterruptedException {
        queue.addAndWait("a");
        ReconcileQueue.Taken running = queue.take().orElseThrow();
        CompletableFuture<Void> late = queue.addAndWait("a");

        running.finished();
        assertThat(late).isNotDone();

        ReconcileQueue.Taken next = queue.take().orElseThrow();
        assertThat(next.key()).isEqualTo("a");
        next.finished();
        assertThat(late).isCompleted();
    }

    @Test
    void aKeyTakenWithoutWaitersHasAnEmptyListToFinish() throws InterruptedException {
        queue.add("a");

        ReconcileQueue.Taken taken = queue.take().orElseThrow();

        assertThat(taken.waiters()).isEmpty();
        taken.finished();
    }

    @Test
    void takeWaitsUntilAKeyIsQueued() throws Exception {
        CompletableFuture<String> taker = CompletableFuture.supplyAsync(() -> takeKey(queue));
        assertStillWaiting(taker);

        queue.add("a");

        assertThat(taker.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("a");
    }

    @Test
    void closingWakesAWaitingTakeWithNothing() throws Exception {
        CompletableFuture<String> taker = CompletableFuture.supplyAsync(() -> takeKey(queue));
        assertStillWaiting(taker);

        queue.close();

        assertThat(taker.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void closingReleasesTheWaitersOfQueuedKeys() {
        CompletableFuture<Void> waiter = queue.addAndWait("a");

        queue.close();

        assertThat(waiter).isCompleted();
    }

    @Test
    void aClosedQueueKeepsItsKeysAndHandsThemOutOnceOpenAgain() throws InterruptedException {
        queue.add("a");
        queue.close();
        queue.add("b");

        assertThat(queue.take()).isEmpty();
        assertThat(queue.size()).isEqualTo(2);

        queue.open();
        assertThat(queue.take().orElseThrow().key()).isEqualTo("a");
        assertThat(queue.take().orElseThrow().key()).isEqualTo("b");
    }

    @AfterEach
    void releaseWaitingTakers() {
        queue.close();
    }

    private static void assertStillWaiting(CompletableFuture<String> taker) {
        assertThatThrownBy(() -> taker.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    /** The key a take returns, or null when the queue closed. */
    private static String takeKey(ReconcileQueue queue) {
        try {
            return queue.take().map(ReconcileQueue.Taken::key).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
