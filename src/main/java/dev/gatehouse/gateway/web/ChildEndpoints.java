package dev.gatehouse.gateway.web;

import dev.gatehouse.arm.ApiVersions;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.GatewayKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * PUT, GET, DELETE and list for one child collection of a gateway. Each collection is a small subclass
 * that names its path and body type ({@code P}), so routes and the OpenAPI schemas are exact; the work
 * is {@link ChildWrites}'.
 */
@ApiResponse(
        responseCode = "404",
        description = "No such gateway (ParentResourceNotFound) or child (ResourceNotFound).")
abstract class ChildEndpoints<P> {

    private final ChildWrites children;
    private final ChildCollection<P> collection;

    ChildEndpoints(ChildWrites children, ChildCollection<P> collection) {
        this.children = children;
        this.collection = collection;
    }

    @PutMapping("/{name}")
    @Operation(
            summary = "Create or replace a child",
            description = "Validated against the whole gateway and applied "
                    + "like a gateway write (asynchronously, with Azure-AsyncOperation); guarded by this child's own etag. "
                    + "201 when created, 200 when replaced.")
    @ApiResponse(responseCode = "200", description = "Replaced")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "412", description = "If-Match or If-None-Match failed (PreconditionFailed).")
    ResponseEntity<ChildResource<P>> put(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @PathVariable String name,
            @Parameter(hidden = true) @RequestParam(ApiVersions.PARAMETER) String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestHeader(value = Prefer.HEADER, required = false) String prefer,
            @RequestBody ChildResource<P> body) {
        return children.put(
                collection,
                GatewayKey.of(subscriptionId, resourceGroupName, applicationGatewayName),
                name,
                body,
                ifMatch,
                ifNoneMatch,
                prefer,
                apiVersion);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a child")
    @ApiResponse(responseCode = "200", description = "The child resource")
    ResponseEntity<ChildResource<P>> get(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @PathVariable String name) {
        return children.get(collection, GatewayKey.of(subscriptionId, resourceGroupName, applicationGatewayName), name);
    }

    @DeleteMapping("/{name}")
    @Operation(
            summary = "Delete a child",
            description = "200 when deleted and applied, 202 (with "
                    + "Azure-AsyncOperation) while the apply runs, 204 when there was none. Refused with 400 while another "
                    + "child references it; the details name the referrers' JSON paths.")
    @ApiResponse(responseCode = "200", description = "Deleted")
    @ApiResponse(responseCode = "202", description = "Deleted; the apply is running")
    @ApiResponse(responseCode = "204", description = "There was none")
    @ApiResponse(responseCode = "412", description = "If-Match failed (PreconditionFailed).")
    ResponseEntity<Void> delete(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName,
            @PathVariable String name,
            @Parameter(hidden = true) @RequestParam(ApiVersions.PARAMETER) String apiVersion,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = Prefer.HEADER, required = false) String prefer) {
        return children.delete(
                collection,
                GatewayKey.of(subscriptionId, resourceGroupName, applicationGatewayName),
                name,
                ifMatch,
                prefer,
                apiVersion);
    }

    @GetMapping
    @Operation(summary = "List the children of this collection")
    @ApiResponse(responseCode = "200", description = "The collection, in ARM's list envelope")
    ApplicationGatewayController.Page<ChildResource<P>> list(
            @PathVariable String subscriptionId,
            @PathVariable String resourceGroupName,
            @PathVariable String applicationGatewayName) {
        return children.list(collection, GatewayKey.of(subscriptionId, resourceGroupName, applicationGatewayName));
    }
}
