package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.GatewayKey;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Every rule an ApplicationGateway document must satisfy, checked at once so that a caller sees all
 * violations in one response, each with a stable code and the JSON path of the offending property.
 * Shape (required properties, ranges) comes from the Bean Validation annotations on the model; the
 * rules that relate properties to each other are here. Stateless and thread-safe.
 */
@Component
public class GatewayRules {

    private final Validator validator;
    private final Clock clock;
    private final ListenerPolicy policy;

    @Autowired
    public GatewayRules(Validator validator, ListenerPolicy policy) {
        this(validator, Clock.systemUTC(), policy);
    }

    /** With the permissive listener policy (reserved ports still refused): the rules of the document alone. */
    public GatewayRules(Validator validator) {
        this(validator, Clock.systemUTC(), ListenerPolicy.permissive());
    }

    GatewayRules(Validator validator, Clock clock, ListenerPolicy policy) {
        this.validator = validator;
        this.clock = clock;
        this.policy = policy;
    }

    /** All violations of {@code doc} as the gateway {@code key}; empty when the document is valid. */
    public List<ApiError> check(GatewayKey key, ApplicationGateway doc) {
        return check(key, doc, null);
    }

    /**
     * As {@link #check(GatewayKey, ApplicationGateway)}, knowing the stored document: a certificate that
     * expired while stored does not block writes that leave it unchanged (the data plane still serves it;
     * replacing it is the operator's move), only a write that brings in an expired one is refused.
     */
    public List<ApiError> check(GatewayKey key, ApplicationGateway doc, ApplicationGateway stored) {
        List<ApiError> all = new ArrayList<>(ShapeRules.check(validator, doc));
        if (doc.name() != null && !doc.name().equalsIgnoreCase(key.name())) {
            all.add(ApiError.of(
                    RESOURCE_NAME_MISMATCH,
                    "The name '" + doc.name() + "' in the body differs from the name '" + key.name() + "' in the URL.",
                    "name"));
        }
        List<ApiError> nulls = CollectionRules.nullChildren(doc.properties());
        if (!nulls.isEmpty()) {
            // The cross-property rules need every child to be an object; report the nulls and stop here.
            all.addAll(nulls);
            return all;
        }
        if (doc.properties() != null) {
            all.addAll(CollectionRules.tooMany(doc.properties(), policy.maxChildren()));
            Check check = new Check(key, doc.properties(), all);
            for (ChildCollection<?> c : ChildCollection.ALL) {
                NameRules.check(check, c);
            }
            FrontendRules.check(check);
            ListenerRules.check(check, policy);
            BackendPoolRules.check(check);
            BackendSettingsRules.check(check);
            ProbeRules.check(check);
            RoutingRuleRules.check(check);
            SslProfileRules.check(check);
            all.addAll(CertificateRules.check(doc.properties(), stored == null ? null : stored.properties(), clock));
        }
        return all;
    }
}
