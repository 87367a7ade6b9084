package dev.gatehouse;

import dev.gatehouse.dataplane.ApplyResult;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.gateway.store.AppliedCopies;
import dev.gatehouse.reconcile.SnapshotTranslator;
import dev.gatehouse.runtime.DataPlaneConfiguration;
import dev.gatehouse.runtime.ProcessDataPlane;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Serves the listeners of the last applied documents ({@link AppliedCopies}) as soon as the configuration is read,
 * before the application context, the database and the API: a restart serves again within seconds, and a
 * new process started beside the old one (listeners with SO_REUSEPORT) takes over connections before the old one
 * stops accepting (docs/operations.md, "Start-up and restarts"). The data plane it starts is handed to the context
 * ({@link DataPlaneConfiguration.StartedEarly}), whose reconciler then makes it match the database, as after any
 * change. With no copies it does nothing, and the context starts the data plane as before.
 * <p>"As soon as the configuration is read" is Boot's first event ({@code ApplicationStartingEvent}) when the command
 * line, system properties, environment variables, the jar's own defaults and plain {@code file:} config locations
 * are all the configuration there is ({@link EarlyEnvironment}); else it is once Boot's Environment is prepared.
 * The log events of those first moments are held until Boot has configured logging ({@link HeldLogEvents}). Once
 * the Environment is prepared, its settings have the last word: if any that decide what is served
 * ({@link RestoreInputs}) differ from the early ones, the copies are served again with them.
 * <p>With {@code gatehouse.restore.replace-pid}, once its listeners serve beside the old process's (SO_REUSEPORT),
 * it asks that process to stop and waits for it to exit (up to the drain timeout and half a minute more) while both
 * serve: the old one drains, and its listeners' queued connections move to this one's (Linux's
 * {@code net.ipv4.tcp_migrate_req}), so a restart refuses no connection. It also waits, as long, while another
 * process holds the API port, instead of failing to bind it.
 */
final class RestoreOnStart implements ApplicationListener<SpringApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(RestoreOnStart.class);

    private final Function<String[], EarlyEnvironment> earlyEnvironment;
    private HeldLogEvents heldLogEvents;
    /** What the listeners serving now were started with; {@code null} until they are. */
    private RestoreInputs served;
    /** Why they were not served before Boot's Environment, or {@code null} when they were. */
    private String notEarly;

    private AppliedCopies copies;
    private ProcessDataPlane started;

    RestoreOnStart() {
        this(EarlyEnvironment::of);
    }

    /** With the early settings {@code earlyEnvironment} reads from the command line (tests). */
    RestoreOnStart(Function<String[], EarlyEnvironment> earlyEnvironment) {
        this.earlyEnvironment = earlyEnvironment;
    }

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent starting) {
            restoreEarly(starting.getArgs());
        } else if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            // Boot's logging listener has configured logging by now (it comes first).
            replayHeldLogEvents();
            restore(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared) {
            var beans = prepared.getApplicationContext().getBeanFactory();
            // The copies read here are the reconciler's: it then knows which generations are on disk already.
            beans.registerSingleton("appliedCopies", copies);
            if (started != null) {
                beans.registerSingleton("startedEarly", new DataPlaneConfiguration.StartedEarly(started));
            }
        } else if (event instanceof ApplicationFailedEvent) {
            replayHeldLogEvents();
            if (started != null) {
                started.close();
            }
        }
    }

    /**
     * Serves the copies on Boot's first event, before its Environment, logging and configuration files, with the
     * settings {@link EarlyEnvironment} reads when they are all there is; else leaves it to {@link #restore}.
     */
    private void restoreEarly(String[] args) {
        heldLogEvents = HeldLogEvents.hold();
        try {
            EarlyEnvironment early = earlyEnvironment.apply(args);
            notEarly = early.gaveUp();
            if (notEarly == null) {
                serve(RestoreInputs.bind(early.binder()));
            }
        } catch (RuntimeException e) {
            notEarly = "the early start failed: " + e;
            stopServing();
        }
    }

    private void restore(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        RestoreInputs inputs = RestoreInputs.bind(binder);
        if (served == null) {
            log.debug("Restoring with Spring's Environment: {}", notEarly);
            serve(inputs);
        } else if (!inputs.equals(served)) {
            // The real configuration has the last word: what was served with other settings is served again.
            log.warn(
                    "The configuration differs from what the start read before it ({}): serving the applied copies "
                            + "again with it",
                    String.join(", ", inputs.differences(served)));
            serveAgain(inputs);
        }
        Duration patience = inputs.dataPlane().drainTimeout().plusSeconds(30);
        long replaced = binder.bind("gatehouse.restore.replace-pid", Long.class).orElse(0L);
        if (replaced > 0) {
            replace(replaced, inputs.dataPlane(), patience);
        }
        awaitApiPort(binder, patience);
    }

    private void serve(RestoreInputs inputs) {
        copies = AppliedCopies.open(inputs.restore(), inputs.encryptionKey());
        started = serveAppliedCopies(copies, inputs);
        served = inputs;
        if (started != null) {
            started.prepareTls();
        }
    }

    /**
     * Serves with {@code inputs} instead of the early settings. Where both bind with SO_REUSEPORT the new listeners
     * serve beside the early ones before those close (draining on a thread of their own), as in a restart;
     * otherwise the early ones close first, so that the port is free.
     */
    private void serveAgain(RestoreInputs inputs) {
        ProcessDataPlane early = started;
        boolean beside = sharesPorts(served.dataPlane()) && sharesPorts(inputs.dataPlane());
        if (beside) {
            started = null;
        } else {
            stopServing();
        }
        serve(inputs);
        if (beside && early != null) {
            new Thread(early::close, "gatehouse-restore-early-close").start();
        }
    }

    private static boolean sharesPorts(DataPlaneConfiguration.Properties properties) {
        return properties.reusePort() || properties.acceptPerEventLoop();
    }

    private void stopServing() {
        if (started != null) {
            started.close();
            started = null;
        }
        served = null;
    }

    private void replayHeldLogEvents() {
        if (heldLogEvents != null) {
            heldLogEvents.replay();
            heldLogEvents = null;
        }
    }

    /** The data plane serving every applied copy, or {@code null} when there is none to serve. */
    private static ProcessDataPlane serveAppliedCopies(AppliedCopies copies, RestoreInputs inputs) {
        DataPlaneConfiguration.Properties properties = inputs.dataPlane();
        if (!copies.any()) {
            return null;
        }
        // The event loops start on a thread of their own while this one reads and translates
        // the copies: two independent halves of the time to the first listener.
        FutureTask<ProcessDataPlane> starting = new FutureTask<>(() -> ProcessDataPlane.start(properties));
        new Thread(starting, "gatehouse-restore").start();
        var defaults = SnapshotTranslator.ProbeDefaults.of(inputs.probe(), properties.settings());
        List<AppliedCopies.Copy> all = copies.readAll();
        List<GatewaySnapshot> snapshots = new ArrayList<>();
        for (AppliedCopies.Copy copy : all) {
            try {
                snapshots.add(SnapshotTranslator.translate(copy.key(), copy.spec(), defaults));
            } catch (RuntimeException e) {
                log.warn("Could not restore gateway {} generation {}: {}", copy.key(), copy.generation(), e.toString());
            }
        }
        ProcessDataPlane running = started(starting);
        int served = 0;
        for (GatewaySnapshot snapshot : snapshots) {
            ApplyResult result = running.dataPlane().apply(snapshot);
            served += result.succeeded() ? 1 : 0;
            if (!result.succeeded()) {
                log.warn("Restoring gateway {}: {}", snapshot.gatewayKey(), result);
            }
        }
        log.info(
                "Serving {} of {} gateway(s) as last applied, from {}, {} ms after the JVM started; the database "
                        + "comes next",
                served,
                all.size(),
                copies.directory(),
                ManagementFactory.getRuntimeMXBean().getUptime());
        return running;
    }

    private static ProcessDataPlane started(FutureTask<ProcessDataPlane> starting) {
        try {
            return starting.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The data plane did not start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the data plane started", e);
        }
    }

    /**
     * Asks the process this one replaces to stop (SIGTERM: it stops accepting, drains its connections and exits,
     * as HAProxy's {@code -sf}) now that this one's listeners serve beside its own, and waits for it to exit.
     */
    private static void replace(long pid, DataPlaneConfiguration.Properties properties, Duration patience) {
        ProcessHandle old = ProcessHandle.of(pid).orElse(null);
        if (old == null || pid == ProcessHandle.current().pid()) {
            log.warn("gatehouse.restore.replace-pid={}: no such other process; starting without replacing one", pid);
            return;
        }
        if (!properties.reusePort() && !properties.acceptPerEventLoop()) {
            log.warn(
                    "gatehouse.dataplane.reuse-port is off: the listeners could not bind beside process {}'s, and "
                            + "serve again only once the database is read after it exited",
                    pid);
        } else if (!migratesQueuedConnections()) {
            log.warn(
                    "net.ipv4.tcp_migrate_req is 0: connections still queued on process {}'s listeners when it "
                            + "closes them are reset; set it to 1 for restarts without a refused connection "
                            + "(docs/operations.md)",
                    pid);
        }
        log.info("Replacing process {}: asked it to stop; waiting up to {} for it to drain and exit", pid, patience);
        old.destroy();
        try {
            old.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Process {} exited", pid);
        } catch (TimeoutException e) {
            log.warn("Process {} is still running after {}; starting anyway", pid, patience);
        } catch (ExecutionException e) {
            log.warn("Could not wait for process {}: {}", pid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether Linux moves the queued connections of a closed SO_REUSEPORT listener to another one of its group. */
    private static boolean migratesQueuedConnections() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req"))
                    .trim()
                    .equals("1");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Waits while another process (the one this one replaces) still holds the API port, up to {@code limit}. */
    private static void awaitApiPort(Binder binder, Duration limit) {
        int port = binder.bind("server.port", Integer.class).orElse(8080);
        String address = binder.bind("server.address", String.class).orElse(null);
        if (port <= 0) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        boolean logged = false;
        while (!bindable(address, port) && System.nanoTime() < deadline) {
            if (!logged) {
                log.info(
                        "API port {} is still in use (the process this one replaces?): waiting up to {} for it while "
                                + "the listeners serve",
                        port,
                        limit);
                logged = true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            InetAddress host = address == null || address.isBlank() ? null : InetAddress.getByName(address);
            probe.bind(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
