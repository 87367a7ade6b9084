package dev.gatehouse.gateway.web;

import dev.gatehouse.arm.ResourceNames;
import dev.gatehouse.gateway.operations.AsyncOperation;
import dev.gatehouse.gateway.operations.AsyncOperations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "AsyncOperations",
        description = "The status of asynchronous writes, polled through the "
                + "Azure-AsyncOperation URL a write answers with.")
class AsyncOperationController {

    private final AsyncOperations operations;

    AsyncOperationController(AsyncOperations operations) {
        this.operations = operations;
    }

    @GetMapping(ApiPaths.SUBSCRIPTION
            + "/providers/Microsoft.Network/locations/{location}/azureAsyncOperations/{operationId}")
    @Operation(
            operationId = "AzureAsyncOperations_Get",
            summary = "Poll an asynchronous operation",
            description = "InProgress until the data plane has applied the write, then Succeeded, Failed (with the "
                    + "apply's error: a port in use, a certificate the TLS stack refused...) or Canceled (the gateway "
                    + "was deleted first). Kept for at least 24 hours, across restarts. While InProgress the answer "
                    + "carries Retry-After.")
    @ApiResponse(responseCode = "200", description = "The operation")
    @ApiResponse(responseCode = "404", description = "No such operation, or it has expired (ResourceNotFound)")
    ResponseEntity<AsyncOperation> get(
            @PathVariable String subscriptionId, @PathVariable String location, @PathVariable String operationId) {
        ResourceNames.checkSubscriptionId(subscriptionId);
        AsyncOperation operation = operations.get(subscriptionId, operationId, location);
        var response = ResponseEntity.ok();
        return (operation.done() ? response : response.header("Retry-After", AsyncResponses.RETRY_AFTER_SECONDS))
                .body(operation);
    }
}
