package dev.gatehouse.security;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Secure by default: without API keys or JWT configured, the API listens on 127.0.0.1 only and says so;
 * asked to listen elsewhere without authentication, Gatehouse refuses to start.
 */
@Component
class ApiBindPolicy implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(ApiBindPolicy.class);

    private final SecuritySettings settings;
    private final InetAddress configured;

    ApiBindPolicy(SecuritySettings settings, @Value("${server.address:#{null}}") InetAddress configured) {
        this.settings = settings;
        this.configured = configured;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        if (settings.authenticationEnabled()) {
            return;
        }
        if (configured == null) {
            factory.setAddress(InetAddress.getLoopbackAddress());
            log.warn(
                    "No API credentials are configured (gatehouse.security.api-keys or gatehouse.security.jwt): "
                            + "the API listens on {} only. Configure credentials to serve it on other addresses.",
                    InetAddress.getLoopbackAddress().getHostAddress());
        } else if (!configured.isLoopbackAddress()) {
            throw new IllegalStateException("Refusing to serve the API on " + configured.getHostAddress()
                    + " without authentication: anyone who reaches it could open ports on this host. Configure "
                    + "gatehouse.security.api-keys (gatehouse keygen makes one) or gatehouse.security.jwt, or bind "
                    + "a loopback address.");
        }
    }
}
