package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.BackendAddressPoolProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import java.util.List;

/** Backend pools: each address is exactly one of an IP literal and a host name. Part of {@link GatewayRules}. */
final class BackendPoolRules {

    private BackendPoolRules() {}

    static void check(Check c) {
        var col = ChildCollection.BACKEND_ADDRESS_POOLS;
        var items = col.items(c.document());
        for (int i = 0; i < items.size(); i++) {
            var props = items.get(i).properties();
            var addresses = props == null || props.backendAddresses() == null
                    ? List.<BackendAddressPoolProperties.BackendAddress>of()
                    : props.backendAddresses();
            for (int j = 0; j < addresses.size(); j++) {
                var a = addresses.get(j);
                String path = prop(col, i, "backendAddresses[" + j + "]");
                if (a == null || (a.ipAddress() == null) == (a.fqdn() == null)) {
                    c.add(
                            INVALID_BACKEND_ADDRESS,
                            "A backend address has exactly one of 'ipAddress' and 'fqdn'.",
                            path);
                } else if (a.ipAddress() != null && IpAddresses.parse(a.ipAddress()) == null) {
                    c.add(
                            INVALID_IP_ADDRESS,
                            "'" + a.ipAddress() + "' is not an IPv4 or IPv6 address literal.",
                            path + ".ipAddress");
                } else if (a.fqdn() != null && !IpAddresses.isFqdn(a.fqdn())) {
                    c.add(INVALID_BACKEND_ADDRESS, "'" + a.fqdn() + "' is not a valid host name.", path + ".fqdn");
                }
            }
        }
    }
}
