package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.Reference;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One run of the cross-property rules over one document: the document, the gateway it is written to, and the
 * violations found so far, which every rule adds to. Resolves references between children, reporting why one
 * does not resolve. Not thread-safe: one run, one thread.
 */
final class Check {

    private final GatewayKey key;
    private final ApplicationGatewayProperties document;
    private final List<ApiError> out;

    Check(GatewayKey key, ApplicationGatewayProperties document, List<ApiError> out) {
        this.key = key;
        this.document = document;
        this.out = out;
    }

    /** The {@code properties} of the document being checked. */
    ApplicationGatewayProperties document() {
        return document;
    }

    void add(String code, String message, String target) {
        add(ApiError.of(code, message, target));
    }

    void add(ApiError violation) {
        out.add(violation);
    }

    /** The JSON path of a child: {@code properties.listeners[0]}. */
    static String at(ChildCollection<?> c, int i) {
        return "properties." + c.segment() + "[" + i + "]";
    }

    /** The JSON path of a child's property: {@code properties.listeners[0].properties.protocol}. */
    static String prop(ChildCollection<?> c, int i, String property) {
        return at(c, i) + ".properties." + property;
    }

    /**
     * Resolves a reference to a child of {@code target}; reports why it does not resolve and returns
     * empty then. A {@code null} reference returns empty without a report.
     */
    <T> Optional<ChildResource<T>> resolve(Reference ref, ChildCollection<T> target, String path) {
        if (ref == null) {
            return Optional.empty();
        }
        String id = ref.id();
        String idPath = path + ".id";
        if (id == null || id.isBlank()) {
            add(MISSING_REQUIRED_PROPERTY, "The reference needs an 'id'.", idPath);
            return Optional.empty();
        }
        String prefix = key.id() + "/";
        String gatewayPart = "/providers/" + GatewayKey.TYPE.toLowerCase(Locale.ROOT) + "/";
        if (!id.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
            if (id.toLowerCase(Locale.ROOT).contains(gatewayPart)) {
                add(
                        REFERENCE_OUTSIDE_GATEWAY,
                        "The reference '" + id + "' points outside this gateway; references " + "must start with '"
                                + prefix + "'.",
                        idPath);
            } else {
                add(
                        INVALID_REFERENCE,
                        "The reference '" + id + "' is not a resource id of the form '" + prefix + target.segment()
                                + "/{name}'.",
                        idPath);
            }
            return Optional.empty();
        }
        String[] rest = id.substring(prefix.length()).split("/", -1);
        if (rest.length != 2 || !rest[0].equalsIgnoreCase(target.segment()) || rest[1].isEmpty()) {
            add(
                    INVALID_REFERENCE,
                    "The reference '" + id + "' must point to one of this gateway's " + target.segment() + " (" + prefix
                            + target.segment() + "/{name}).",
                    idPath);
            return Optional.empty();
        }
        Optional<ChildResource<T>> found = target.find(document, rest[1]);
        if (found.isEmpty()) {
            add(
                    REFERENCED_RESOURCE_NOT_FOUND,
                    "The gateway has no " + target.segment() + " named '" + rest[1] + "'.",
                    idPath);
        }
        return found;
    }
}
