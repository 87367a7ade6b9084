package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ConnectionObserver;

/**
 * Counters of one proxied connection. Both relay handlers of a connection run on one event loop, so
 * plain fields suffice; the record is handed to the observer once, when the client channel closes.
 */
final class ConnectionStats {

    final long startedNanos = System.nanoTime();
    long fromClient;
    long toClient;
    long connectNanos = -1;
    String backend;
    String listener;
}
