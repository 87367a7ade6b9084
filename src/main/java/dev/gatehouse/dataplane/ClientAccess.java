package dev.gatehouse.dataplane;

import dev.gatehouse.net.AddressRange;
import java.net.InetAddress;
import java.util.List;

/**
 * Which clients a listener serves, by the client's address ({@link ClientOrigin#client()}: the address from a
 * trusted PROXY header when there is one). A client in a {@code deny} range is refused whatever {@code allow}
 * says; otherwise it is served when {@code allow} is empty or holds a range it is in.
 *
 * @param allow the ranges served; empty: every client not denied
 * @param deny  the ranges refused; empty: none
 */
public record ClientAccess(List<AddressRange> allow, List<AddressRange> deny) {

    public ClientAccess {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /**
     * From the ranges' texts, as validation accepted them; an absent list is empty.
     *
     * @throws IllegalArgumentException when a text is no {@link AddressRange}
     */
    public static ClientAccess of(List<String> allow, List<String> deny) {
        return new ClientAccess(AddressRange.parseAll(allow), AddressRange.parseAll(deny));
    }

    /** Whether a client at {@code client} is served. */
    public boolean admits(InetAddress client) {
        for (AddressRange range : deny) {
            if (range.contains(client)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (AddressRange range : allow) {
            if (range.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
