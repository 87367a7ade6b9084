package dev.gatehouse.gateway.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a frontend written the Azure way binds when it names no {@code privateIPAddress}: one with a
 * {@code publicIPAddress} binds {@code gatehouse.frontend.public-address} (default {@code 0.0.0.0}, every address
 * of the host), one with {@code privateIPAllocationMethod: Dynamic} binds
 * {@code gatehouse.frontend.default-private-address} (default {@code 127.0.0.1}). The address is written into the
 * document as its {@code privateIPAddress}, as Azure writes a dynamically allocated one, so that status shows
 * the address actually bound and it stays put when the configuration changes later.
 *
 * @param publicAddress         The address a frontend with a publicIPAddress binds (0.0.0.0: every IPv4 address of
 *                              the host).
 * @param defaultPrivateAddress The address a frontend with privateIPAllocationMethod Dynamic and no
 *                              privateIPAddress binds.
 */
@ConfigurationProperties("gatehouse.frontend")
public record FrontendAddresses(
        @DefaultValue("0.0.0.0") String publicAddress,
        @DefaultValue("127.0.0.1") String defaultPrivateAddress) {

    static final FrontendAddresses DEFAULTS = new FrontendAddresses("0.0.0.0", "127.0.0.1");

    /** Fills in the address of every frontend of a gateway document (child false) or of one frontend (child true). */
    void resolve(ObjectNode body, boolean child) {
        if (child) {
            resolveOne(body);
            return;
        }
        for (JsonNode frontend : body.path("properties").path("frontendIPConfigurations")) {
            resolveOne(frontend);
        }
    }

    private void resolveOne(JsonNode frontend) {
        if (!(frontend.path("properties") instanceof ObjectNode properties)
                || !properties.path("privateIPAddress").asString("").isBlank()) {
            return;
        }
        if (properties.path("publicIPAddress").isObject()) {
            properties.put("privateIPAddress", publicAddress);
        } else if ("Dynamic"
                .equalsIgnoreCase(properties.path("privateIPAllocationMethod").asString(""))) {
            properties.put("privateIPAddress", defaultPrivateAddress);
        }
    }
}
