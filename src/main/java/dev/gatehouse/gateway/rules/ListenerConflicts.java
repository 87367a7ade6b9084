package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.RuleCodes.LISTENER_ADDRESS_CONFLICT;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.gateway.model.Protocol;
import dev.gatehouse.net.SocketAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which listeners cannot be bound together: sockets that overlap ({@link SocketAddresses#overlap}, the rule the
 * data plane uses too), unless they are Tls listeners sharing one socket that SNI host names tell apart. Part of
 * {@link GatewayRules}.
 */
final class ListenerConflicts {

    private ListenerConflicts() {}

    /** A listener of the document, at index {@code index}, with the address and port it would bind. */
    record Bind(int index, InetAddress address, int port, ListenerProperties listener) {

        boolean overlaps(Bind o) {
            return SocketAddresses.overlap(address, port, o.address, o.port);
        }

        /**
         * Tls listeners may share one socket (the very same address and port) when SNI host names tell
         * them apart; overlapping but different addresses (0.0.0.0 and 127.0.0.1) would be two sockets.
         */
        boolean sharesBySni(Bind o) {
            return listener.protocol() == Protocol.Tls
                    && o.listener.protocol() == Protocol.Tls
                    && address.equals(o.address)
                    && !Objects.equals(normalized(listener.hostNames()), normalized(o.listener.hostNames()))
                    && Collections.disjoint(normalized(listener.hostNames()), normalized(o.listener.hostNames()));
        }

        private static List<String> normalized(List<String> names) {
            return names == null
                    ? List.of()
                    : names.stream()
                            .filter(Objects::nonNull)
                            .map(n -> n.toLowerCase(Locale.ROOT))
                            .toList();
        }
    }

    /** One ListenerAddressConflict for each listener that overlaps an earlier one. */
    static List<ApiError> find(List<Bind> binds) {
        List<ApiError> out = new ArrayList<>();
        for (int a = 0; a < binds.size(); a++) {
            for (int b = a + 1; b < binds.size(); b++) {
                Bind first = binds.get(a);
                Bind second = binds.get(b);
                if (first.overlaps(second) && !first.sharesBySni(second)) {
                    out.add(ApiError.of(
                            LISTENER_ADDRESS_CONFLICT,
                            "This listener would bind "
                                    + second.address().getHostAddress() + " port " + second.port()
                                    + ", which overlaps properties.listeners[" + first.index()
                                    + "] on " + first.address().getHostAddress() + " port " + first.port() + ".",
                            Check.at(ChildCollection.LISTENERS, second.index())));
                }
            }
        }
        return out;
    }
}
