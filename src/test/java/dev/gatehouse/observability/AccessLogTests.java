package dev.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.ConnectionObserver.ConnectionRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogTests {

    private final Logger logger = (Logger) LoggerFactory.getLogger("gatehouse.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aClosedConnectionIsOneLineOfKeyValueFields() {
        new AccessLog()
                .closed(new ConnectionRecord(
                        "gw",
                        "web",
                        "127.0.0.1:5555",
                        "127.0.0.1:5555",
                        null,
                        "10.0.0.4:6000",
                        10,
                        20,
                        TimeUnit.MILLISECONDS.toNanos(3),
                        TimeUnit.MILLISECONDS.toNanos(1500)));
        new AccessLog()
                .closed(new ConnectionRecord("gw", "web", "127.0.0.1:5556", "127.0.0.1:5556", null, null, 0, 0, -1, 0));

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "client=127.0.0.1:5555 gateway=gw listener=web backend=10.0.0.4:6000 bytes_in=10 bytes_out=20 "
                                + "connect_ms=3 duration_ms=1500",
                        "client=127.0.0.1:5556 gateway=gw listener=web backend=- bytes_in=0 bytes_out=0 connect_ms=- "
                                + "duration_ms=0");
    }

    @Test
    void metricsAndTheAccessLogBothHearOfAConnectionWhileOnlyTheMetricsCountRelayedBytes() {
        ConnectionMetrics metrics = new ConnectionMetrics(new SimpleMeterRegistry());
        ConnectionObserver both = metrics.andThen(new AccessLog());

        both.opened("gw", "web");
        both.relayCounter("gw", "web").relayed(true, 42);
        both.closed(new ConnectionRecord(
                "gw", "web", "127.0.0.1:5555", "127.0.0.1:5555", null, "10.0.0.4:6000", 42, 0, 1, 1));

        assertThat(lines.list).hasSize(1);
        assertThat(metrics.traffic()).singleElement().satisfies(t -> {
            assertThat(t.active()).isZero();
            assertThat(t.bytesFromClient()).isEqualTo(42);
        });
    }
}
