package dev.gatehouse.gateway.store;

import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.operations.AsyncOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides again, every heartbeat, what waits on instances: gateways still Updating and deletes still pending.
 * The set of live instances changes (one stops, one's lease expires), and what waited on it may be decided now.
 */
@Component
class PendingSettler {

    private static final Logger log = LoggerFactory.getLogger(PendingSettler.class);

    private final GatewayRepository repository;
    private final AsyncOperations operations;
    private final StatusRecorder recorder;
    private final TransactionTemplate readTx;

    PendingSettler(GatewayRepository repository, AsyncOperations operations, StatusRecorder recorder,
            PlatformTransactionManager transactions) {
        this.repository = repository;
        this.operations = operations;
        this.recorder = recorder;
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
    }

    @Scheduled(fixedDelayString = "${gatehouse.instance.heartbeat:2s}", initialDelayString = "${gatehouse.instance.heartbeat:2s}")
    void settlePending() {
        try {
            for (String key : readTx.execute(s -> repository.findResourceKeysByProvisioningState(ProvisioningState.Updating))) {
                recorder.decideAgain(key);
            }
            for (String key : readTx.execute(s -> operations.pendingDeletes())) {
                recorder.settleDeleteAgain(key);
            }
        } catch (RuntimeException e) {
            log.warn("Could not settle pending gateways: {}", e.toString());
        }
    }
}
