package dev.gatehouse.gateway.web;

import dev.gatehouse.arm.ApiVersions;
import dev.gatehouse.arm.Etags;
import dev.gatehouse.arm.ResourceNames;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.store.GatewayStore;
import dev.gatehouse.gateway.store.StoredGateway;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "ApplicationGateways", description = "Whole gateway documents, as Azure Resource Manager serves them.")
class ApplicationGatewayController {

    private final GatewayStore store;
    private final GatewayWrites writes;

    ApplicationGatewayController(GatewayStore store, GatewayWrites writes) {
        this.store = store;
        this.writes = writes;
    }

    /** ARM's list envelope. */
    record Page<T>(
            @Schema(description = "The items; ARM's nextLink is never set: " + "lists are complete.")
            List<T> value) {}

    static GatewayKey key(String subscriptionId, String resourceGroupName, String gatewayName) {
        return GatewayKey.of(subscriptionId, resourceGroupName, gatewayName);
    }

    @PutMapping(ApiPaths.GATEWAY)
    @Operation(
            operationId = "ApplicationGateways_CreateOrUpdate",
            summary = "Create or replace a gateway",
            description = "Validates the whole document and stores it; the data plane applies it asynchronously. "
                    + "201 when created, 200 when replaced, with provisioningState Updating and an "
                    + "Azure-AsyncOperation header whose URL reports InProgress, then Succeeded once the data plane "
                    + "serves this generation (or Failed, with the error). Send Prefer: wait=N to wait up to N "
                    + "seconds for the apply before the answer.")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "412", description = "If-Match or If-None-Match failed")
    ResponseEntity<ApplicationGateway> put(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @Parameter(hidden = true) @RequestParam(ApiVersions.PARAMETER) String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestHeader(value = Prefer.HEADER, required = false) String prefer,
            @RequestBody ApplicationGateway body) {
        GatewayKey key = key(subscriptionId, resourceGroupName, applicationGatewayName);
        GatewayWrites.Outcome written = writes.write(
                key,
                current -> {
                    Etags.checkPreconditions(
                            ifMatch,
                            ifNoneMatch,
                            current == null ? null : current.etag(),
                            "the gateway '" + key.name() + "'");
                    return body;
                },
                prefer);
        return AsyncResponses.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK, written, apiVersion)
                .eTag(written.gateway().etag())
                .body(written.gateway().view());
    }

    @GetMapping(ApiPaths.GATEWAY)
    @ApiResponse(responseCode = "200", description = "The gateway")
    @Operation(
            operationId = "ApplicationGateways_Get",
            summary = "Get a gateway",
            description = "The stored document with computed ids and etags, the status "
                    + "of its last apply, and no secrets.")
    @ApiResponse(responseCode = "404", description = "No such gateway (ResourceNotFound)")
    ResponseEntity<ApplicationGateway> get(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName) {
        StoredGateway stored = find(key(subscriptionId, resourceGroupName, applicationGatewayName));
        return ResponseEntity.ok().eTag(stored.etag()).body(stored.view());
    }

    /** ARM's {@code TagsObject}: the body of UpdateTags. */
    record TagsObject(
            @Schema(description = "The gateway's tags; they replace the current ones.")
            Map<String, String> tags) {}

    @PatchMapping(ApiPaths.GATEWAY)
    @Operation(
            operationId = "ApplicationGateways_UpdateTags",
            summary = "Replace a gateway's tags",
            description = "Replaces the tags and nothing else, as Azure does, and answers 200 with the gateway. "
                    + "Tags have no effect on the data plane.")
    @ApiResponse(responseCode = "200", description = "The gateway with its new tags")
    @ApiResponse(responseCode = "404", description = "No such gateway (ResourceNotFound)")
    @ApiResponse(responseCode = "412", description = "If-Match failed (PreconditionFailed)")
    ResponseEntity<ApplicationGateway> updateTags(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody TagsObject body) {
        GatewayKey key = key(subscriptionId, resourceGroupName, applicationGatewayName);
        GatewayWrites.Outcome written = writes.write(
                key,
                current -> {
                    if (current == null) {
                        throw key.notFound();
                    }
                    Etags.checkPreconditions(ifMatch, null, current.etag(), "the gateway '" + key.name() + "'");
                    return current.spec().withTags(body.tags());
                },
                null);
        return ResponseEntity.ok()
                .eTag(written.gateway().etag())
                .body(written.gateway().view());
    }

    @DeleteMapping(ApiPaths.GATEWAY)
    @ApiResponse(responseCode = "200", description = "Deleted, and its listeners are closed")
    @ApiResponse(
            responseCode = "202",
            description = "Deleted; the Azure-AsyncOperation URL reports when its listeners " + "are closed")
    @ApiResponse(responseCode = "204", description = "There was no such gateway")
    @ApiResponse(responseCode = "412", description = "If-Match failed (PreconditionFailed)")
    @Operation(
            operationId = "ApplicationGateways_Delete",
            summary = "Delete a gateway",
            description = "Removes the "
                    + "document; the data plane closes its listeners asynchronously. 202 with Azure-AsyncOperation, or 200 "
                    + "when that already happened (Prefer: wait=N waits for it); 204 when there was nothing to delete.")
    ResponseEntity<Void> delete(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @Parameter(hidden = true) @RequestParam(ApiVersions.PARAMETER) String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = Prefer.HEADER, required = false) String prefer) {
        GatewayKey key = key(subscriptionId, resourceGroupName, applicationGatewayName);
        var deleted = writes.delete(
                key,
                current -> Etags.checkPreconditions(ifMatch, null, current.etag(), "the gateway '" + key.name() + "'"),
                prefer);
        if (deleted.isEmpty() && ifMatch != null && !ifMatch.isBlank()) {
            Etags.checkPreconditions(ifMatch, null, null, "the gateway '" + key.name() + "'");
        }
        return deleted.map(d -> AsyncResponses.okOrAccepted(d, apiVersion).<Void>build())
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping(ApiPaths.GATEWAY + "/validate")
    @Operation(
            operationId = "ApplicationGateways_WhatIf",
            summary = "Validate a document and preview its changes",
            description = "Checks the document exactly as a PUT would (same 400 with every violation) and lists the "
                    + "change a PUT would make to the gateway and to each child: Create, Modify, Delete or NoChange. "
                    + "Nothing is stored or applied.")
    @ApiResponse(responseCode = "200", description = "Valid; the changes a PUT would make")
    WhatIf validate(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @RequestBody ApplicationGateway body) {
        GatewayKey key = key(subscriptionId, resourceGroupName, applicationGatewayName);
        GatewayStore.Preview preview = store.preview(key, body);
        return WhatIf.of(
                key, preview.current() == null ? null : preview.current().spec(), preview.proposed());
    }

    @PostMapping(ApiPaths.GATEWAY + "/stop")
    @Operation(
            operationId = "ApplicationGateways_Stop",
            summary = "Stop a gateway",
            description = "Its listeners stop "
                    + "accepting; open connections drain (up to the drain timeout). operationalState becomes Stopped and "
                    + "stays so across restarts. 202 with Azure-AsyncOperation, or 200 with the gateway once applied "
                    + "(Prefer: wait=N waits for it).")
    @ApiResponse(responseCode = "200", description = "Stopped")
    @ApiResponse(responseCode = "202", description = "Stopping; the Azure-AsyncOperation URL reports when it is done")
    @ApiResponse(responseCode = "404", description = "No such gateway (ResourceNotFound)")
    ResponseEntity<ApplicationGateway> stop(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @Parameter(hidden = true) @RequestParam(ApiVersions.PARAMETER) String apiVersion,
            @RequestHeader(value = Prefer.HEADER, required = false) String prefer) {
        return operate(
                key(subscriptionId, resourceGroupName, applicationGatewayName),
                OperationalState.Stopped,
                apiVersion,
                prefer);
    }

    @PostMapping(ApiPaths.GATEWAY + "/start")
    @Operation(
            operationId = "ApplicationGateways_Start",
            summary = "Start a gateway",
            description = "Binds its " + "listeners again; operationalState Running. Answered like stop.")
    @ApiResponse(responseCode = "200", description = "Started")
    @ApiResponse(responseCode = "202", description = "Starting; the Azure-AsyncOperation URL reports when it is done")
    @ApiResponse(responseCode = "404", description = "No such gateway (ResourceNotFound)")
    ResponseEntity<ApplicationGateway> start(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @Parameter(hidden = true) @RequestParam(ApiVersions.PARAMETER) String apiVersion,
            @RequestHeader(value = Prefer.HEADER, required = false) String prefer) {
        return operate(
                key(subscriptionId, resourceGroupName, applicationGatewayName),
                OperationalState.Running,
                apiVersion,
                prefer);
    }

    private ResponseEntity<ApplicationGateway> operate(
            GatewayKey key, OperationalState state, String apiVersion, String prefer) {
        GatewayWrites.Outcome outcome = writes.operate(key, state, prefer).orElseThrow(key::notFound);
        var response = AsyncResponses.okOrAccepted(outcome, apiVersion);
        return outcome.done() ? response.body(outcome.gateway().view()) : response.build();
    }

    @GetMapping(ApiPaths.RESOURCE_GROUP + ApiPaths.PROVIDER)
    @Operation(operationId = "ApplicationGateways_List", summary = "List the gateways of a resource group")
    @ApiResponse(responseCode = "200", description = "The gateways, in ARM's list envelope")
    Page<ApplicationGateway> listByResourceGroup(
            @PathVariable String subscriptionId, @PathVariable String resourceGroupName) {
        ResourceNames.checkSubscriptionId(subscriptionId);
        ResourceNames.checkResourceGroup(resourceGroupName);
        return new Page<>(store.list(subscriptionId, resourceGroupName).stream()
                .map(g -> g.view())
                .toList());
    }

    @GetMapping(ApiPaths.SUBSCRIPTION + ApiPaths.PROVIDER)
    @Operation(operationId = "ApplicationGateways_ListAll", summary = "List the gateways of a subscription")
    @ApiResponse(responseCode = "200", description = "The gateways, in ARM's list envelope")
    Page<ApplicationGateway> listBySubscription(@PathVariable String subscriptionId) {
        ResourceNames.checkSubscriptionId(subscriptionId);
        return new Page<>(
                store.list(subscriptionId, null).stream().map(g -> g.view()).toList());
    }

    private StoredGateway find(GatewayKey key) {
        return store.find(key).orElseThrow(key::notFound);
    }
}
