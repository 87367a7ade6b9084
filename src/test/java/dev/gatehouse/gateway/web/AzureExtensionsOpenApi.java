package dev.gatehouse.gateway.web;

import dev.gatehouse.gateway.rules.schema.AzureSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Marks every property that Gatehouse adds to Azure's schema (the {@code extension} rows of
 * docs/azure-compatibility.md) with {@value #MARKER}{@code : true} in the OpenAPI document, so that a client
 * can tell them from Azure's own.
 */
@Component
class AzureExtensionsOpenApi implements OpenApiCustomizer {

    static final String MARKER = "x-gatehouse-extension";

    /** The OpenAPI schema that describes the object at each path where an extension lives. */
    private static final Map<String, String> SCHEMAS = Map.of(
            "properties", "ApplicationGatewayProperties",
            "properties.backendSettingsCollection[].properties", "BackendSettingsProperties",
            "properties.backendSettingsCollection[].properties.connectionDraining", "ConnectionDraining",
            "properties.listeners[].properties", "ListenerProperties",
            "properties.listeners[].properties.gatehouseProxyProtocol", "GatehouseListenerProxyProtocol",
            "properties.listeners[].properties.gatehouseClientAccess", "GatehouseClientAccess",
            "properties.backendSettingsCollection[].properties.gatehouseProxyProtocol", "GatehouseProxyProtocol",
            "properties.probes[].properties", "ProbeProperties");

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        for (AzureSchema.Entry entry : AzureSchema.get().entries()) {
            if (entry.propertyClass() != AzureSchema.PropertyClass.EXTENSION) {
                continue;
            }
            int dot = entry.path().lastIndexOf('.');
            String schemaName = SCHEMAS.get(entry.path().substring(0, dot));
            if (schemaName == null) {
                throw new IllegalStateException("no OpenAPI schema is known for the extension " + entry.path());
            }
            Schema<?> schema = openApi.getComponents().getSchemas().get(schemaName);
            Schema<?> property = schema == null || schema.getProperties() == null
                    ? null
                    : schema.getProperties().get(entry.path().substring(dot + 1));
            // An alias accepted on input only (enableClientIpPreservation) is no property of the document.
            if (property != null) {
                property.addExtension(MARKER, true);
            }
        }
    }
}
