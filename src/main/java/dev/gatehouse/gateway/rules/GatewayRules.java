package dev.gatehouse.gateway.rules;

import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.BackendAddressPoolProperties;
import dev.gatehouse.gateway.model.BackendSettingsProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.gateway.model.ProbeProperties;
import dev.gatehouse.gateway.model.Protocol;
import dev.gatehouse.gateway.model.Reference;
import dev.gatehouse.gateway.model.RoutingRuleProperties;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ResourceNames;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hibernate.validator.constraints.Range;
import org.springframework.stereotype.Component;

/**
 * Every rule an ApplicationGateway document must satisfy, checked at once so that a caller sees all
 * violations in one response, each with a stable code and the JSON path of the offending property.
 * Shape (required properties, ranges) comes from the Bean Validation annotations on the model; the
 * rules that relate properties to each other are here. Stateless and thread-safe.
 */
@Component
public class GatewayRules {

    private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile(
            "(\\*\\.)?([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?");

    private final Validator validator;
    private final Clock clock;
    private final ListenerPolicy policy;

    @org.springframework.beans.factory.annotation.Autowired
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
        List<ApiError> shape = new ArrayList<>();
        for (ConstraintViolation<ApplicationGateway> v : validator.validate(doc)) {
            shape.add(describe(v));
        }
        shape.sort(Comparator.comparing(ApiError::target));
        List<ApiError> all = new ArrayList<>(shape);
        if (doc.name() != null && !doc.name().equalsIgnoreCase(key.name())) {
            all.add(ApiError.of(RESOURCE_NAME_MISMATCH, "The name '" + doc.name() + "' in the body differs from the name '"
                    + key.name() + "' in the URL.", "name"));
        }
        List<ApiError> nulls = nullChildren(doc.properties());
        if (!nulls.isEmpty()) {
            // The cross-property rules need every child to be an object; report the nulls and stop here.
            all.addAll(nulls);
            return all;
        }
        if (doc.properties() != null) {
            for (ChildCollection<?> c : ChildCollection.ALL) {
                int n = c.items(doc.properties()).size();
                if (n > policy.maxChildren()) {
                    all.add(ApiError.of(TOO_MANY_ITEMS, "There are " + n + " " + c.segment() + "; a gateway may have at "
                            + "most " + policy.maxChildren() + " (gatehouse.api.max-children).", "properties." + c.segment()));
                }
            }
            new Check(key, doc.properties(), all, clock, stored == null ? null : stored.properties(), policy).run();
        }
        return all;
    }

    /** The JSON path of a child: {@code properties.listeners[0]}. */
    static String at(ChildCollection<?> c, int i) {
        return "properties." + c.segment() + "[" + i + "]";
    }

    /** The JSON path of a child's property: {@code properties.listeners[0].properties.protocol}. */
    static String prop(ChildCollection<?> c, int i, String property) {
        return at(c, i) + ".properties." + property;
    }

    private static List<ApiError> nullChildren(ApplicationGatewayProperties p) {
        List<ApiError> out = new ArrayList<>();
        for (ChildCollection<?> c : ChildCollection.ALL) {
            var items = c.items(p);
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) == null) {
                    out.add(ApiError.of(INVALID_PROPERTY_VALUE, "Each entry of " + c.segment() + " is an object "
                            + "with a name and properties, not null.", at(c, i)));
                }
            }
        }
        return out;
    }

    private static ApiError describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        String property = path.substring(path.lastIndexOf('.') + 1);
        Class<? extends Annotation> type = v.getConstraintDescriptor().getAnnotation().annotationType();
        if (type == Range.class) {
            Map<String, Object> a = v.getConstraintDescriptor().getAttributes();
            return ApiError.of(VALUE_OUT_OF_RANGE, "The value " + v.getInvalidValue() + " of '" + property
                    + "' is out of range: it must be between " + a.get("min") + " and " + a.get("max") + ".", path);
        }
        if (v.getInvalidValue() == null || type.getSimpleName().startsWith("Not")) {
            return ApiError.of(MISSING_REQUIRED_PROPERTY, "The property '" + property + "' is required.", path);
        }
        return ApiError.of(INVALID_PROPERTY_VALUE, "The value of '" + property + "' " + v.getMessage() + ".", path);
    }

    /** One run of the cross-property rules over one document. */
    private static final class Check {

        private final GatewayKey key;
        private final ApplicationGatewayProperties p;
        private final List<ApiError> out;
        private final Clock clock;
        private final ApplicationGatewayProperties stored;

        private final ListenerPolicy policy;

        Check(GatewayKey key, ApplicationGatewayProperties p, List<ApiError> out, Clock clock,
                ApplicationGatewayProperties stored, ListenerPolicy policy) {
            this.policy = policy;
            this.key = key;
            this.p = p;
            this.out = out;
            this.clock = clock;
            this.stored = stored;
        }

        void run() {
            for (ChildCollection<?> c : ChildCollection.ALL) {
                names(c);
            }
            frontendIps();
            listeners();
            pools();
            backendSettings();
            probes();
            routingRules();
            out.addAll(CertificateRules.check(p, stored, clock));
        }

        private void add(String code, String message, String target) {
            out.add(ApiError.of(code, message, target));
        }

        private <P> void names(ChildCollection<P> c) {
            Map<String, Integer> seen = new HashMap<>();
            List<ChildResource<P>> items = c.items(p);
            for (int i = 0; i < items.size(); i++) {
                String name = items.get(i).name();
                if (name == null || name.isBlank()) {
                    continue; // reported by the shape check
                }
                if (!ResourceNames.isValidName(name)) {
                    add(INVALID_RESOURCE_NAME, ResourceNames.nameRule(name), at(c, i) + ".name");
                }
                Integer first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
                if (first != null) {
                    add(DUPLICATE_RESOURCE_NAME, "The name '" + name + "' is already used by " + at(c, first)
                            + " (names are compared case-insensitively).", at(c, i) + ".name");
                }
            }
        }

        /**
         * Resolves a reference to a child of {@code target}; reports why it does not resolve and returns
         * empty then. A {@code null} reference returns empty without a report.
         */
        private <T> Optional<ChildResource<T>> resolve(Reference ref, ChildCollection<T> target, String path) {
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
                    add(REFERENCE_OUTSIDE_GATEWAY, "The reference '" + id + "' points outside this gateway; references "
                            + "must start with '" + prefix + "'.", idPath);
                } else {
                    add(INVALID_REFERENCE, "The reference '" + id + "' is not a resource id of the form '" + prefix
                            + target.segment() + "/{name}'.", idPath);
                }
                return Optional.empty();
            }
            String[] rest = id.substring(prefix.length()).split("/", -1);
            if (rest.length != 2 || !rest[0].equalsIgnoreCase(target.segment()) || rest[1].isEmpty()) {
                add(INVALID_REFERENCE, "The reference '" + id + "' must point to one of this gateway's "
                        + target.segment() + " (" + prefix + target.segment() + "/{name}).", idPath);
                return Optional.empty();
            }
            Optional<ChildResource<T>> found = target.find(p, rest[1]);
            if (found.isEmpty()) {
                add(REFERENCED_RESOURCE_NOT_FOUND, "The gateway has no " + target.segment() + " named '" + rest[1]
                        + "'.", idPath);
            }
            return found;
        }

        private void frontendIps() {
            var items = ChildCollection.FRONTEND_IP_CONFIGURATIONS.items(p);
            for (int i = 0; i < items.size(); i++) {
                String address = items.get(i).properties() == null ? null : items.get(i).properties().privateIPAddress();
                if (address != null && !address.isBlank() && IpAddresses.parse(address) == null) {
                    add(INVALID_IP_ADDRESS, "'" + address + "' is not an IPv4 or IPv6 address literal (no host names, "
                            + "no leading zeros, no zone ids).",
                            prop(ChildCollection.FRONTEND_IP_CONFIGURATIONS, i, "privateIPAddress"));
                }
            }
        }

        private void listeners() {
            var c = ChildCollection.LISTENERS;
            var items = c.items(p);
            List<ListenerConflicts.Bind> binds = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                ListenerProperties l = items.get(i).properties();
                if (l == null) {
                    continue;
                }
                if (l.protocol() != null && !l.protocol().isLayer4()) {
                    add(UNSUPPORTED_LISTENER_PROTOCOL, "Listeners are Layer-4: protocol must be Tcp or Tls, not "
                            + l.protocol() + " (HTTP listeners are not supported).", prop(c, i, "protocol"));
                }
                if (l.protocol() == Protocol.Tls && l.sslCertificate() == null) {
                    add(TLS_LISTENER_REQUIRES_CERTIFICATE, "A Tls listener needs an sslCertificate.",
                            prop(c, i, "sslCertificate"));
                }
                if (l.protocol() == Protocol.Tcp && l.sslCertificate() != null) {
                    add(CERTIFICATE_NOT_ALLOWED_ON_TCP_LISTENER, "A Tcp listener does not terminate TLS; remove "
                            + "sslCertificate or use protocol Tls.", prop(c, i, "sslCertificate"));
                }
                if (l.hostNames() != null && !l.hostNames().isEmpty() && l.protocol() != Protocol.Tls) {
                    add(HOST_NAMES_REQUIRE_TLS_LISTENER, "hostNames select a listener by TLS SNI and need protocol Tls.",
                            prop(c, i, "hostNames"));
                }
                List<String> hostNames = l.hostNames() == null ? List.of() : l.hostNames();
                java.util.Set<String> seenNames = new java.util.HashSet<>();
                for (int j = 0; j < hostNames.size(); j++) {
                    String h = hostNames.get(j);
                    if (h == null || h.length() > 253 || !HOST_NAME.matcher(h).matches()) {
                        add(INVALID_HOST_NAME, "'" + h + "' is not a host name; use names like 'db.example.com' or a "
                                + "wildcard for one label, '*.example.com'.", prop(c, i, "hostNames[" + j + "]"));
                    } else if (!seenNames.add(h.toLowerCase(Locale.ROOT))) {
                        add(INVALID_HOST_NAME, "'" + h + "' is listed twice (host names are compared "
                                + "case-insensitively).", prop(c, i, "hostNames[" + j + "]"));
                    }
                }
                resolve(l.sslCertificate(), ChildCollection.SSL_CERTIFICATES, prop(c, i, "sslCertificate"));
                var ip = resolve(l.frontendIPConfiguration(), ChildCollection.FRONTEND_IP_CONFIGURATIONS,
                        prop(c, i, "frontendIPConfiguration"));
                var port = resolve(l.frontendPort(), ChildCollection.FRONTEND_PORTS, prop(c, i, "frontendPort"));
                InetAddress address = ip.map(r -> r.properties() == null ? null
                        : IpAddresses.parse(r.properties().privateIPAddress())).orElse(null);
                Integer number = port.map(r -> r.properties() == null ? null : r.properties().port()).orElse(null);
                if (address != null && number != null) {
                    binds.add(new ListenerConflicts.Bind(i, address, number, l));
                    // A port outside 1-65535 is reported by the range check of its frontendPort already.
                    String refusal = number < 1 || number > 65535 ? null : policy.refusal(address, number);
                    if (refusal != null) {
                        add(LISTENER_NOT_ALLOWED, "Listener '" + items.get(i).name() + "' may not bind "
                                + (address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress()) + ":" + number + ": " + refusal + ".", prop(c, i, "frontendPort"));
                    }
                }
            }
            out.addAll(ListenerConflicts.find(binds));
        }

        private void pools() {
            var c = ChildCollection.BACKEND_ADDRESS_POOLS;
            var items = c.items(p);
            for (int i = 0; i < items.size(); i++) {
                var props = items.get(i).properties();
                var addresses = props == null || props.backendAddresses() == null ? List.<BackendAddressPoolProperties.BackendAddress>of()
                        : props.backendAddresses();
                for (int j = 0; j < addresses.size(); j++) {
                    var a = addresses.get(j);
                    String path = prop(c, i, "backendAddresses[" + j + "]");
                    if (a == null || (a.ipAddress() == null) == (a.fqdn() == null)) {
                        add(INVALID_BACKEND_ADDRESS, "A backend address has exactly one of 'ipAddress' and 'fqdn'.", path);
                    } else if (a.ipAddress() != null && IpAddresses.parse(a.ipAddress()) == null) {
                        add(INVALID_IP_ADDRESS, "'" + a.ipAddress() + "' is not an IPv4 or IPv6 address literal.",
                                path + ".ipAddress");
                    } else if (a.fqdn() != null && !IpAddresses.isFqdn(a.fqdn())) {
                        add(INVALID_BACKEND_ADDRESS, "'" + a.fqdn() + "' is not a valid host name.", path + ".fqdn");
                    }
                }
            }
        }

        private void backendSettings() {
            var c = ChildCollection.BACKEND_SETTINGS;
            var items = c.items(p);
            for (int i = 0; i < items.size(); i++) {
                BackendSettingsProperties s = items.get(i).properties();
                if (s == null) {
                    continue;
                }
                boolean l4 = s.protocol() != null && s.protocol().isLayer4();
                if (s.l4ClientIpPreservationEnabled() && s.protocol() != null && !l4) {
                    add(CLIENT_IP_PRESERVATION_REQUIRES_TCP_OR_TLS, "enableL4ClientIpPreservation sends a PROXY protocol "
                            + "header and needs protocol Tcp or Tls, not " + s.protocol() + ".",
                            prop(c, i, "enableL4ClientIpPreservation"));
                }
                if (s.protocol() != Protocol.Tls && s.protocol() != null) {
                    if (s.hostName() != null) {
                        add(HOST_NAME_REQUIRES_TLS, "hostName is the SNI sent to Tls backends and needs protocol Tls.",
                                prop(c, i, "hostName"));
                    }
                    if (Boolean.TRUE.equals(s.pickHostNameFromBackendAddress())) {
                        add(HOST_NAME_REQUIRES_TLS, "pickHostNameFromBackendAddress sets the SNI sent to Tls backends "
                                + "and needs protocol Tls.", prop(c, i, "pickHostNameFromBackendAddress"));
                    }
                    if (s.trustedRootCertificates() != null && !s.trustedRootCertificates().isEmpty()) {
                        add(TRUSTED_ROOTS_REQUIRE_TLS, "trustedRootCertificates verify Tls backends and need protocol Tls.",
                                prop(c, i, "trustedRootCertificates"));
                    }
                }
                if (s.hostName() != null && Boolean.TRUE.equals(s.pickHostNameFromBackendAddress())) {
                    add(INVALID_PROPERTY_VALUE, "Set either hostName or pickHostNameFromBackendAddress, not both.",
                            prop(c, i, "hostName"));
                }
                var roots = s.trustedRootCertificates() == null ? List.<Reference>of() : s.trustedRootCertificates();
                for (int j = 0; j < roots.size(); j++) {
                    resolve(roots.get(j), ChildCollection.TRUSTED_ROOT_CERTIFICATES, prop(c, i, "trustedRootCertificates[" + j + "]"));
                }
                var probe = resolve(s.probe(), ChildCollection.PROBES, prop(c, i, "probe"));
                Protocol probeProtocol = probe.map(r -> r.properties() == null ? null : r.properties().protocol()).orElse(null);
                if (l4 && probeProtocol != null && probeProtocol != s.protocol()) {
                    add(INCOMPATIBLE_PROBE_PROTOCOL, "Backend settings with protocol " + s.protocol() + " need a "
                            + s.protocol() + " probe; '" + probe.get().name() + "' is " + probeProtocol + ".",
                            prop(c, i, "probe"));
                }
            }
        }

        private void probes() {
            var c = ChildCollection.PROBES;
            var items = c.items(p);
            for (int i = 0; i < items.size(); i++) {
                ProbeProperties probe = items.get(i).properties();
                if (probe == null || probe.protocol() == null) {
                    continue;
                }
                boolean l4 = probe.protocol().isLayer4();
                if (probe.probeProxyProtocolHeaderEnabled() && !l4) {
                    add(PROBE_PROXY_HEADER_REQUIRES_TCP_OR_TLS, "enableProbeProxyProtocolHeader needs protocol Tcp or "
                            + "Tls, not " + probe.protocol() + ".", prop(c, i, "enableProbeProxyProtocolHeader"));
                }
                if (l4 && probe.path() != null) {
                    add(PROBE_PATH_NOT_ALLOWED, "A " + probe.protocol() + " probe has no path; remove it.",
                            prop(c, i, "path"));
                }
                if (l4 && probe.match() != null) {
                    add(PROBE_MATCH_NOT_ALLOWED, "A " + probe.protocol() + " probe has no match; remove it.",
                            prop(c, i, "match"));
                }
            }
        }

        private void routingRules() {
            var c = ChildCollection.ROUTING_RULES;
            var items = c.items(p);
            Map<Integer, Integer> priorities = new HashMap<>();
            Map<String, Integer> listenerUse = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                RoutingRuleProperties r = items.get(i).properties();
                if (r == null) {
                    continue;
                }
                if (r.ruleType() != null && !r.ruleType().equalsIgnoreCase("Basic")) {
                    add(UNSUPPORTED_RULE_TYPE, "Layer-4 routing rules have ruleType Basic, not '" + r.ruleType() + "'.",
                            prop(c, i, "ruleType"));
                }
                if (r.priority() != null) {
                    Integer first = priorities.putIfAbsent(r.priority(), i);
                    if (first != null) {
                        add(DUPLICATE_PRIORITY, "The priority " + r.priority() + " is already used by " + at(c, first)
                                + "; priorities are unique.", prop(c, i, "priority"));
                    }
                }
                int index = i;
                resolve(r.listener(), ChildCollection.LISTENERS, prop(c, i, "listener")).ifPresent(l -> {
                    Integer first = listenerUse.putIfAbsent(l.name().toLowerCase(Locale.ROOT), index);
                    if (first != null) {
                        add(LISTENER_USED_BY_MULTIPLE_RULES, "The listener '" + l.name() + "' is already used by "
                                + at(c, first) + "; a listener belongs to at most one routing rule.",
                                prop(c, index, "listener"));
                    }
                });
                resolve(r.backendAddressPool(), ChildCollection.BACKEND_ADDRESS_POOLS, prop(c, i, "backendAddressPool"));
                var settings = resolve(r.backendSettings(), ChildCollection.BACKEND_SETTINGS, prop(c, i, "backendSettings"));
                settings.map(ChildResource::properties).map(BackendSettingsProperties::protocol)
                        .filter(protocol -> !protocol.isLayer4())
                        .ifPresent(protocol -> add(RULE_REQUIRES_TCP_OR_TLS_SETTINGS, "A Layer-4 routing rule needs "
                                + "backend settings with protocol Tcp or Tls; '" + settings.get().name() + "' is "
                                + protocol + ".", prop(c, index, "backendSettings")));
            }
        }

    }
}
