package dev.gatehouse.dataplane;

/**
 * Hears about every proxied connection, for metrics and the access log. Called on event loops: an
 * implementation must be quick and must not block.
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
            public RelayCounter relayCounter(String gatewayKey, String listener) {
                return first.relayCounter(gatewayKey, listener);
            }

            @Override
            public void rejected(String gatewayKey, String listener, Rejection reason) {
                first.rejected(gatewayKey, listener, reason);
                also.rejected(gatewayKey, listener, reason);
            }
        };
    }

    /** A client connected to a listener. */
    default void opened(String gatewayKey, String listener) {}

    /** A connection ended; {@code record} says where it went and what it carried. */
    default void closed(ConnectionRecord record) {}

    /**
     * A connection was closed before it was served, for {@code reason}; {@link #opened} and {@link #closed} are
     * not called for it.
     *
     * @param listener the listener of the socket that accepted it (the first one when several share the socket:
     *                 they agree on what rejects a connection)
     */
    default void rejected(String gatewayKey, String listener, Rejection reason) {}

    /** Why a connection was closed before it was served. */
    enum Rejection {
        /** A PROXY header from a peer outside the trusted sources, malformed, truncated or too long. */
        PROXY_HEADER_REJECTED("proxy-header-rejected"),
        /** No complete PROXY header within the listener's header timeout. */
        PROXY_HEADER_TIMEOUT("proxy-header-timeout"),
        /** The client's address is denied, or not allowed, by the listener's client access lists. */
        CLIENT_DENIED("client-denied");

        private final String tag;

        Rejection(String tag) {
            this.tag = tag;
        }

        /** The reason as a metric tag and log field: lower case, dash-separated. */
        public String tag() {
            return tag;
        }
    }

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
     * @param client          {@code host:port} of the client the connection is for ({@link ClientOrigin#client()})
     * @param peer            {@code host:port} that opened the TCP connection; differs from {@code client} only
     *                        behind a trusted PROXY header
     * @param uniqueId        the connection's unique id, or {@code null} when none was made
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
