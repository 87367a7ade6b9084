package dev.gatehouse.gateway;

import dev.gatehouse.arm.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Typed endpoints for the child collections that are addressable on their own. Each endpoint states
 * its collection and body type (so the OpenAPI document is exact); {@link ChildWrites} does the work.
 */
@RestController
@RequestMapping(ApiPaths.GATEWAY)
@Tag(name = "Child resources", description = "One child of a gateway at a time, each with its own etag.")
@ApiResponse(responseCode = "400", description = "Invalid request; every violation is listed in error.details.",
        content = @Content(schema = @Schema(implementation = ApiError.Envelope.class)))
@ApiResponse(responseCode = "404", description = "No such gateway (ParentResourceNotFound) or child (ResourceNotFound).",
        content = @Content(schema = @Schema(implementation = ApiError.Envelope.class)))
@ApiResponse(responseCode = "412", description = "If-Match or If-None-Match failed (PreconditionFailed).",
        content = @Content(schema = @Schema(implementation = ApiError.Envelope.class)))
class ChildResourceController {

    private static final String SETTINGS = "/backendSettingsCollection";
    private static final String PROBES = "/probes";

    private final ChildWrites children;

    ChildResourceController(ChildWrites children) {
        this.children = children;
    }

    private static GatewayKey key(String s, String rg, String gw) {
        return ApplicationGatewayController.key(s, rg, gw);
    }

    @PutMapping(SETTINGS + "/{name}")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @Operation(summary = "Create or replace backend settings", description = "Validated against the whole gateway and "
            + "applied like a gateway write. 201 when created, 200 when replaced.")
    ResponseEntity<ChildResource<BackendSettingsProperties>> putBackendSettings(@PathVariable String subscriptionId,
            @PathVariable String resourceGroupName, @PathVariable String applicationGatewayName, @PathVariable String name,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestBody ChildResource<BackendSettingsProperties> body) {
        return children.put(ChildCollection.BACKEND_SETTINGS, key(subscriptionId, resourceGroupName,
                applicationGatewayName), name, body, ifMatch, ifNoneMatch);
    }

    @GetMapping(SETTINGS + "/{name}")
    @ApiResponse(responseCode = "200", description = "The child resource")
    @Operation(summary = "Get backend settings")
    ResponseEntity<ChildResource<BackendSettingsProperties>> getBackendSettings(@PathVariable String subscriptionId,
            @PathVariable String resourceGroupName, @PathVariable String applicationGatewayName, @PathVariable String name,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion) {
        return children.get(ChildCollection.BACKEND_SETTINGS, key(subscriptionId, resourceGroupName,
                applicationGatewayName), name);
    }

    @DeleteMapping(SETTINGS + "/{name}")
    @ApiResponse(responseCode = "200", description = "Deleted")
    @ApiResponse(responseCode = "204", description = "There was none")
    @Operation(summary = "Delete backend settings", description = "200 when deleted, 204 when there was none. "
            + "Refused with 400 while a routing rule still references it; the details name the referrers.")
    ResponseEntity<Void> deleteBackendSettings(@PathVariable String subscriptionId,
            @PathVariable String resourceGroupName, @PathVariable String applicationGatewayName, @PathVariable String name,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return children.delete(ChildCollection.BACKEND_SETTINGS, key(subscriptionId, resourceGroupName,
                applicationGatewayName), name, ifMatch);
    }

    @GetMapping(SETTINGS)
    @ApiResponse(responseCode = "200", description = "The collection, in ARM's list envelope")
    @Operation(summary = "List backend settings")
    ApplicationGatewayController.Page<ChildResource<BackendSettingsProperties>> listBackendSettings(
            @PathVariable String subscriptionId, @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion) {
        return children.list(ChildCollection.BACKEND_SETTINGS, key(subscriptionId, resourceGroupName,
                applicationGatewayName));
    }

    @PutMapping(PROBES + "/{name}")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @Operation(summary = "Create or replace a probe", description = "Validated against the whole gateway and applied "
            + "like a gateway write. 201 when created, 200 when replaced.")
    ResponseEntity<ChildResource<ProbeProperties>> putProbe(@PathVariable String subscriptionId,
            @PathVariable String resourceGroupName, @PathVariable String applicationGatewayName, @PathVariable String name,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestBody ChildResource<ProbeProperties> body) {
        return children.put(ChildCollection.PROBES, key(subscriptionId, resourceGroupName, applicationGatewayName),
                name, body, ifMatch, ifNoneMatch);
    }

    @GetMapping(PROBES + "/{name}")
    @ApiResponse(responseCode = "200", description = "The child resource")
    @Operation(summary = "Get a probe")
    ResponseEntity<ChildResource<ProbeProperties>> getProbe(@PathVariable String subscriptionId,
            @PathVariable String resourceGroupName, @PathVariable String applicationGatewayName, @PathVariable String name,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion) {
        return children.get(ChildCollection.PROBES, key(subscriptionId, resourceGroupName, applicationGatewayName), name);
    }

    @DeleteMapping(PROBES + "/{name}")
    @ApiResponse(responseCode = "200", description = "Deleted")
    @ApiResponse(responseCode = "204", description = "There was none")
    @Operation(summary = "Delete a probe", description = "200 when deleted, 204 when there was none. Refused with 400 "
            + "while backend settings still reference it; the details name the referrers.")
    ResponseEntity<Void> deleteProbe(@PathVariable String subscriptionId, @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName, @PathVariable String name,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return children.delete(ChildCollection.PROBES, key(subscriptionId, resourceGroupName, applicationGatewayName),
                name, ifMatch);
    }

    @GetMapping(PROBES)
    @ApiResponse(responseCode = "200", description = "The collection, in ARM's list envelope")
    @Operation(summary = "List probes")
    ApplicationGatewayController.Page<ChildResource<ProbeProperties>> listProbes(@PathVariable String subscriptionId,
            @PathVariable String resourceGroupName, @PathVariable String applicationGatewayName,
            @Parameter(example = "2025-03-01") @RequestParam("api-version") String apiVersion) {
        return children.list(ChildCollection.PROBES, key(subscriptionId, resourceGroupName, applicationGatewayName));
    }
}
