package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import java.util.ArrayList;
import java.util.List;

/**
 * The child collections themselves: no null entries, and no more entries than allowed. Part of
 * {@link GatewayRules}.
 */
final class CollectionRules {

    private CollectionRules() {}

    static List<ApiError> nullChildren(ApplicationGatewayProperties p) {
        List<ApiError> out = new ArrayList<>();
        for (ChildCollection<?> c : ChildCollection.ALL) {
            var items = c.items(p);
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) == null) {
                    out.add(ApiError.of(
                            INVALID_PROPERTY_VALUE,
                            "Each entry of " + c.segment() + " is an object " + "with a name and properties, not null.",
                            Check.at(c, i)));
                }
            }
        }
        return out;
    }

    static List<ApiError> tooMany(ApplicationGatewayProperties p, int max) {
        List<ApiError> out = new ArrayList<>();
        for (ChildCollection<?> c : ChildCollection.ALL) {
            int n = c.items(p).size();
            if (n > max) {
                out.add(ApiError.of(
                        TOO_MANY_ITEMS,
                        "There are " + n + " " + c.segment() + "; a gateway may have at " + "most " + max
                                + " (gatehouse.api.max-children).",
                        "properties." + c.segment()));
            }
        }
        return out;
    }
}
