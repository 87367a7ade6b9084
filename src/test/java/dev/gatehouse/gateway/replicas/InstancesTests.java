package dev.gatehouse.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.SimpleTransactionStatus;

class InstancesTests {

    @Test
    void heartbeatsRunOnAThreadOfTheirOwnWithoutAnyTaskScheduler() {
        InstanceRows repository = mock(InstanceRows.class);
        PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
        given(transactions.getTransaction(any())).willReturn(new SimpleTransactionStatus());
        given(repository.databaseNow()).willAnswer(call -> Instant.now());
        given(repository.heartbeat(eq("me"), any())).willReturn(1);
        given(repository.liveSince(any())).willReturn(List.of());
        Instances instances = new Instances(
                repository,
                mock(InstanceStatusRows.class),
                transactions,
                new InstanceSettings("me", Duration.ofMillis(50), Duration.ofSeconds(10)),
                8080);

        instances.start();
        try {
            // No Spring scheduler exists here, so a slow task on it (the settle job) cannot hold a heartbeat back.
            verify(repository, timeout(5_000).atLeast(3)).heartbeat(eq("me"), any());
        } finally {
            instances.stop();
        }
        assertThat(instances.isRunning()).isFalse();
        // stop() returns once the executor has terminated; its worker thread may still be on its way out.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                        .noneMatch(t -> t.getName().equals("gatehouse-heartbeat") && t.isAlive()));
    }
}
