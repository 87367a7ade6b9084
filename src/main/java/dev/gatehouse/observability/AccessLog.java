package dev.gatehouse.observability;

import dev.gatehouse.dataplane.ConnectionObserver;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The opt-in access log ({@code gatehouse.dataplane.access-log}): one line per closed connection on the logger
 * {@code gatehouse.access}. The message is {@code key=value} fields, for plain logs; the same fields are attached
 * to the event as SLF4J key-value pairs, so structured logs ({@code logging.structured.format.console=ecs},
 * {@code logstash}, {@code gelf}) carry them as fields of their own.
 * <p>{@code peer} (the address that opened the connection) is always a field; in the message it appears only when
 * it differs from {@code client} (behind a trusted PROXY header). {@code unique_id} appears only when the
 * connection has one. Fields have their types (bytes and milliseconds are numbers); {@code backend} and
 * {@code connect_ms}, written {@code -} in the message when no server accepted, are then absent as fields.
 */
public final class AccessLog implements ConnectionObserver {

    private static final Logger access = LoggerFactory.getLogger("gatehouse.access");

    /** Every line names the client, the peer and the unique id. */
    @Override
    public boolean readsDetails() {
        return true;
    }

    @Override
    public void closed(ConnectionRecord r) {
        if (!access.isInfoEnabled()) {
            return;
        }
        String backend = r.backend() == null ? "-" : r.backend();
        Long connectMillis =
                r.connectNanos() < 0 ? null : Duration.ofNanos(r.connectNanos()).toMillis();
        String connect = connectMillis == null ? "-" : connectMillis.toString();
        long duration = Duration.ofNanos(r.durationNanos()).toMillis();
        boolean proxied = r.peer() != null && !Objects.equals(r.peer(), r.client());
        LoggingEventBuilder line = access.atInfo()
                .addKeyValue("client", r.client())
                .addKeyValue("peer", r.peer())
                .addKeyValue("gateway", r.gatewayKey())
                .addKeyValue("listener", r.listener())
                .addKeyValue("bytes_in", r.bytesFromClient())
                .addKeyValue("bytes_out", r.bytesToClient())
                .addKeyValue("duration_ms", duration);
        if (r.backend() != null) {
            line = line.addKeyValue("backend", r.backend());
        }
        if (connectMillis != null) {
            line = line.addKeyValue("connect_ms", connectMillis);
        }
        StringBuilder message = new StringBuilder(160)
                .append("client=")
                .append(r.client())
                .append(" gateway=")
                .append(r.gatewayKey())
                .append(" listener=")
                .append(r.listener())
                .append(" backend=")
                .append(backend)
                .append(" bytes_in=")
                .append(r.bytesFromClient())
                .append(" bytes_out=")
                .append(r.bytesToClient())
                .append(" connect_ms=")
                .append(connect)
                .append(" duration_ms=")
                .append(duration);
        if (proxied) {
            message.append(" peer=").append(r.peer());
        }
        if (r.uniqueId() != null) {
            line = line.addKeyValue("unique_id", r.uniqueId());
            message.append(" unique_id=").append(r.uniqueId());
        }
        line.log(message.toString());
    }
}
