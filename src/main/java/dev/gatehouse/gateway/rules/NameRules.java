package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.at;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.arm.ResourceNames;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Child names: valid ARM names, unique per collection regardless of case. Part of {@link GatewayRules}. */
final class NameRules {

    private NameRules() {}

    static <P> void check(Check check, ChildCollection<P> c) {
        Map<String, Integer> seen = new HashMap<>();
        List<ChildResource<P>> items = c.items(check.document());
        for (int i = 0; i < items.size(); i++) {
            String name = items.get(i).name();
            if (name == null || name.isBlank()) {
                continue; // reported by the shape check
            }
            if (!ResourceNames.isValidName(name)) {
                check.add(INVALID_RESOURCE_NAME, ResourceNames.nameRule(name), at(c, i) + ".name");
            }
            Integer first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (first != null) {
                check.add(
                        DUPLICATE_RESOURCE_NAME,
                        "The name '" + name + "' is already used by " + at(c, first)
                                + " (names are compared case-insensitively).",
                        at(c, i) + ".name");
            }
        }
    }
}
