package dev.gatehouse.gateway.model;

import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ResourceNames;
import java.util.Locale;

/**
 * Identifies one ApplicationGateway. ARM ids are case-insensitive: {@link #value()} is the normalized
 * form used as the storage and reconcile key, {@link #id()} keeps the casing the caller used.
 */
public record GatewayKey(String subscriptionId, String resourceGroup, String name) {

    public static final String TYPE = "Microsoft.Network/applicationGateways";

    /** The key named by a request path, after ARM's checks of each part (400 with the part's name if one fails). */
    public static GatewayKey of(String subscriptionId, String resourceGroup, String name) {
        ResourceNames.checkSubscriptionId(subscriptionId);
        ResourceNames.checkResourceGroup(resourceGroup);
        ResourceNames.checkName(name, "applicationGatewayName");
        return new GatewayKey(subscriptionId, resourceGroup, name);
    }

    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/" + TYPE + "/"
                + name;
    }

    /** "The ApplicationGateway 'x' was not found in resource group 'y'." */
    public String notFoundMessage() {
        return "The ApplicationGateway '" + name + "' was not found in resource group '" + resourceGroup + "'.";
    }

    /** 404 ResourceNotFound for this gateway. */
    public ArmException notFound() {
        return ArmException.notFound(notFoundMessage());
    }

    public String value() {
        return id().toLowerCase(Locale.ROOT);
    }

    public String childId(String collection, String childName) {
        return id() + "/" + collection + "/" + childName;
    }
}
