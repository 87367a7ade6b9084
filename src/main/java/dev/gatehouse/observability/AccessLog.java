package dev.gatehouse.observability;

import dev.gatehouse.dataplane.ConnectionObserver;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in access log ({@code gatehouse.dataplane.access-log}): one line per closed connection on the logger
 * {@code gatehouse.access}, as {@code key=value} fields.
 */
public final class AccessLog implements ConnectionObserver {

    private static final Logger access = LoggerFactory.getLogger("gatehouse.access");

    @Override
    public void closed(ConnectionRecord r) {
        if (access.isInfoEnabled()) {
            access.info(
                    "client={} gateway={} listener={} backend={} bytes_in={} bytes_out={} connect_ms={} duration_ms={}",
                    r.client(),
                    r.gatewayKey(),
                    r.listener(),
                    r.backend() == null ? "-" : r.backend(),
                    r.bytesFromClient(),
                    r.bytesToClient(),
                    r.connectNanos() < 0
                            ? "-"
                            : Duration.ofNanos(r.connectNanos()).toMillis(),
                    Duration.ofNanos(r.durationNanos()).toMillis());
        }
    }
}
