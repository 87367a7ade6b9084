package dev.gatehouse.gateway.web;

/** The ARM paths of the API, in one place. */
final class ApiPaths {

    static final String SUBSCRIPTION = "/subscriptions/{subscriptionId}";
    static final String RESOURCE_GROUP = SUBSCRIPTION + "/resourceGroups/{resourceGroupName}";
    static final String PROVIDER = "/providers/Microsoft.Network/applicationGateways";
    static final String GATEWAY = RESOURCE_GROUP + PROVIDER + "/{applicationGatewayName}";

    private ApiPaths() {}
}
