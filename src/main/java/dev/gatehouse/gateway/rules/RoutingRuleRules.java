package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.at;
import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.BackendSettingsProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.RoutingRuleProperties;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Routing rules: Basic, unique priorities, at most one rule per listener, and Layer-4 backend settings. Part of
 * {@link GatewayRules}.
 */
final class RoutingRuleRules {

    private RoutingRuleRules() {}

    static void check(Check c) {
        var col = ChildCollection.ROUTING_RULES;
        var items = col.items(c.document());
        Map<Integer, Integer> priorities = new HashMap<>();
        Map<String, Integer> listenerUse = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            RoutingRuleProperties r = items.get(i).properties();
            if (r == null) {
                continue;
            }
            if (r.ruleType() != null && !r.ruleType().equalsIgnoreCase("Basic")) {
                c.add(
                        UNSUPPORTED_RULE_TYPE,
                        "Layer-4 routing rules have ruleType Basic, not '" + r.ruleType() + "'.",
                        prop(col, i, "ruleType"));
            }
            if (r.priority() != null) {
                Integer first = priorities.putIfAbsent(r.priority(), i);
                if (first != null) {
                    c.add(
                            DUPLICATE_PRIORITY,
                            "The priority " + r.priority() + " is already used by " + at(col, first)
                                    + "; priorities are unique.",
                            prop(col, i, "priority"));
                }
            }
            int index = i;
            c.resolve(r.listener(), ChildCollection.LISTENERS, prop(col, i, "listener"))
                    .ifPresent(l -> {
                        Integer first = listenerUse.putIfAbsent(l.name().toLowerCase(Locale.ROOT), index);
                        if (first != null) {
                            c.add(
                                    LISTENER_USED_BY_MULTIPLE_RULES,
                                    "The listener '" + l.name() + "' is already used by " + at(col, first)
                                            + "; a listener belongs to at most one routing rule.",
                                    prop(col, index, "listener"));
                        }
                    });
            c.resolve(
                    r.backendAddressPool(), ChildCollection.BACKEND_ADDRESS_POOLS, prop(col, i, "backendAddressPool"));
            var settings =
                    c.resolve(r.backendSettings(), ChildCollection.BACKEND_SETTINGS, prop(col, i, "backendSettings"));
            settings.map(ChildResource::properties)
                    .map(BackendSettingsProperties::protocol)
                    .filter(protocol -> !protocol.isLayer4())
                    .ifPresent(protocol -> c.add(
                            RULE_REQUIRES_TCP_OR_TLS_SETTINGS,
                            "A Layer-4 routing rule needs "
                                    + "backend settings with protocol Tcp or Tls; '"
                                    + settings.get().name() + "' is "
                                    + protocol + ".",
                            prop(col, index, "backendSettings")));
        }
    }
}
