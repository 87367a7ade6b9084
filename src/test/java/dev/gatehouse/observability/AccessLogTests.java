package dev.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.ConnectionObserver.ConnectionRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
    void behindAProxyHeaderThePeerAndTheUniqueIdFollowTheOtherFields() {
        new AccessLog().closed(proxied());

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("client=[2001:db8::7]:40000 gateway=gw listener=web backend=10.0.0.4:6000 bytes_in=10 "
                        + "bytes_out=20 connect_ms=3 duration_ms=1500 peer=10.1.2.3:51000 unique_id=0b5e1f");
    }

    @Test
    void structuredLogsCarryEachFieldAsAFieldOfItsOwnWithItsType() {
        new AccessLog().closed(proxied());
        new AccessLog()
                .closed(new ConnectionRecord("gw", "web", "127.0.0.1:5556", "127.0.0.1:5556", null, null, 0, 0, -1, 0));

        for (String format : List.of("ecs", "logstash")) {
            JsonNode json = structured(format, lines.list.get(0));
            assertThat(json.path("client").asString()).isEqualTo("[2001:db8::7]:40000");
            assertThat(json.path("peer").asString()).isEqualTo("10.1.2.3:51000");
            assertThat(json.path("unique_id").asString()).isEqualTo("0b5e1f");
            assertThat(json.path("backend").asString()).isEqualTo("10.0.0.4:6000");
            assertThat(json.path("bytes_in").isNumber()).isTrue();
            assertThat(json.path("bytes_in").asLong()).isEqualTo(10);
            assertThat(json.path("connect_ms").asLong()).isEqualTo(3);
            assertThat(json.path("duration_ms").asLong()).isEqualTo(1500);

            JsonNode direct = structured(format, lines.list.get(1));
            assertThat(direct.path("peer").asString()).isEqualTo("127.0.0.1:5556");
            assertThat(direct.has("unique_id")).isFalse();
            assertThat(direct.has("backend")).isFalse();
            assertThat(direct.has("connect_ms")).isFalse();
        }
    }

    private static ConnectionRecord proxied() {
        return new ConnectionRecord(
                "gw",
                "web",
                "[2001:db8::7]:40000",
                "10.1.2.3:51000",
                "0b5e1f",
                "10.0.0.4:6000",
                10,
                20,
                TimeUnit.MILLISECONDS.toNanos(3),
                TimeUnit.MILLISECONDS.toNanos(1500));
    }

    /** The event as Spring Boot's structured console logging writes it, parsed. */
    private static JsonNode structured(String format, ILoggingEvent event) {
        LoggerContext context = new LoggerContext();
        context.putObject(Environment.class.getName(), new StandardEnvironment());
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        try {
            return JsonMapper.builder().build().readTree(new String(encoder.encode(event), StandardCharsets.UTF_8));
        } finally {
            encoder.stop();
        }
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
