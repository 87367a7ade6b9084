package dev.gatehouse.reconcile;

import dev.gatehouse.dataplane.BackendTls;
import dev.gatehouse.dataplane.ClientAccess;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.dataplane.InboundProxy;
import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.dataplane.ProbeSpec;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.ServerTls;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.BackendAddressPoolProperties;
import dev.gatehouse.gateway.model.BackendSettingsProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.gateway.model.ProbeProperties;
import dev.gatehouse.gateway.model.Protocol;
import dev.gatehouse.gateway.model.Reference;
import dev.gatehouse.gateway.model.RoutingRuleProperties;
import dev.gatehouse.gateway.model.SslPolicy;
import dev.gatehouse.gateway.model.SslProfileProperties;
import dev.gatehouse.gateway.rules.Certificates;
import dev.gatehouse.gateway.rules.IpAddresses;
import dev.gatehouse.gateway.rules.SslPolicies;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The pure function from a stored (validated) ApplicationGateway to the data plane's snapshot: no I/O,
 * no clock, no Spring. Each routing rule yields one listener with its route; a listener that no rule
 * uses has nothing to route to and is not bound. Defaults that the document leaves open are decided here.
 */
public final class SnapshotTranslator {

    /** Idle timeout when backend settings give no {@code timeout}; Azure's default for backend settings. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(20);

    private SnapshotTranslator() {}

    /**
     * What the document leaves open: probe interval, timeout and threshold (Azure's 30 s, 30 s, 3) and the
     * drain timeout of connections whose listener or server goes away (Azure's fixed 30 s), unless configured.
     */
    public record ProbeDefaults(Duration interval, Duration timeout, int unhealthyThreshold, Duration drainTimeout) {

        public static final ProbeDefaults AZURE =
                new ProbeDefaults(Duration.ofSeconds(30), Duration.ofSeconds(30), 3, Duration.ofSeconds(30));

        /** The defaults as configured: {@code gatehouse.probe.*} and the data plane's drain timeout. */
        public static ProbeDefaults of(ProbeSettings probes, DataPlaneSettings dataPlane) {
            return new ProbeDefaults(
                    probes.defaultInterval(),
                    probes.defaultTimeout(),
                    probes.defaultUnhealthyThreshold(),
                    dataPlane.shutdownDrainTimeout());
        }
    }

    public static GatewaySnapshot translate(String gatewayKey, ApplicationGateway gateway) {
        return translate(gatewayKey, gateway, ProbeDefaults.AZURE);
    }

    public static GatewaySnapshot translate(String gatewayKey, ApplicationGateway gateway, ProbeDefaults defaults) {
        ApplicationGatewayProperties p = gateway.properties();
        List<ChildResource<RoutingRuleProperties>> rules = new ArrayList<>(ChildCollection.ROUTING_RULES.items(p));
        rules.sort(Comparator.comparing(
                (ChildResource<RoutingRuleProperties> r) -> r.properties().priority()));
        List<ListenerSpec> listeners = new ArrayList<>();
        for (ChildResource<RoutingRuleProperties> rule : rules) {
            RoutingRuleProperties r = rule.properties();
            ChildResource<ListenerProperties> listener = find(ChildCollection.LISTENERS, p, r.listener());
            ListenerProperties l = listener.properties();
            String address = canonical(find(ChildCollection.FRONTEND_IP_CONFIGURATIONS, p, l.frontendIPConfiguration())
                    .properties()
                    .privateIPAddress());
            int port = find(ChildCollection.FRONTEND_PORTS, p, l.frontendPort())
                    .properties()
                    .port();
            ServerTls tls = null;
            if (l.protocol() == Protocol.Tls) {
                var cert = find(ChildCollection.SSL_CERTIFICATES, p, l.sslCertificate());
                SslProfileProperties profile = l.sslProfile() == null
                        ? null
                        : find(ChildCollection.SSL_PROFILES, p, l.sslProfile()).properties();
                tls = new ServerTls(
                        cert.name(),
                        cert.properties().data(),
                        cert.properties().password(),
                        policy(profile != null && profile.sslPolicy() != null ? profile.sslPolicy() : p.sslPolicy()),
                        clientAuth(p, profile));
            }
            listeners.add(new ListenerSpec(
                    listener.name(),
                    address,
                    port,
                    tls,
                    l.hostNames(),
                    route(
                            p,
                            find(ChildCollection.BACKEND_ADDRESS_POOLS, p, r.backendAddressPool()),
                            find(ChildCollection.BACKEND_SETTINGS, p, r.backendSettings()),
                            defaults),
                    inboundProxy(l.gatehouseProxyProtocol()),
                    clientAccess(l.gatehouseClientAccess())));
        }
        return new GatewaySnapshot(gatewayKey, listeners);
    }

    private static InboundProxy inboundProxy(ListenerProperties.GatehouseProxyProtocol proxy) {
        if (proxy == null) {
            return null;
        }
        return InboundProxy.of(proxy.trustedSources(), Duration.ofSeconds(proxy.headerTimeoutSeconds()));
    }

    private static ClientAccess clientAccess(ListenerProperties.GatehouseClientAccess access) {
        if (access == null) {
            return null;
        }
        return ClientAccess.of(access.allow(), access.deny());
    }

    private static Route route(
            ApplicationGatewayProperties p,
            ChildResource<BackendAddressPoolProperties> poolChild,
            ChildResource<BackendSettingsProperties> settingsChild,
            ProbeDefaults defaults) {
        BackendAddressPoolProperties pool = poolChild.properties();
        BackendSettingsProperties settings = settingsChild.properties();
        List<Route.Endpoint> servers = new ArrayList<>();
        if (pool.backendAddresses() != null) {
            for (var address : pool.backendAddresses()) {
                String host = address.ipAddress() != null ? address.ipAddress() : address.fqdn();
                servers.add(new Route.Endpoint(host, settings.port()));
            }
        }
        Duration idle = settings.timeout() == null ? DEFAULT_IDLE_TIMEOUT : Duration.ofSeconds(settings.timeout());
        return new Route(
                poolChild.name(),
                settingsChild.name(),
                servers,
                settings.protocol() == Protocol.Tls ? backendTls(p, settings) : null,
                ProxyProtocols.route(settings),
                idle,
                probe(p, settings, defaults),
                drainTimeout(settings, defaults));
    }

    private static Duration drainTimeout(BackendSettingsProperties settings, ProbeDefaults defaults) {
        var draining = settings.connectionDraining();
        if (draining == null) {
            return defaults.drainTimeout();
        }
        if (!draining.enabled()) {
            return Duration.ZERO;
        }
        return draining.drainTimeoutInSec() == null
                ? defaults.drainTimeout()
                : Duration.ofSeconds(draining.drainTimeoutInSec());
    }

    /**
     * The settings' custom probe, or the default probe (the settings' protocol and port). Azure's rule for
     * the PROXY header: the default probe sends it when the settings preserve the client IP; a custom
     * probe only when its own enableProbeProxyProtocolHeader says so ({@link ProxyProtocols} for the versions).
     */
    private static ProbeSpec probe(
            ApplicationGatewayProperties p, BackendSettingsProperties settings, ProbeDefaults defaults) {
        if (settings.probe() == null) {
            return new ProbeSpec(
                    "default",
                    settings.protocol() == Protocol.Tls,
                    null,
                    null,
                    defaults.interval(),
                    defaults.timeout(),
                    defaults.unhealthyThreshold(),
                    ProxyProtocols.defaultProbe(settings));
        }
        ChildResource<ProbeProperties> child = find(ChildCollection.PROBES, p, settings.probe());
        ProbeProperties probe = child.properties();
        String host = probe.hostFromBackendSettings() ? null : probe.host();
        return new ProbeSpec(
                child.name(),
                probe.protocol() == Protocol.Tls,
                probe.port(),
                host,
                probe.interval() == null ? defaults.interval() : Duration.ofSeconds(probe.interval()),
                probe.timeout() == null ? defaults.timeout() : Duration.ofSeconds(probe.timeout()),
                probe.unhealthyThreshold() == null ? defaults.unhealthyThreshold() : probe.unhealthyThreshold(),
                ProxyProtocols.customProbe(probe));
    }

    private static BackendTls backendTls(ApplicationGatewayProperties p, BackendSettingsProperties settings) {
        List<String> roots = new ArrayList<>();
        for (Reference ref : settings.trustedRootCertificates() == null
                ? List.<Reference>of()
                : settings.trustedRootCertificates()) {
            String data = find(ChildCollection.TRUSTED_ROOT_CERTIFICATES, p, ref)
                    .properties()
                    .data();
            try {
                roots.add(Base64.getEncoder()
                        .encodeToString(Certificates.readCertificate(data).getEncoded()));
            } catch (Certificates.Unusable | CertificateEncodingException e) {
                throw new IllegalArgumentException(
                        "trusted root " + ref.id() + " is unreadable: the document was not " + "validated", e);
            }
        }
        return new BackendTls(settings.hostName(), settings.hostNameFromBackendAddress(), roots);
    }

    /** The listener's TLS policy in JSSE's names, or {@code null} for the data plane's own. */
    private static ServerTls.Policy policy(SslPolicy policy) {
        SslPolicies.Enabled enabled = SslPolicies.enabled(policy);
        return enabled == null ? null : new ServerTls.Policy(enabled.protocols(), enabled.cipherSuites());
    }

    /**
     * The client certificates an SSL profile requires, or {@code null}. With verifyClientCertIssuerDN, the
     * client certificate's issuer must be, in some trusted entry, the certificate closest to clients: the one
     * that issued no other certificate of its entry (the entry's CA itself when it holds one certificate).
     */
    private static ServerTls.ClientAuth clientAuth(ApplicationGatewayProperties p, SslProfileProperties profile) {
        if (profile == null || !profile.authenticatesClients()) {
            return null;
        }
        List<String> trusted = new ArrayList<>();
        List<String> issuers = new ArrayList<>();
        for (Reference ref : profile.trustedClientCertificates()) {
            String data = find(ChildCollection.TRUSTED_CLIENT_CERTIFICATES, p, ref)
                    .properties()
                    .data();
            try {
                List<X509Certificate> chain = Certificates.readCertificates(data);
                for (X509Certificate cert : chain) {
                    trusted.add(Base64.getEncoder().encodeToString(cert.getEncoded()));
                    boolean issuedAnother = chain.stream()
                            .anyMatch(other -> other != cert
                                    && other.getIssuerX500Principal().equals(cert.getSubjectX500Principal()));
                    if (profile.verifiesIssuerDn() && !issuedAnother) {
                        issuers.add(cert.getSubjectX500Principal().getName());
                    }
                }
            } catch (Certificates.Unusable | CertificateEncodingException e) {
                throw new IllegalArgumentException(
                        "trusted client certificate " + ref.id() + " is unreadable: the document was not validated", e);
            }
        }
        return new ServerTls.ClientAuth(trusted, issuers);
    }

    /** One spelling per address: the data plane keys sockets by address text ('::1' = '0:0:0:0:0:0:0:1'). */
    private static String canonical(String address) {
        String canonical = IpAddresses.canonical(address);
        if (canonical == null) {
            throw new IllegalArgumentException("not an IP literal: " + address + "; the document was not validated");
        }
        return canonical;
    }

    private static <P> ChildResource<P> find(ChildCollection<P> c, ApplicationGatewayProperties p, Reference ref) {
        return c.find(p, ref.targetName())
                .orElseThrow(() -> new IllegalArgumentException(
                        "unresolved reference " + ref.id() + ": the document was not validated"));
    }
}
