package dev.gatehouse.gateway.model;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One of the gateway's child collections: its URL and JSON name, its ARM type, and how to read it
 * from the properties. One generic description serves ids, references, etags and child endpoints.
 */
public final class ChildCollection<P> {

    public static final ChildCollection<FrontendIpConfigurationProperties> FRONTEND_IP_CONFIGURATIONS =
            new ChildCollection<>("frontendIPConfigurations", ApplicationGatewayProperties::frontendIPConfigurations);
    public static final ChildCollection<FrontendPortProperties> FRONTEND_PORTS =
            new ChildCollection<>("frontendPorts", ApplicationGatewayProperties::frontendPorts);
    public static final ChildCollection<ListenerProperties> LISTENERS =
            new ChildCollection<>("listeners", ApplicationGatewayProperties::listeners);
    public static final ChildCollection<BackendAddressPoolProperties> BACKEND_ADDRESS_POOLS =
            new ChildCollection<>("backendAddressPools", ApplicationGatewayProperties::backendAddressPools);
    public static final ChildCollection<BackendSettingsProperties> BACKEND_SETTINGS =
            new ChildCollection<>("backendSettingsCollection", ApplicationGatewayProperties::backendSettingsCollection);
    public static final ChildCollection<ProbeProperties> PROBES =
            new ChildCollection<>("probes", ApplicationGatewayProperties::probes);
    public static final ChildCollection<RoutingRuleProperties> ROUTING_RULES =
            new ChildCollection<>("routingRules", ApplicationGatewayProperties::routingRules);
    public static final ChildCollection<SslCertificateProperties> SSL_CERTIFICATES =
            new ChildCollection<>("sslCertificates", ApplicationGatewayProperties::sslCertificates);
    public static final ChildCollection<TrustedRootCertificateProperties> TRUSTED_ROOT_CERTIFICATES =
            new ChildCollection<>("trustedRootCertificates", ApplicationGatewayProperties::trustedRootCertificates);

    public static final ChildCollection<SslProfileProperties> SSL_PROFILES =
            new ChildCollection<>("sslProfiles", ApplicationGatewayProperties::sslProfiles);
    public static final ChildCollection<TrustedClientCertificateProperties> TRUSTED_CLIENT_CERTIFICATES =
            new ChildCollection<>("trustedClientCertificates", ApplicationGatewayProperties::trustedClientCertificates);

    /** Every collection; the first nine also have their own endpoints. */
    public static final List<ChildCollection<?>> ALL = List.of(
            FRONTEND_IP_CONFIGURATIONS,
            FRONTEND_PORTS,
            LISTENERS,
            BACKEND_ADDRESS_POOLS,
            BACKEND_SETTINGS,
            PROBES,
            ROUTING_RULES,
            SSL_CERTIFICATES,
            TRUSTED_ROOT_CERTIFICATES,
            SSL_PROFILES,
            TRUSTED_CLIENT_CERTIFICATES);

    private final String segment;
    private final Function<ApplicationGatewayProperties, List<ChildResource<P>>> getter;

    private ChildCollection(String segment, Function<ApplicationGatewayProperties, List<ChildResource<P>>> getter) {
        this.segment = segment;
        this.getter = getter;
    }

    /** The name used in URLs, ids and JSON, for example {@code backendSettingsCollection}. */
    public String segment() {
        return segment;
    }

    public String type() {
        return GatewayKey.TYPE + "/" + segment;
    }

    /** The collection's items; never {@code null}. */
    public List<ChildResource<P>> items(ApplicationGatewayProperties properties) {
        List<ChildResource<P>> items = properties == null ? null : getter.apply(properties);
        return items == null ? List.of() : items;
    }

    public Optional<ChildResource<P>> find(ApplicationGatewayProperties properties, String name) {
        return items(properties).stream()
                .filter(c -> c.name() != null && c.name().equalsIgnoreCase(name))
                .findFirst();
    }

    @Override
    public String toString() {
        return segment;
    }
}
