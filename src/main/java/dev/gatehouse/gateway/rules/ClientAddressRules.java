package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.net.AddressRange;
import java.util.List;
import java.util.Objects;

/**
 * The client-address extensions of a listener: {@code gatehouseProxyProtocol} (a PROXY header from trusted load
 * balancers) and {@code gatehouseClientAccess} (allow and deny lists). Every range must parse, a list that is
 * present must not be empty, and listeners that share one socket must agree on both (the header is read, and
 * the lists applied, before SNI chooses among them). Part of {@link ListenerRules}.
 */
final class ClientAddressRules {

    /** More ranges than this in one list is a mistake, not a policy (each is compared per connection). */
    static final int MAX_RANGES = 256;

    private ClientAddressRules() {}

    static void check(Check c, int index, ListenerProperties l) {
        var proxy = l.gatehouseProxyProtocol();
        if (proxy != null && proxy.trustedSources() != null) {
            ranges(c, index, "gatehouseProxyProtocol.trustedSources", proxy.trustedSources());
        }
        var access = l.gatehouseClientAccess();
        if (access != null) {
            if (access.allow() == null && access.deny() == null) {
                c.add(
                        EMPTY_ADDRESS_LIST,
                        "gatehouseClientAccess needs an allow list, a deny list or both; remove it to serve every "
                                + "client.",
                        prop(ChildCollection.LISTENERS, index, "gatehouseClientAccess"));
            }
            if (access.allow() != null) {
                ranges(c, index, "gatehouseClientAccess.allow", access.allow());
            }
            if (access.deny() != null) {
                ranges(c, index, "gatehouseClientAccess.deny", access.deny());
            }
        }
    }

    private static void ranges(Check c, int index, String property, List<String> ranges) {
        String path = prop(ChildCollection.LISTENERS, index, property);
        if (ranges.isEmpty()) {
            c.add(
                    EMPTY_ADDRESS_LIST,
                    "The list is empty; name at least one address range (CIDR, like 10.0.0.0/8), or remove the "
                            + "list.",
                    path);
            return;
        }
        if (ranges.size() > MAX_RANGES) {
            c.add(TOO_MANY_ITEMS, "At most " + MAX_RANGES + " address ranges are allowed here.", path);
            return;
        }
        for (int j = 0; j < ranges.size(); j++) {
            try {
                AddressRange.parse(ranges.get(j));
            } catch (IllegalArgumentException e) {
                c.add(INVALID_ADDRESS_RANGE, e.getMessage() + ".", path + "[" + j + "]");
            }
        }
    }

    /** One ListenersOnSocketDisagree for each listener that shares a socket with an earlier one and differs. */
    static void checkSharedSockets(Check c, List<ListenerConflicts.Bind> binds) {
        for (int b = 1; b < binds.size(); b++) {
            ListenerConflicts.Bind later = binds.get(b);
            for (int a = 0; a < b; a++) {
                ListenerConflicts.Bind first = binds.get(a);
                if (!first.overlaps(later) || !first.sharesBySni(later)) {
                    continue;
                }
                ListenerProperties x = first.listener();
                ListenerProperties y = later.listener();
                agree(
                        c,
                        first,
                        later,
                        "gatehouseProxyProtocol",
                        x.gatehouseProxyProtocol(),
                        y.gatehouseProxyProtocol(),
                        "the header arrives before the TLS ClientHello");
                agree(
                        c,
                        first,
                        later,
                        "gatehouseClientAccess",
                        x.gatehouseClientAccess(),
                        y.gatehouseClientAccess(),
                        "it is applied before SNI chooses the listener");
                break;
            }
        }
    }

    private static void agree(
            Check c,
            ListenerConflicts.Bind first,
            ListenerConflicts.Bind later,
            String property,
            Object firstValue,
            Object laterValue,
            String why) {
        if (!Objects.equals(firstValue, laterValue)) {
            c.add(
                    LISTENERS_ON_SOCKET_DISAGREE,
                    "Listeners sharing one address and port must have the same " + property + " (" + why
                            + "); this differs from properties.listeners[" + first.index() + "].",
                    prop(ChildCollection.LISTENERS, later.index(), property));
        }
    }
}
