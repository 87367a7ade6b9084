package dev.gatehouse.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProvisioningState;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of {@code application_gateway} against the real schema (H2, or PostgreSQL with
 * GATEHOUSE_TEST_DATASOURCE_URL): every column round-trips, the version is an optimistic lock, a row lock makes a
 * second writer wait while readers do not, and status updates leave etag and version alone.
 */
@JdbcTest(
        properties = {
            "spring.datasource.url=${GATEHOUSE_TEST_DATASOURCE_URL:jdbc:h2:mem:gatehouse-rows;DB_CLOSE_DELAY=-1}",
            "spring.datasource.username=${GATEHOUSE_TEST_DATASOURCE_USERNAME:sa}",
            "spring.datasource.password=${GATEHOUSE_TEST_DATASOURCE_PASSWORD:}"
        })
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import(GatewayRows.class)
class GatewayRowsTests {

    /** Both databases keep microseconds. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    @Autowired
    GatewayRows rows;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    /**
     * A subscription of this class's own: on PostgreSQL the database is shared with the other test classes, whose
     * lists must not see these rows (their documents are not gateways).
     */
    private static final String SUBSCRIPTION = UUID.randomUUID().toString();

    private static GatewayKey newKey() {
        return new GatewayKey(
                SUBSCRIPTION,
                "Rows-Group",
                "Rows-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void forgetThisClassesRows() {
        jdbc.sql("delete from application_gateway where subscription_key = :subscription")
                .param("subscription", SUBSCRIPTION)
                .update();
    }

    private <T> T inTx(Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> work.get());
    }

    private GatewayRow inserted(GatewayKey key) {
        return inTx(() -> rows.insert(GatewayRow.created(key, T0).withDocument("{\"a\":1}", "etag-1", T0)));
    }

    @Test
    void everyColumnRoundTripsAndEnumsAreStoredByName() {
        GatewayKey key = newKey();
        GatewayRow full = new GatewayRow(
                null,
                key.value(),
                SUBSCRIPTION,
                "group-key",
                key.subscriptionId(),
                key.resourceGroup(),
                key.name(),
                "{\"document\":true}",
                "etag-full",
                7,
                ProvisioningState.Failed,
                6L,
                "{\"code\":\"X\"}",
                T0,
                T0.plusSeconds(60),
                OperationalState.Stopped,
                T0.plusSeconds(30),
                0);
        GatewayRow stored = inTx(() -> rows.insert(full));

        assertThat(stored.id()).isNotNull();
        assertThat(rows.find(key.value())).contains(stored);
        assertThat(stored).usingRecursiveComparison().ignoringFields("id").isEqualTo(full);
        assertThat(jdbc.sql("select provisioning_state, operational_state from application_gateway where id = :id")
                        .param("id", stored.id())
                        .query((rs, n) -> rs.getString(1) + "/" + rs.getString(2))
                        .single())
                .isEqualTo("Failed/Stopped");

        // The nullable columns come back null, not 0 or the epoch.
        GatewayRow sparse = inserted(newKey());
        GatewayRow read = rows.find(sparse.resourceKey()).orElseThrow();
        assertThat(read).isEqualTo(sparse);
        assertThat(read.appliedGeneration()).isNull();
        assertThat(read.provisioningError()).isNull();
        assertThat(read.statusChangedAt()).isEqualTo(T0);
        assertThat(read.generation()).isEqualTo(1);
        assertThat(read.provisioningState()).isEqualTo(ProvisioningState.Updating);
    }

    @Test
    void anUpdateAdvancesTheVersionAndAStaleOneFailsWithoutChangingTheRow() {
        GatewayRow first = inserted(newKey());
        GatewayRow second = inTx(() -> rows.update(first.withDocument("{\"a\":2}", "etag-2", T0.plusSeconds(1))));
        assertThat(second.version()).isEqualTo(1);
        assertThat(rows.find(first.resourceKey())).contains(second);

        // A writer that read version 0 and comes late loses, as with JPA's @Version.
        assertThatThrownBy(() -> inTx(() -> rows.update(first.withDocument("{\"a\":3}", "etag-3", T0))))
                .isInstanceOf(OptimisticLockingFailureException.class)
                .hasMessageContaining(first.resourceKey());
        assertThat(rows.find(first.resourceKey())).contains(second);

        // So does one whose row was deleted meanwhile.
        inTx(() -> rows.delete(first.resourceKey()));
        assertThatThrownBy(() -> inTx(() -> rows.update(second.reencrypted("{}"))))
                .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(rows.find(first.resourceKey())).isEmpty();
    }

    @Test
    void aSecondInsertOfTheSameKeyIsAnIntegrityViolation() {
        GatewayKey key = newKey();
        inserted(key);
        // GatewayStore.write retries on this exception: a concurrent create of the same gateway.
        assertThatThrownBy(() -> inserted(key)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void recordingStatusChangesNeitherEtagNorVersionAndOnlyForTheCurrentGeneration() {
        GatewayRow row = inserted(newKey());
        Instant later = T0.plusSeconds(5);

        assertThat(inTx(() -> rows.recordStatus(row.resourceKey(), 2, ProvisioningState.Succeeded, null, later)))
                .isZero();
        assertThat(inTx(() -> rows.recordStatus(row.resourceKey(), 1, ProvisioningState.Succeeded, null, later)))
                .isEqualTo(1);
        GatewayRow succeeded = rows.find(row.resourceKey()).orElseThrow();
        assertThat(succeeded.provisioningState()).isEqualTo(ProvisioningState.Succeeded);
        assertThat(succeeded.appliedGeneration()).isEqualTo(1);
        assertThat(succeeded.statusChangedAt()).isEqualTo(later);
        assertThat(succeeded.etag()).isEqualTo(row.etag());
        assertThat(succeeded.version()).isEqualTo(row.version());

        // The same state again keeps the time it was entered.
        inTx(() -> rows.recordStatus(row.resourceKey(), 1, ProvisioningState.Succeeded, null, later.plusSeconds(5)));
        assertThat(rows.find(row.resourceKey()).orElseThrow().statusChangedAt()).isEqualTo(later);
        // The row as read before is still current for the optimistic lock.
        assertThat(inTx(() -> rows.update(succeeded.withOperationalState(OperationalState.Stopped, later)))
                        .version())
                .isEqualTo(1);
    }

    @Test
    void aLockedRowMakesTheNextLockerWaitForTheCommitButNotAReader() throws Exception {
        GatewayRow row = inserted(newKey());
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        CompletableFuture<GatewayRow> holder = CompletableFuture.supplyAsync(() -> inTx(() -> {
            GatewayRow mine = rows.lock(row.resourceKey()).orElseThrow();
            GatewayRow written = rows.update(mine.withDocument("{\"a\":2}", "etag-holder", T0));
            locked.countDown();
            await(release);
            return written;
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<GatewayRow> waiter = CompletableFuture.supplyAsync(
                () -> inTx(() -> rows.lock(row.resourceKey()).orElseThrow()));
        // A reader sees the last committed row at once.
        assertThat(rows.find(row.resourceKey()).orElseThrow().etag()).isEqualTo("etag-1");
        Thread.sleep(500);
        assertThat(waiter).isNotDone();

        release.countDown();
        GatewayRow written = holder.get(10, TimeUnit.SECONDS);
        // The waiter got the row only after the commit, and reads what the holder wrote.
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(written);
        assertThat(written.version()).isEqualTo(1);
    }

    @Test
    void listsAreOrderedByKeyAndScopedBySubscriptionAndGroup() {
        GatewayRow a = inserted(newKey());
        GatewayRow b = inserted(newKey());
        Map<String, Long> generations = rows.generations();
        assertThat(generations).containsEntry(a.resourceKey(), 1L).containsEntry(b.resourceKey(), 1L);
        assertThat(rows.allKeys()).contains(a.resourceKey(), b.resourceKey());
        assertThat(rows.keysIn(ProvisioningState.Updating)).contains(a.resourceKey(), b.resourceKey());
        assertThat(rows.inGroup(a.subscriptionKey(), a.groupKey()))
                .extracting(GatewayRow::resourceKey)
                .contains(a.resourceKey(), b.resourceKey())
                .isSorted();
        assertThat(rows.inSubscription(a.subscriptionKey()))
                .extracting(GatewayRow::resourceKey)
                .isSorted();
        assertThat(rows.inGroup(a.subscriptionKey(), "no-such-group")).isEmpty();
        assertThat(rows.all()).extracting(GatewayRow::resourceKey).isSorted();
        assertThat(rows.count()).isGreaterThanOrEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
