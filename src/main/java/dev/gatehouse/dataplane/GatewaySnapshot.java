package dev.gatehouse.dataplane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the data plane needs to serve one gateway: immutable, free of entities and JSON, and
 * consistent by construction: listeners that share an address and port must all terminate TLS, with
 * SNI host names that do not overlap and at most one without host names.
 *
 * @param gatewayKey the normalized id of the gateway this snapshot belongs to
 * @param listeners  the listeners to bind, each with its route
 */
public record GatewaySnapshot(String gatewayKey, List<ListenerSpec> listeners) {

    public GatewaySnapshot {
        listeners = List.copyOf(listeners);
        for (List<ListenerSpec> shared : bySocket(listeners).values()) {
            if (shared.size() > 1) {
                checkSharable(shared);
            }
        }
    }

    /** The listeners grouped by the socket they are served on, in document order. */
    public Map<String, List<ListenerSpec>> bySocket() {
        return bySocket(listeners);
    }

    private static Map<String, List<ListenerSpec>> bySocket(List<ListenerSpec> listeners) {
        Map<String, List<ListenerSpec>> groups = new LinkedHashMap<>();
        for (ListenerSpec l : listeners) {
            groups.computeIfAbsent(l.bindKey(), k -> new ArrayList<>()).add(l);
        }
        groups.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(groups);
    }

    private static void checkSharable(List<ListenerSpec> shared) {
        List<String> seen = new ArrayList<>();
        int defaults = 0;
        for (ListenerSpec l : shared) {
            if (!l.terminatesTls()) {
                throw new IllegalArgumentException(
                        "listener '" + l.name() + "' shares " + l.bindKey() + " but does not terminate TLS");
            }
            defaults += l.hostNames().isEmpty() ? 1 : 0;
            for (String h : l.hostNames()) {
                if (seen.contains(h)) {
                    throw new IllegalArgumentException("host name '" + h + "' is claimed twice on " + l.bindKey());
                }
                seen.add(h);
            }
        }
        if (defaults > 1) {
            throw new IllegalArgumentException(defaults + " listeners without hostNames share "
                    + shared.get(0).bindKey());
        }
    }
}
