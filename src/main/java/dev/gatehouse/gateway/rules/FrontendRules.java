package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.ChildCollection;

/** The frontend IP configurations: an address, when given, is an IP literal. Part of {@link GatewayRules}. */
final class FrontendRules {

    private FrontendRules() {}

    static void check(Check c) {
        var items = ChildCollection.FRONTEND_IP_CONFIGURATIONS.items(c.document());
        for (int i = 0; i < items.size(); i++) {
            String address = items.get(i).properties() == null
                    ? null
                    : items.get(i).properties().privateIPAddress();
            if (address != null && !address.isBlank() && IpAddresses.parse(address) == null) {
                c.add(
                        INVALID_IP_ADDRESS,
                        "'" + address + "' is not an IPv4 or IPv6 address literal (no host names, "
                                + "no leading zeros, no zone ids).",
                        prop(ChildCollection.FRONTEND_IP_CONFIGURATIONS, i, "privateIPAddress"));
            }
        }
    }
}
