package dev.gatehouse.arm;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocAnnotationsUtils;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Documents, once for every operation on an ARM path ({@link ApiVersions#PATHS}), what this package gives
 * all of them, so that handlers document only what is their own (operation id, summary, success responses,
 * the error codes specific to them, described in a line):
 * <ul>
 * <li>the required {@code api-version} query parameter that {@link ApiVersions} checks, after the path
 * parameters (a handler that reads the value takes it with {@code @Parameter(hidden = true)});</li>
 * <li>a 400 for an invalid request, and ARM's {@code default} response for the refusals any operation can
 * meet (401, 403, 429, 500...);</li>
 * <li>ARM's error envelope ({@link ApiError.Envelope}) as the body of every 4xx, 5xx and {@code default}
 * response: {@link ArmExceptionHandler} and the security filters answer every error with it.</li>
 * </ul>
 */
@Component
class ArmOpenApiConventions implements OpenApiCustomizer {

    static final String INVALID_REQUEST = "Invalid request; every violation is listed in error.details.";
    static final String OTHER_ERRORS = "Any other error, in ARM's envelope with x-ms-error-code: 401 "
            + ErrorCodes.AUTHENTICATION_FAILED + ", 403 " + ErrorCodes.AUTHORIZATION_FAILED + ", 413 "
            + ErrorCodes.REQUEST_BODY_TOO_LARGE + ", 415 " + ErrorCodes.UNSUPPORTED_MEDIA_TYPE + ", 429 "
            + ErrorCodes.TOO_MANY_REQUESTS + " (with Retry-After), 500 " + ErrorCodes.INTERNAL_SERVER_ERROR + ".";

    private static final PathPattern ARM_PATHS = PathPatternParser.defaultInstance.parse(ApiVersions.PATHS);

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        Schema<?> envelope = SpringDocAnnotationsUtils.extractSchema(
                openApi.getComponents(), ApiError.Envelope.class, null, null, openApi.getSpecVersion());
        Schema<?> string = SpringDocAnnotationsUtils.extractSchema(
                openApi.getComponents(), String.class, null, null, openApi.getSpecVersion());
        openApi.getPaths().forEach((path, item) -> {
            if (ARM_PATHS.matches(PathContainer.parsePath(path))) {
                item.readOperations().forEach(operation -> {
                    addApiVersion(operation, string);
                    addErrors(operation, envelope);
                });
            }
        });
    }

    private static void addApiVersion(Operation operation, Schema<?> string) {
        List<Parameter> parameters =
                operation.getParameters() == null ? new ArrayList<>() : new ArrayList<>(operation.getParameters());
        if (parameters.stream().anyMatch(p -> "query".equals(p.getIn()) && ApiVersions.PARAMETER.equals(p.getName()))) {
            return;
        }
        int afterPath = 0;
        for (int i = 0; i < parameters.size(); i++) {
            if ("path".equals(parameters.get(i).getIn())) {
                afterPath = i + 1;
            }
        }
        parameters.add(
                afterPath,
                new Parameter()
                        .in("query")
                        .name(ApiVersions.PARAMETER)
                        .required(true)
                        .schema(string)
                        .example(ApiVersions.LATEST));
        operation.setParameters(parameters);
    }

    private static void addErrors(Operation operation, Schema<?> envelope) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponses responses = operation.getResponses();
        responses.putIfAbsent("400", new ApiResponse().description(INVALID_REQUEST));
        responses.putIfAbsent("default", new ApiResponse().description(OTHER_ERRORS));
        responses.forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5") || code.equals("default")) {
                response.setContent(
                        new Content().addMediaType(APPLICATION_JSON_VALUE, new MediaType().schema(envelope)));
            }
        });
    }
}
