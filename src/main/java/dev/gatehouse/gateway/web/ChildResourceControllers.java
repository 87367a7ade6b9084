package dev.gatehouse.gateway.web;

import dev.gatehouse.gateway.model.BackendAddressPoolProperties;
import dev.gatehouse.gateway.model.BackendSettingsProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.FrontendIpConfigurationProperties;
import dev.gatehouse.gateway.model.FrontendPortProperties;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.gateway.model.ProbeProperties;
import dev.gatehouse.gateway.model.RoutingRuleProperties;
import dev.gatehouse.gateway.model.SslCertificateProperties;
import dev.gatehouse.gateway.model.TrustedRootCertificateProperties;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Every child collection of a gateway, addressable on its own: one line of routing each. */
final class ChildResourceControllers {

    private ChildResourceControllers() {}

    private static final String BASE = ApiPaths.GATEWAY + "/";

    @RestController
    @RequestMapping(BASE + "frontendIPConfigurations")
    @Tag(name = "frontendIPConfigurations")
    static class FrontendIpConfigurations extends ChildEndpoints<FrontendIpConfigurationProperties> {
        FrontendIpConfigurations(ChildWrites w) {
            super(w, ChildCollection.FRONTEND_IP_CONFIGURATIONS);
        }
    }

    @RestController
    @RequestMapping(BASE + "frontendPorts")
    @Tag(name = "frontendPorts")
    static class FrontendPorts extends ChildEndpoints<FrontendPortProperties> {
        FrontendPorts(ChildWrites w) {
            super(w, ChildCollection.FRONTEND_PORTS);
        }
    }

    @RestController
    @RequestMapping(BASE + "listeners")
    @Tag(name = "listeners")
    static class Listeners extends ChildEndpoints<ListenerProperties> {
        Listeners(ChildWrites w) {
            super(w, ChildCollection.LISTENERS);
        }
    }

    @RestController
    @RequestMapping(BASE + "backendAddressPools")
    @Tag(name = "backendAddressPools")
    static class BackendAddressPools extends ChildEndpoints<BackendAddressPoolProperties> {
        BackendAddressPools(ChildWrites w) {
            super(w, ChildCollection.BACKEND_ADDRESS_POOLS);
        }
    }

    @RestController
    @RequestMapping(BASE + "backendSettingsCollection")
    @Tag(name = "backendSettingsCollection")
    static class BackendSettings extends ChildEndpoints<BackendSettingsProperties> {
        BackendSettings(ChildWrites w) {
            super(w, ChildCollection.BACKEND_SETTINGS);
        }
    }

    @RestController
    @RequestMapping(BASE + "probes")
    @Tag(name = "probes")
    static class Probes extends ChildEndpoints<ProbeProperties> {
        Probes(ChildWrites w) {
            super(w, ChildCollection.PROBES);
        }
    }

    @RestController
    @RequestMapping(BASE + "routingRules")
    @Tag(name = "routingRules")
    static class RoutingRules extends ChildEndpoints<RoutingRuleProperties> {
        RoutingRules(ChildWrites w) {
            super(w, ChildCollection.ROUTING_RULES);
        }
    }

    @RestController
    @RequestMapping(BASE + "sslCertificates")
    @Tag(name = "sslCertificates")
    static class SslCertificates extends ChildEndpoints<SslCertificateProperties> {
        SslCertificates(ChildWrites w) {
            super(w, ChildCollection.SSL_CERTIFICATES);
        }
    }

    @RestController
    @RequestMapping(BASE + "trustedRootCertificates")
    @Tag(name = "trustedRootCertificates")
    static class TrustedRootCertificates extends ChildEndpoints<TrustedRootCertificateProperties> {
        TrustedRootCertificates(ChildWrites w) {
            super(w, ChildCollection.TRUSTED_ROOT_CERTIFICATES);
        }
    }
}
