package dev.gatehouse.dataplane.health;

import dev.gatehouse.dataplane.ProbeSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Probes the servers of one (pool, settings) pair, round after round, on one event loop: the first round
 * when the prober starts, the next one {@code interval} after a round began. All servers of a round are
 * probed at once (connects are non-blocking). A new target replaces the old one from the next round on.
 */
final class Prober {

    /** What to probe: the servers (with their health records), how, and the TLS context for Tls probes. */
    record Target(List<Server> servers, ProbeSpec spec, SslContext tls) {}

    /** One server: where the probe connects, the SNI for Tls probes, and the record results go to. */
    record Server(InetSocketAddress address, String sni, ServerHealth health) {}

    private final EventLoop loop;
    private final Bootstrap template;
    private final Clock clock;
    private final Consumer<ProbeResult> observer;
    private volatile Target target;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;

    /** What one probe found, for metrics. */
    record ProbeResult(Server server, boolean success, long nanos) {}

    Prober(EventLoop loop, Bootstrap template, Clock clock, Target target, Consumer<ProbeResult> observer) {
        this.loop = loop;
        this.template = template;
        this.clock = clock;
        this.target = target;
        this.observer = observer;
    }

    Target target() {
        return target;
    }

    void start() {
        loop.execute(this::round);
    }

    /** Uses {@code newTarget} from the next round; a changed interval or probe starts a round now. */
    void update(Target newTarget) {
        Target old = this.target;
        this.target = newTarget;
        if (!old.spec().equals(newTarget.spec())) {
            loop.execute(() -> {
                if (next != null) {
                    next.cancel(false);
                }
                round();
            });
        }
    }

    void stop() {
        stopped = true;
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    private void round() {
        if (stopped) {
            return;
        }
        Target current = target;
        for (Server server : current.servers()) {
            long started = System.nanoTime();
            ProbeAttempt.run(
                    loop,
                    template,
                    current.spec(),
                    server.address(),
                    current.tls(),
                    server.sni(),
                    (success, reason) -> {
                        if (!stopped) {
                            server.health()
                                    .record(
                                            current.spec().name(),
                                            success,
                                            reason,
                                            clock.instant(),
                                            current.spec().unhealthyThreshold());
                            observer.accept(new ProbeResult(server, success, System.nanoTime() - started));
                        }
                    });
        }
        next = loop.schedule(this::round, current.spec().interval().toMillis(), TimeUnit.MILLISECONDS);
    }
}
