package dev.gatehouse.gateway.replicas;

import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Test fixture: other replicas in the shared database, without running them. Lets tests outside this package
 * register a peer, record its outcomes and make it vanish while the replica tables stay package-private.
 */
@Component
public class Peers {

    private final InstanceRows rows;
    private final InstanceStatusRows statusRows;
    private final Instances instances;

    Peers(InstanceRows rows, InstanceStatusRows statusRows, Instances instances) {
        this.rows = rows;
        this.statusRows = statusRows;
        this.instances = instances;
    }

    /** Registers a live peer and lets this instance see it. */
    public void register(String peer) {
        Instant now = rows.databaseNow();
        rows.insert(new InstanceRow(peer, "peer-host", now, now));
        instances.heartbeat();
    }

    /** The peer's outcome for a gateway, as its reconciler would record it. */
    public void records(String resourceKey, String peer, long generation, String state, String errorJson) {
        statusRows.save(new InstanceStatusRow(resourceKey, peer, generation, state, errorJson, Instant.now()));
    }

    /** The peer is gone (its row deleted) and this instance no longer sees it. */
    public void remove(String peer) {
        rows.delete(peer);
        instances.heartbeat();
    }
}
