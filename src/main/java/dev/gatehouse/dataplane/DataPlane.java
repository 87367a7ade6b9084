package dev.gatehouse.dataplane;

import java.util.List;
import java.util.Set;

/**
 * The running proxy. It only ever sees snapshots. Applying is idempotent: applying the same snapshot
 * twice changes nothing, and a listener whose address, port and protocol are unchanged keeps its
 * socket and its open connections while its route is swapped for new connections.
 * <p>Not thread-safe: one caller (the reconciler) applies at a time.
 */
public interface DataPlane extends AutoCloseable {

    /** Makes the gateway's running listeners match the snapshot; blocks until each is bound or has failed. */
    ApplyResult apply(GatewaySnapshot snapshot);

    /** Stops every listener of the gateway; a no-op for an unknown gateway. */
    void remove(String gatewayKey);

    /** The probed health of every server of the gateway's routes; empty for an unknown gateway. */
    List<ServerHealthReport> health(String gatewayKey);

    /** The gateways that currently have state in the data plane. */
    Set<String> gatewayKeys();

    @Override
    void close();
}
