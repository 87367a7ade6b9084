package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.OutageLog;
import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.operations.AsyncOperations;
import dev.gatehouse.gateway.replicas.InstanceSettings;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides again, every heartbeat, what waits on instances: gateways still Updating and deletes still pending.
 * The set of live instances changes (one stops, one's lease expires), and what waited on it may be decided now.
 */
@Component
class PendingSettler implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(PendingSettler.class);

    private final GatewayRows rows;
    private final AsyncOperations operations;
    private final StatusRecorder recorder;
    private final TransactionTemplate readTx;
    private final Duration heartbeat;
    private final OutageLog settleLog = new OutageLog(log, "Settling pending gateways");

    PendingSettler(
            GatewayRows rows,
            AsyncOperations operations,
            StatusRecorder recorder,
            PlatformTransactionManager transactions,
            InstanceSettings instance) {
        this.rows = rows;
        this.operations = operations;
        this.recorder = recorder;
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
        this.heartbeat = instance.heartbeat();
    }

    /** Settles every {@code gatehouse.instance.heartbeat} ({@link InstanceSettings}), the first one interval in. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::settlePending, heartbeat, heartbeat));
    }

    void settlePending() {
        try {
            for (String key : readTx.execute(s -> rows.keysIn(ProvisioningState.Updating))) {
                recorder.decideAgain(key);
            }
            for (String key : readTx.execute(s -> operations.pendingDeletes())) {
                recorder.settleDeleteAgain(key);
            }
            settleLog.succeeded();
        } catch (RuntimeException e) {
            settleLog.failed(e);
        }
    }
}
