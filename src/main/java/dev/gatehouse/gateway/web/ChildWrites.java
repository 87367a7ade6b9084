package dev.gatehouse.gateway.web;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ErrorCodes;
import dev.gatehouse.arm.Etags;
import dev.gatehouse.arm.ResourceNames;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.rules.RuleCodes;
import dev.gatehouse.gateway.store.GatewayStore;
import dev.gatehouse.gateway.store.StoredGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Child resources (a probe, a backend settings entry, ...) as ARM serves them: each is read and written
 * on its own, with its own etag, yet every write is a locked read-modify-write of the whole gateway,
 * validated as a whole and applied like a gateway write. Violations that lie inside the written child
 * are reported relative to the child's body ({@code properties.port}); others keep their gateway path.
 */
@Component
class ChildWrites {

    private final GatewayStore store;
    private final GatewayWrites writes;

    ChildWrites(GatewayStore store, GatewayWrites writes) {
        this.store = store;
        this.writes = writes;
    }

    <P> ResponseEntity<ChildResource<P>> put(
            ChildCollection<P> c,
            GatewayKey key,
            String name,
            ChildResource<P> body,
            String ifMatch,
            String ifNoneMatch,
            String prefer,
            String apiVersion) {
        ResourceNames.checkName(name, "name");
        if (body.name() != null && !body.name().equalsIgnoreCase(name)) {
            throw ArmException.invalid(
                    RuleCodes.INVALID_APPLICATION_GATEWAY,
                    "The request has 1 error; see details.",
                    List.of(ApiError.of(
                            RuleCodes.RESOURCE_NAME_MISMATCH,
                            "The name '" + body.name() + "' in the body differs from the name '" + name
                                    + "' in the URL.",
                            "name")));
        }
        int[] index = {-1};
        boolean[] created = {false};
        GatewayWrites.Outcome written;
        try {
            written = writes.write(
                    key,
                    current -> {
                        StoredGateway gateway = requireParent(key, current);
                        ChildResource<P> existing = gateway.childView(c, name);
                        Etags.checkPreconditions(
                                ifMatch, ifNoneMatch, existing == null ? null : existing.etag(), describe(c, name));
                        List<ChildResource<P>> items =
                                new ArrayList<>(c.items(gateway.spec().properties()));
                        ChildResource<P> replacement = new ChildResource<>(null, name, null, null, body.properties());
                        index[0] = indexOf(items, name);
                        created[0] = index[0] < 0;
                        if (created[0]) {
                            index[0] = items.size();
                            items.add(replacement);
                        } else {
                            items.set(index[0], replacement);
                        }
                        return gateway.spec()
                                .withProperties(gateway.spec().properties().with(c, items));
                    },
                    prefer);
        } catch (ArmException e) {
            throw index[0] < 0 ? e : relativeTo(e, c, index[0]);
        }
        ChildResource<P> view = written.gateway().childView(c, name);
        return AsyncResponses.status(created[0] ? HttpStatus.CREATED : HttpStatus.OK, written, apiVersion)
                .eTag(view.etag())
                .body(view);
    }

    <P> ResponseEntity<ChildResource<P>> get(ChildCollection<P> c, GatewayKey key, String name) {
        StoredGateway gateway = requireParent(key, store.find(key).orElse(null));
        ChildResource<P> view = Optional.ofNullable(gateway.childView(c, name))
                .orElseThrow(() -> ArmException.notFound(
                        "The gateway '" + key.name() + "' has no " + c.segment() + " named '" + name + "'."));
        return ResponseEntity.ok().eTag(view.etag()).body(view);
    }

    <P> ApplicationGatewayController.Page<ChildResource<P>> list(ChildCollection<P> c, GatewayKey key) {
        StoredGateway gateway = requireParent(key, store.find(key).orElse(null));
        return new ApplicationGatewayController.Page<>(c.items(gateway.view().properties()));
    }

    <P> ResponseEntity<Void> delete(
            ChildCollection<P> c, GatewayKey key, String name, String ifMatch, String prefer, String apiVersion) {
        boolean[] existed = {false};
        GatewayWrites.Outcome written = writes.write(
                key,
                current -> {
                    StoredGateway gateway = requireParent(key, current);
                    ChildResource<P> existing = gateway.childView(c, name);
                    Etags.checkPreconditions(
                            ifMatch, null, existing == null ? null : existing.etag(), describe(c, name));
                    List<ChildResource<P>> items =
                            new ArrayList<>(c.items(gateway.spec().properties()));
                    existed[0] = items.removeIf(item -> item.name().equalsIgnoreCase(name));
                    return gateway.spec()
                            .withProperties(gateway.spec().properties().with(c, items));
                },
                prefer);
        return existed[0]
                ? AsyncResponses.okOrAccepted(written, apiVersion).build()
                : ResponseEntity.noContent().build();
    }

    private static StoredGateway requireParent(GatewayKey key, StoredGateway gateway) {
        if (gateway == null) {
            throw new ArmException(
                    HttpStatus.NOT_FOUND, ErrorCodes.PARENT_RESOURCE_NOT_FOUND, key.notFoundMessage(), null);
        }
        return gateway;
    }

    private static String describe(ChildCollection<?> c, String name) {
        return "the " + c.segment() + " entry '" + name + "'";
    }

    private static <P> int indexOf(List<ChildResource<P>> items, String name) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static ArmException relativeTo(ArmException e, ChildCollection<?> c, int index) {
        if (!RuleCodes.INVALID_APPLICATION_GATEWAY.equals(e.error().code())) {
            return e;
        }
        String prefix = "properties." + c.segment() + "[" + index + "]";
        List<ApiError> details = e.error().details().stream()
                .map(d -> {
                    String t = d.target();
                    String rest = t == null || !t.startsWith(prefix) ? null : t.substring(prefix.length());
                    if (rest == null || !(rest.isEmpty() || rest.startsWith("."))) {
                        return d;
                    }
                    return ApiError.of(d.code(), d.message(), rest.startsWith(".") ? rest.substring(1) : null);
                })
                .toList();
        return new ArmException(
                e.status(), new ApiError(e.error().code(), e.error().message(), null, details));
    }
}
