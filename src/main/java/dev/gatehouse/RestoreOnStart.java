package dev.gatehouse;

import dev.gatehouse.dataplane.ApplyResult;
import dev.gatehouse.gateway.store.AppliedCopies;
import dev.gatehouse.reconcile.ProbeSettings;
import dev.gatehouse.reconcile.SnapshotTranslator;
import dev.gatehouse.runtime.DataPlaneConfiguration;
import dev.gatehouse.runtime.ProcessDataPlane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Serves the listeners of the last applied documents ({@link AppliedCopies}) as soon as the configuration is read,
 * before the application context, the database and the API: a restart serves again within about a second, and a
 * new process started beside the old one (listeners with SO_REUSEPORT) takes over connections before the old one
 * stops accepting (docs/operations.md, "Start-up and restarts"). The data plane it starts is handed to the context
 * ({@link DataPlaneConfiguration.StartedEarly}), whose reconciler then makes it match the database, as after any
 * change. With no copies it does nothing, and the context starts the data plane as before.
 * <p>A restart beside a running process also finds the API port taken until the old process lets it go: it waits
 * for the port (up to the drain timeout and half a minute more) while the listeners serve, instead of failing.
 */
final class RestoreOnStart implements ApplicationListener<SpringApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(RestoreOnStart.class);

    private ProcessDataPlane started;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            started = restore(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared && started != null) {
            prepared.getApplicationContext()
                    .getBeanFactory()
                    .registerSingleton("startedEarly", new DataPlaneConfiguration.StartedEarly(started));
        } else if (event instanceof ApplicationFailedEvent && started != null) {
            started.close();
        }
    }

    private static ProcessDataPlane restore(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        AppliedCopies copies = AppliedCopies.open(
                binder.bindOrCreate("gatehouse.restore", AppliedCopies.Settings.class),
                binder.bind("gatehouse.security.encryption-key", String.class).orElse(null));
        var all = copies.readAll();
        if (all.isEmpty()) {
            return null;
        }
        var properties = binder.bindOrCreate("gatehouse.dataplane", DataPlaneConfiguration.Properties.class);
        ProcessDataPlane running = ProcessDataPlane.start(properties);
        var defaults = SnapshotTranslator.ProbeDefaults.of(
                binder.bindOrCreate("gatehouse.probe", ProbeSettings.class), running.settings());
        int served = 0;
        for (AppliedCopies.Copy copy : all) {
            try {
                ApplyResult result =
                        running.dataPlane().apply(SnapshotTranslator.translate(copy.key(), copy.spec(), defaults));
                served += result.succeeded() ? 1 : 0;
                if (!result.succeeded()) {
                    log.warn("Restoring gateway {} generation {}: {}", copy.key(), copy.generation(), result);
                }
            } catch (RuntimeException e) {
                log.warn("Could not restore gateway {} generation {}: {}", copy.key(), copy.generation(), e.toString());
            }
        }
        log.info(
                "Serving {} of {} gateway(s) as last applied, from {}, {} ms after the process started; the database "
                        + "comes next",
                served,
                all.size(),
                copies.directory(),
                Duration.between(processStart(), Instant.now()).toMillis());
        awaitApiPort(binder, properties.drainTimeout().plusSeconds(30));
        return running;
    }

    private static Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElse(Instant.now());
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
