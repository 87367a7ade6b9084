package dev.gatehouse.dataplane;

import java.util.Set;

/**
 * Hears about every proxied connection, for metrics and the access log. Called on event loops (except
 * {@link #listenersApplied}): an implementation must be quick and must not block.
 */
public interface ConnectionObserver {

    ConnectionObserver NONE = new ConnectionObserver() {};

    /**
     * This observer, then {@code also}, for opened and closed connections; relayed bytes are counted by this one
     * only (the one that counts them comes first).
     */
    default ConnectionObserver andThen(ConnectionObserver also) {
        ConnectionObserver first = this;
        return new ConnectionObserver() {
            @Override
            public void opened(String gatewayKey, String listener) {
                first.opened(gatewayKey, listener);
                also.opened(gatewayKey, listener);
            }

            @Override
            public void closed(ConnectionRecord record) {
                first.closed(record);
                also.closed(record);
            }

            @Override
            public void failed(String gatewayKey, String listener, ConnectionFailure reason) {
                first.failed(gatewayKey, listener, reason);
                also.failed(gatewayKey, listener, reason);
            }

            @Override
            public void listenersApplied(String gatewayKey, Set<String> listeners) {
                first.listenersApplied(gatewayKey, listeners);
                also.listenersApplied(gatewayKey, listeners);
            }

            @Override
            public RelayCounter relayCounter(String gatewayKey, String listener) {
                return first.relayCounter(gatewayKey, listener);
            }

            @Override
            public boolean readsDetails() {
                return first.readsDetails() || also.readsDetails();
            }
        };
    }

    /**
     * Whether {@link #closed} reads a record's {@code client}, {@code peer} and {@code uniqueId}. When no observer
     * does, the data plane leaves them {@code null} instead of formatting two addresses and an id per connection
     * (docs/benchmarks.md, Levers); a backend header that carries the unique id still has one. Asked per
     * connection: the answer must be constant.
     */
    default boolean readsDetails() {
        return false;
    }

    /** A client connected to a listener. */
    default void opened(String gatewayKey, String listener) {}

    /** A connection ended; {@code record} says where it went and what it carried. */
    default void closed(ConnectionRecord record) {}

    /**
     * A client connection failed for {@code reason}; once per connection at most. {@code listener} is the listener
     * that accepted it, or, before a TLS handshake chose one by SNI, the socket's listener without host names (else
     * its first). A failed connection may or may not have been {@link #opened} (a capped or TLS-failed one was not).
     */
    default void failed(String gatewayKey, String listener, ConnectionFailure reason) {}

    /**
     * The data plane now serves exactly {@code listeners} of the gateway (none once it is removed or stopped), and
     * probes exactly the servers its health reports show; meters of anything else may go. Called on the applying
     * thread after each apply and remove, never on an event loop. Connections of a removed listener may still
     * drain and report afterwards.
     */
    default void listenersApplied(String gatewayKey, Set<String> listeners) {}

    /**
     * Where the listener's bytes are counted while its connections relay them. Asked once per connection, when
     * it relays for the first time; the answer may be kept as long as the connection lives.
     */
    default RelayCounter relayCounter(String gatewayKey, String listener) {
        return RelayCounter.NONE;
    }

    /**
     * Counts one listener's relayed bytes as they pass, not only when a connection ends. Called on event loops
     * once per read loop of a connection (batched, not per buffer): an implementation must be quick, lock-free
     * and must not block.
     */
    interface RelayCounter {

        RelayCounter NONE = (fromClient, bytes) -> {};

        /** {@code bytes} more were read from the client ({@code fromClient}) or from the backend. */
        void relayed(boolean fromClient, long bytes);
    }

    /**
     * One finished connection.
     *
     * @param client          {@code host:port} of the client the connection is for ({@link ClientOrigin#client()});
     *                        {@code null} when no observer {@link #readsDetails() reads it}
     * @param peer            {@code host:port} that opened the TCP connection; differs from {@code client} only
     *                        behind a trusted PROXY header; {@code null} as {@code client} is
     * @param uniqueId        the connection's unique id (the PROXY v2 UNIQUE_ID when a backend header carries one);
     *                        {@code null} as {@code client} is
     * @param backend         {@code host:port} of the server it was relayed to, or {@code null} if none accepted
     * @param bytesFromClient bytes read from the client (after TLS termination: plaintext)
     * @param bytesToClient   bytes read from the backend and sent to the client
     * @param connectNanos    time to connect to the backend (all attempts), or -1 when it never connected
     */
    record ConnectionRecord(
            String gatewayKey,
            String listener,
            String client,
            String peer,
            String uniqueId,
            String backend,
            long bytesFromClient,
            long bytesToClient,
            long connectNanos,
            long durationNanos) {}
}
