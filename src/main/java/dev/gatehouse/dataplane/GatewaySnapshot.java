package dev.gatehouse.dataplane;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the data plane needs to serve one gateway: immutable, free of entities and JSON, and
 * consistent by construction ({@link #GatewaySnapshot} refuses two listeners on one address and port).
 *
 * @param gatewayKey the normalized id of the gateway this snapshot belongs to
 * @param listeners  the listeners to bind, each with its route
 */
public record GatewaySnapshot(String gatewayKey, List<ListenerSpec> listeners) {

    public GatewaySnapshot {
        listeners = List.copyOf(listeners);
        Map<String, String> seen = new HashMap<>();
        for (ListenerSpec l : listeners) {
            String other = seen.putIfAbsent(l.bindKey(), l.name());
            if (other != null) {
                throw new IllegalArgumentException("listeners '" + other + "' and '" + l.name() + "' both bind "
                        + l.bindKey());
            }
        }
    }
}
