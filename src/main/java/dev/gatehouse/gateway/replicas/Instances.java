package dev.gatehouse.gateway.replicas;

import dev.gatehouse.arm.OutageLog;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This process as one of several replicas sharing the database. It registers itself at start, heartbeats
 * every {@code gatehouse.instance.heartbeat} and deregisters at stop; an instance is live while its last
 * heartbeat, by the database's clock, is younger than {@code gatehouse.instance.lease}. No consensus and
 * no leader: every instance reconciles its own data plane, and the database holds what each applied.
 */
@Component
public class Instances implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Instances.class);
    /** Instances silent this long are forgotten, with their status rows. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final InstanceRows instances;
    private final InstanceStatusRows statuses;
    private final TransactionTemplate tx;
    private final Duration lease;
    private final Duration heartbeat;
    private final String id;
    private final String host;
    private final OutageLog heartbeatLog;
    private volatile Set<String> live;
    private volatile boolean running;
    /** Heartbeats on a thread of their own, started and stopped with this lifecycle (see {@link #start()}). */
    private ScheduledExecutorService heartbeats;

    Instances(
            InstanceRows instances,
            InstanceStatusRows statuses,
            PlatformTransactionManager transactions,
            InstanceSettings settings,
            @Value("${server.port:8080}") int serverPort) {
        this.instances = instances;
        this.statuses = statuses;
        this.tx = new TransactionTemplate(transactions);
        this.lease = settings.lease();
        this.heartbeat = settings.heartbeat();
        this.host = hostName();
        String configuredId = settings.id();
        // Stable across restarts of the same pod or host:port, so a restart takes over its own row.
        this.id = configuredId != null && !configuredId.isBlank()
                ? configuredId
                : serverPort > 0
                        ? host + ":" + serverPort
                        : host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        this.live = Set.of(id);
        this.heartbeatLog = new OutageLog(log, "Heartbeat of instance " + id);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** This instance's id, as recorded in each gateway's per-instance status. */
    public String id() {
        return id;
    }

    /** The live instances (this one always among them), as of the last heartbeat. */
    public Set<String> live() {
        return live;
    }

    @Override
    public void start() {
        tx.executeWithoutResult(s -> {
            Instant now = instances.databaseNow();
            instances.delete(id);
            instances.insert(new InstanceRow(id, host, now, now));
        });
        running = true;
        refreshLive();
        log.info("Instance {} registered; {} live instance(s): {}", id, live.size(), live);
        startHeartbeats();
    }

    /**
     * Heartbeats every {@code gatehouse.instance.heartbeat}, the first one interval after start, on a thread of
     * their own rather than Spring's shared scheduler: a slow task there (settling pending writes, purging
     * operations) must not delay a heartbeat past the lease and make peers think this instance is gone.
     */
    private synchronized void startHeartbeats() {
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = heartbeat.toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void stopHeartbeats() {
        if (heartbeats == null) {
            return;
        }
        heartbeats.shutdown();
        try {
            // A heartbeat under way finishes (its JDBC call is not interrupted); waiting bounds the stop.
            heartbeats.awaitTermination(heartbeat.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats = null;
    }

    void heartbeat() {
        if (!running) {
            return;
        }
        try {
            tx.executeWithoutResult(s -> {
                Instant now = instances.databaseNow();
                if (instances.heartbeat(id, now) == 0) {
                    // Forgotten by a peer after a long pause (GC, network): register again.
                    instances.insert(new InstanceRow(id, host, now, now));
                }
                if (instances.forgetSilentSince(now.minus(FORGET_AFTER)) > 0) {
                    statuses.forgetUnknownInstances();
                }
            });
            refreshLive();
            heartbeatLog.succeeded();
        } catch (RuntimeException e) {
            heartbeatLog.failed(e);
        }
    }

    private void refreshLive() {
        Set<String> now = new TreeSet<>();
        instances.liveSince(instances.databaseNow().minus(lease)).forEach(i -> now.add(i.id()));
        now.add(id);
        if (!now.equals(live)) {
            log.info("Live instances: {}", now);
        }
        live = Set.copyOf(now);
    }

    @Override
    public void stop() {
        running = false;
        stopHeartbeats();
        try {
            tx.executeWithoutResult(s -> instances.delete(id));
            log.info("Instance {} deregistered", id);
        } catch (RuntimeException e) {
            log.warn("Instance {} could not deregister (its lease will expire): {}", id, e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the reconciler (which records status under this id) and stops after it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
