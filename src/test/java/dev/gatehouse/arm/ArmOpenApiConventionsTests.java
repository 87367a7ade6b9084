package dev.gatehouse.arm;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArmOpenApiConventionsTests {

    private static final String GATEWAY = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"
            + "/providers/Microsoft.Network/applicationGateways/{applicationGatewayName}";
    private static final String ENVELOPE = "#/components/schemas/ErrorResponse";

    private static Operation operation(Parameter... parameters) {
        return new Operation()
                .parameters(new ArrayList<>(List.of(parameters)))
                .responses(new ApiResponses()
                        .addApiResponse(
                                "200",
                                new ApiResponse()
                                        .description("OK")
                                        .content(new Content()
                                                .addMediaType(
                                                        "application/json",
                                                        new MediaType().schema(new Schema<>().$ref("#/x")))))
                        .addApiResponse("404", new ApiResponse().description("No such gateway (ResourceNotFound)")));
    }

    private static Parameter path(String name) {
        return new Parameter().in("path").name(name).required(true);
    }

    private static OpenAPI document(String path, Operation operation) {
        OpenAPI openApi = new OpenAPI(SpecVersion.V31)
                .components(new Components())
                .paths(new Paths().addPathItem(path, new PathItem().get(operation)));
        new ArmOpenApiConventions().customise(openApi);
        return openApi;
    }

    private static String bodyOf(ApiResponse response) {
        return response.getContent().get("application/json").getSchema().get$ref();
    }

    @Test
    void theApiVersionParameterFollowsThePathParametersOfEveryArmOperation() {
        Parameter header = new Parameter().in("header").name("If-Match");
        Operation get =
                operation(path("subscriptionId"), path("resourceGroupName"), path("applicationGatewayName"), header);

        document(GATEWAY, get);

        assertThat(get.getParameters())
                .extracting(Parameter::getName)
                .containsExactly(
                        "subscriptionId", "resourceGroupName", "applicationGatewayName", "api-version", "If-Match");
        Parameter version = get.getParameters().get(3);
        assertThat(version.getIn()).isEqualTo("query");
        assertThat(version.getRequired()).isTrue();
        assertThat(version.getExample()).isEqualTo(ApiVersions.LATEST);
    }

    @Test
    void anApiVersionParameterTheHandlerDocumentsItselfIsNotRepeated() {
        Parameter own = new Parameter().in("query").name(ApiVersions.PARAMETER).description("Its own words");
        Operation get = operation(path("subscriptionId"), own);

        document("/subscriptions/{subscriptionId}", get);

        assertThat(get.getParameters())
                .extracting(Parameter::getName)
                .containsExactly("subscriptionId", ApiVersions.PARAMETER);
        assertThat(get.getParameters().get(1)).isSameAs(own);
    }

    @Test
    void everyErrorResponseCarriesTheEnvelopeAndSuccessResponsesKeepTheirBody() {
        Operation get = operation(path("subscriptionId"));

        OpenAPI openApi = document("/subscriptions/{subscriptionId}", get);

        ApiResponses responses = get.getResponses();
        assertThat(responses).containsOnlyKeys("200", "400", "404", "default");
        assertThat(responses.get("400").getDescription()).isEqualTo(ArmOpenApiConventions.INVALID_REQUEST);
        assertThat(responses.get("404").getDescription()).isEqualTo("No such gateway (ResourceNotFound)");
        assertThat(responses.get("default").getDescription())
                .contains("401 AuthenticationFailed", "429 TooManyRequests");
        for (String code : List.of("400", "404", "default")) {
            assertThat(bodyOf(responses.get(code))).as(code).isEqualTo(ENVELOPE);
        }
        assertThat(bodyOf(responses.get("200"))).isEqualTo("#/x");
        assertThat(openApi.getComponents().getSchemas()).containsKeys("ErrorResponse", "ErrorDetail");
    }

    @Test
    void operationsOutsideTheArmPathsAreLeftAlone() {
        Operation other = operation();

        document("/other/{name}", other);

        assertThat(other.getParameters()).isEmpty();
        assertThat(other.getResponses()).containsOnlyKeys("200", "404");
        assertThat(other.getResponses().get("404").getContent()).isNull();
    }
}
