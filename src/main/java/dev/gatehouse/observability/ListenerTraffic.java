package dev.gatehouse.observability;

/**
 * One listener's counters since the process started; all grow monotonically except {@code active}, so a reader
 * computes rates from two readings.
 *
 * @param accepted        connections accepted
 * @param active          connections open now
 * @param bytesFromClient bytes read from clients so far (after TLS termination: plaintext), open connections included
 * @param bytesToClient   bytes read from backends and sent to clients so far
 */
public record ListenerTraffic(
        String gatewayKey, String listener, long accepted, long active, long bytesFromClient, long bytesToClient) {}
