package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.net.SocketAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What applying a snapshot does to one gateway's sockets, decided from what runs and what is wanted before any
 * socket is touched. Pure: sockets are named by bind key, and a running socket is described by one of its
 * listeners (they all share its address, port and protocol).
 *
 * @param stopFirst running sockets to stop before any bind: one that switches between Tcp and Tls (it is then
 *                  bound again, so it is in {@code bind} too), and one no longer wanted that overlaps a new socket
 *                  ({@code 127.0.0.1:5000} leaving while {@code 0.0.0.0:5000} arrives)
 * @param update    running sockets that stay: what they serve is swapped in place
 * @param bind      sockets to bind, in snapshot order
 * @param stopAfter running sockets no longer wanted that are stopped once the binds are done (unless one of their
 *                  listeners failed to move: it keeps serving, last known good)
 */
record SocketPlan(List<String> stopFirst, List<String> update, List<String> bind, List<String> stopAfter) {

    SocketPlan {
        stopFirst = List.copyOf(stopFirst);
        update = List.copyOf(update);
        bind = List.copyOf(bind);
        stopAfter = List.copyOf(stopAfter);
    }

    /**
     * @param running bind key -> one listener of each running socket
     * @param desired bind key -> the listeners of each wanted socket, in snapshot order
     */
    static SocketPlan of(Map<String, ListenerSpec> running, Map<String, List<ListenerSpec>> desired) {
        List<ListenerSpec> arriving = new ArrayList<>();
        desired.forEach((key, specs) -> {
            if (!running.containsKey(key)) {
                arriving.add(specs.get(0));
            }
        });
        List<String> stopFirst = new ArrayList<>();
        List<String> stopAfter = new ArrayList<>();
        running.forEach((key, spec) -> {
            List<ListenerSpec> wanted = desired.get(key);
            if (wanted != null) {
                if (wanted.get(0).terminatesTls() != spec.terminatesTls()) {
                    stopFirst.add(key);
                }
            } else if (arriving.stream().anyMatch(a -> SocketAddresses.overlap(a.bindAddress(), spec.bindAddress()))) {
                stopFirst.add(key);
            } else {
                stopAfter.add(key);
            }
        });
        List<String> update = new ArrayList<>();
        List<String> bind = new ArrayList<>();
        desired.keySet()
                .forEach(key -> (running.containsKey(key) && !stopFirst.contains(key) ? update : bind).add(key));
        return new SocketPlan(stopFirst, update, bind, stopAfter);
    }

    /** Whether the running socket {@code bindKey} stays and is updated in place (rather than bound anew). */
    boolean updates(String bindKey) {
        return update.contains(bindKey);
    }
}
