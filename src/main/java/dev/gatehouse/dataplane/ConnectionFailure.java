package dev.gatehouse.dataplane;

/**
 * Why a client connection ended without being relayed, or with its relay cut short by the gateway: the
 * {@code reason} tag of {@code gatehouse.connection.failures} (docs/metrics.md). A new reason is one constant here.
 */
public enum ConnectionFailure {
    /** The pool has no servers, or every server was Unhealthy and none accepted the connection either. */
    NO_HEALTHY_SERVER("no-healthy-server"),
    /** No server accepted: the last one tried refused, was unreachable or reset. */
    CONNECT_FAILED("connect-failed"),
    /** No server accepted: the last one tried did not answer within {@code gatehouse.dataplane.connect-timeout}. */
    CONNECT_TIMEOUT("connect-timeout"),
    /** The listener's socket already had {@code gatehouse.dataplane.max-connections-per-listener} connections. */
    MAX_CONNECTIONS("max-connections"),
    /** The client's TLS handshake failed (no common protocol or cipher, no listener for its SNI, bad record). */
    TLS_HANDSHAKE_FAILED("tls-handshake-failed"),
    /** The client did not complete its TLS handshake within {@code gatehouse.dataplane.tls-handshake-timeout}. */
    TLS_HANDSHAKE_TIMEOUT("tls-handshake-timeout"),
    /** The TLS handshake with a backend server of {@code Tls} backend settings failed or timed out. */
    BACKEND_TLS_FAILED("backend-tls-failed"),
    /**
     * A PROXY header from a peer outside the listener's trusted sources (closed before a byte is read), or
     * malformed, truncated or too long.
     */
    PROXY_HEADER_REJECTED("proxy-header-rejected"),
    /** No complete PROXY header within the listener's {@code headerTimeoutInSec}. */
    PROXY_HEADER_TIMEOUT("proxy-header-timeout"),
    /** The client's address is denied, or not allowed, by the listener's client access lists. */
    CLIENT_DENIED("client-denied");

    private final String tag;

    ConnectionFailure(String tag) {
        this.tag = tag;
    }

    /** The value of the metric's {@code reason} tag, in kebab-case. */
    public String tag() {
        return tag;
    }
}
