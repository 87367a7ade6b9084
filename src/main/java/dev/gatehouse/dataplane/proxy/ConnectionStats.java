package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ConnectionObserver;

/**
 * Counters of one proxied connection. Both relay handlers of a connection run on one event loop, so
 * plain fields suffice; the record is handed to the observer once, when the client channel closes, and the
 * bytes relayed so far are reported to the listener's live counter after each read loop.
 */
final class ConnectionStats {

    final long startedNanos = System.nanoTime();
    long fromClient;
    long toClient;
    long connectNanos = -1;
    String backend;
    /** Whom the connection is for: set when the listener is chosen, before the backend is connected. */
    ClientOrigin origin;
    /** The connection's unique id (PROXY v2 UNIQUE_ID, access log), made when first asked for; else null. */
    private String uniqueId;

    String listener;
    /** The socket that accepted the connection, set with {@link #listener}: it knows the listener's observer. */
    ListenerState acceptedBy;
    /** The listener's live byte counter, found when the connection first relays. */
    private ConnectionObserver.RelayCounter relayCounter;

    /**
     * {@link System#nanoTime()} of the last read loop that relayed a byte, or of the relay's start if later: the
     * traffic {@link IdleTimeout} looks at.
     */
    long relayedNanos;

    private long reportedFromClient;
    private long reportedToClient;

    /**
     * The connection's unique id, made on the first call: only a backend header that carries it or an observer
     * that {@link ConnectionObserver#readsDetails() reads it} asks, and both get the same.
     */
    String uniqueId() {
        if (uniqueId == null) {
            uniqueId = ConnectionIds.next();
        }
        return uniqueId;
    }

    /**
     * Hands the bytes counted since the last call to the listener's live counter: called once per read loop,
     * so a busy connection adds to it a few times per loop at most, never once per buffer. Keeps the time of
     * the last such loop for the idle timeout: one clock read per read loop that moved bytes.
     */
    void reportRelayed() {
        long in = fromClient - reportedFromClient;
        long out = toClient - reportedToClient;
        if (in == 0 && out == 0) {
            return;
        }
        relayedNanos = System.nanoTime();
        if (relayCounter == null) {
            relayCounter = acceptedBy == null
                    ? ConnectionObserver.RelayCounter.NONE
                    : acceptedBy.observer().relayCounter(acceptedBy.gatewayKey(), listener);
        }
        if (in != 0) {
            relayCounter.relayed(true, in);
            reportedFromClient = fromClient;
        }
        if (out != 0) {
            relayCounter.relayed(false, out);
            reportedToClient = toClient;
        }
    }
}
