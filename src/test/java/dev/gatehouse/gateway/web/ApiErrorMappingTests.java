package dev.gatehouse.gateway.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ApiSettings;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.arm.ErrorCodes;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.model.OperationalState;
import dev.gatehouse.gateway.model.ProvisioningState;
import dev.gatehouse.gateway.rules.RuleCodes;
import dev.gatehouse.gateway.store.GatewayStore;
import dev.gatehouse.gateway.store.StoredGateway;
import dev.gatehouse.testing.TestGateway;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web layer alone (controllers, the ARM advice, the api-version check, JSON reading, the application's own
 * security chain): every refusal leaves with its status and ARM's envelope
 * {@code {"error":{"code","message","target","details"}}}, with {@code x-ms-error-code} equal to the code. The
 * store and the writes are test doubles; what they do is covered by GatewayStoreTests and the integration tests.
 */
@WebMvcTest(controllers = {ApplicationGatewayController.class, ChildResourceControllers.Listeners.class})
@Import({ArmJsonConfiguration.class, ChildWrites.class, ApiErrorMappingTests.ApplicationSecurity.class})
@EnableConfigurationProperties(ApiSettings.class)
class ApiErrorMappingTests {

    /** The application's security chain; with no credentials configured it lets every request through. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableWebSecurity
    @ComponentScan("dev.gatehouse.security")
    static class ApplicationSecurity {}

    private static final String NAME = "gw";
    private static final GatewayKey KEY = GatewayKey.of(TestGateway.SUBSCRIPTION, TestGateway.RESOURCE_GROUP, NAME);
    private static final String PATH = TestGateway.path(NAME);
    private static final String VERSION = "?api-version=2025-03-01";
    private static final String CURRENT_ETAG = "W/\"current\"";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    GatewayStore store;

    @MockitoBean
    GatewayWrites writes;

    private final String validDocument = TestGateway.text(document());

    private static ObjectNode document() {
        return TestGateway.named(NAME)
                .listen("127.0.0.1", 18080)
                .backends(18081, "127.0.0.1")
                .json();
    }

    private static String withFrontendPortProperty(String property, String value) {
        ObjectNode doc = document();
        ((ObjectNode) doc.at("/properties/frontendPorts/0/properties")).put(property, value);
        return TestGateway.text(doc);
    }

    private ResultActions send(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.accept(MediaType.APPLICATION_JSON));
    }

    private static MockHttpServletRequestBuilder putJson(String path, String body) {
        return put(path).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    /** The envelope with exactly one property, {@code error}, whose code is also in {@code x-ms-error-code}. */
    private static void assertEnvelope(ResultActions result, int status, String code) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(header().string("x-ms-error-code", code))
                .andExpect(jsonPath("$.*", hasSize(1)))
                .andExpect(jsonPath("$.error.code").value(code))
                .andExpect(jsonPath("$.error.message").isString());
    }

    @Test
    void aBodyThatIsNotJsonIs400InvalidJsonWithWhereItBroke() throws Exception {
        ResultActions result = send(putJson(PATH + VERSION, "{\"location\": \"local\",\n  \"properties\": {"));

        assertEnvelope(result, 400, ErrorCodes.INVALID_JSON);
        result.andExpect(jsonPath("$.error.message", containsString("line 2")));
        verify(writes, never()).write(any(), any(), any());
    }

    @Test
    void anUnknownPropertyIs400WithItsJsonPathAndTheKnownOnes() throws Exception {
        ResultActions result = send(putJson(PATH + VERSION, withFrontendPortProperty("colour", "red")));

        assertEnvelope(result, 400, ErrorCodes.UNKNOWN_PROPERTY);
        result.andExpect(jsonPath("$.error.target").value("properties.frontendPorts[0].properties.colour"))
                .andExpect(jsonPath("$.error.message", containsString("'colour'")))
                .andExpect(jsonPath("$.error.message", containsString("port")));
        verify(writes, never()).write(any(), any(), any());
    }

    @Test
    void aValueOfTheWrongTypeIs400WithItsJsonPath() throws Exception {
        ResultActions result = send(putJson(PATH + VERSION, withFrontendPortProperty("port", "eighty")));

        assertEnvelope(result, 400, ErrorCodes.INVALID_PROPERTY_TYPE);
        result.andExpect(jsonPath("$.error.target").value("properties.frontendPorts[0].properties.port"))
                .andExpect(jsonPath("$.error.message", containsString("an integer")));
    }

    @Test
    void theViolationsOfAnInvalidDocumentLeaveAsDetailsEachWithCodeMessageAndJsonPath() throws Exception {
        given(writes.write(any(), any(), any()))
                .willThrow(ArmException.invalid(
                        RuleCodes.INVALID_APPLICATION_GATEWAY,
                        "The ApplicationGateway document has 2 errors; see details.",
                        List.of(
                                ApiError.of(
                                        RuleCodes.VALUE_OUT_OF_RANGE,
                                        "The port must be 1 to 65535.",
                                        "properties.frontendPorts[0].properties.port"),
                                ApiError.of(
                                        RuleCodes.INVALID_REFERENCE,
                                        "The listener refers to no frontend port.",
                                        "properties.listeners[0].properties.frontendPort.id"))));

        ResultActions result = send(putJson(PATH + VERSION, validDocument));

        assertEnvelope(result, 400, RuleCodes.INVALID_APPLICATION_GATEWAY);
        result.andExpect(jsonPath("$.error.details", hasSize(2)))
                .andExpect(jsonPath("$.error.details[0].code").value(RuleCodes.VALUE_OUT_OF_RANGE))
                .andExpect(jsonPath("$.error.details[0].message").value("The port must be 1 to 65535."))
                .andExpect(jsonPath("$.error.details[0].target").value("properties.frontendPorts[0].properties.port"))
                .andExpect(jsonPath("$.error.details[1].code").value(RuleCodes.INVALID_REFERENCE))
                .andExpect(jsonPath("$.error.details[1].target")
                        .value("properties.listeners[0].properties.frontendPort.id"));
    }

    @Test
    void aViolationInsideAWrittenChildIsReportedRelativeToTheChildsBody() throws Exception {
        givenStored(CURRENT_ETAG);
        given(writes.write(any(), any(), any())).willAnswer(call -> {
            Function<StoredGateway, ApplicationGateway> change = call.getArgument(1);
            change.apply(stored(CURRENT_ETAG));
            throw ArmException.invalid(
                    RuleCodes.INVALID_APPLICATION_GATEWAY,
                    "The document has 2 errors; see details.",
                    List.of(
                            ApiError.of(
                                    RuleCodes.INVALID_REFERENCE,
                                    "No such frontend port.",
                                    "properties.listeners[0].properties.frontendPort.id"),
                            ApiError.of(
                                    RuleCodes.VALUE_OUT_OF_RANGE,
                                    "Out of range.",
                                    "properties.frontendPorts[0].properties.port")));
        });
        String listener = "{\"properties\":{\"protocol\":\"Tcp\",\"frontendPort\":{\"id\":\"nowhere\"}}}";

        ResultActions result = send(putJson(PATH + "/listeners/listener" + VERSION, listener));

        assertEnvelope(result, 400, RuleCodes.INVALID_APPLICATION_GATEWAY);
        result.andExpect(jsonPath("$.error.details[0].target").value("properties.frontendPort.id"))
                .andExpect(jsonPath("$.error.details[1].target").value("properties.frontendPorts[0].properties.port"));
    }

    @Test
    void anUnknownGatewayIs404ResourceNotFoundNamingIt() throws Exception {
        given(store.find(any())).willReturn(Optional.empty());

        ResultActions result = send(get(PATH + VERSION));

        assertEnvelope(result, 404, ErrorCodes.RESOURCE_NOT_FOUND);
        result.andExpect(jsonPath("$.error.message", containsString("'" + NAME + "'")));
    }

    @Test
    void anAcceptHeaderWithoutJsonIs406UnsupportedMediaTypeInJson() throws Exception {
        givenStored(CURRENT_ETAG);

        for (String accept : List.of("application/yaml", "application/xml", "text/csv")) {
            ResultActions result = mvc.perform(get(PATH + VERSION).header("Accept", accept));

            assertEnvelope(result, 406, ErrorCodes.UNSUPPORTED_MEDIA_TYPE);
            result.andExpect(header().string("Content-Type", containsString("application/json")))
                    .andExpect(jsonPath("$.error.target").value("Accept"));
        }
        send(get(PATH + VERSION)).andExpect(status().isOk());
    }

    @Test
    void anErrorIsJsonWhateverTheAcceptHeaderSays() throws Exception {
        given(store.find(any())).willReturn(Optional.empty());

        ResultActions result = mvc.perform(get(PATH + VERSION).header("Accept", "application/yaml"));

        assertEnvelope(result, 404, ErrorCodes.RESOURCE_NOT_FOUND);
        result.andExpect(header().string("Content-Type", containsString("application/json")));
    }

    @Test
    void anUnknownChildOfAnExistingGatewayIs404ResourceNotFoundNamingIt() throws Exception {
        givenStored(CURRENT_ETAG);

        ResultActions result = send(get(PATH + "/listeners/absent" + VERSION));

        assertEnvelope(result, 404, ErrorCodes.RESOURCE_NOT_FOUND);
        result.andExpect(jsonPath("$.error.message", containsString("'absent'")));
    }

    @Test
    void aChildOfAnUnknownGatewayIs404ParentResourceNotFound() throws Exception {
        given(store.find(any())).willReturn(Optional.empty());

        assertEnvelope(send(get(PATH + "/listeners/listener" + VERSION)), 404, ErrorCodes.PARENT_RESOURCE_NOT_FOUND);
    }

    @Test
    void anIfMatchWithAStaleEtagIs412() throws Exception {
        givenWritesSee(stored(CURRENT_ETAG));

        ResultActions result = send(putJson(PATH + VERSION, validDocument).header("If-Match", "W/\"stale\""));

        assertEnvelope(result, 412, ErrorCodes.PRECONDITION_FAILED);
        result.andExpect(jsonPath("$.error.target").value("If-Match"));
    }

    @Test
    void anIfNoneMatchStarOnAnExistingGatewayIs412() throws Exception {
        givenWritesSee(stored(CURRENT_ETAG));

        ResultActions result = send(putJson(PATH + VERSION, validDocument).header("If-None-Match", "*"));

        assertEnvelope(result, 412, ErrorCodes.PRECONDITION_FAILED);
        result.andExpect(jsonPath("$.error.target").value("If-None-Match"));
    }

    @Test
    void anUnsupportedApiVersionIs400NamingTheSupportedOnes() throws Exception {
        ResultActions result = send(get(PATH + "?api-version=2019-01-01"));

        assertEnvelope(result, 400, ErrorCodes.INVALID_API_VERSION);
        result.andExpect(jsonPath("$.error.target").value("api-version"))
                .andExpect(jsonPath("$.error.message", containsString("2025-03-01")));
        verify(store, never()).find(any());
    }

    @Test
    void aMissingApiVersionIs400() throws Exception {
        ResultActions result = send(get(PATH));

        assertEnvelope(result, 400, ErrorCodes.MISSING_API_VERSION);
        result.andExpect(jsonPath("$.error.target").value("api-version"));
    }

    @Test
    void anUnreachableDatabaseIs503ServiceUnavailableWithRetryAfter() throws Exception {
        given(store.find(any()))
                .willThrow(new CannotCreateTransactionException(
                        "Could not open JDBC Connection for transaction",
                        new SQLTransientConnectionException(
                                "HikariPool-1 - Connection is not available, request timed out after 2000ms.",
                                "08001",
                                new SQLException("Connection to 127.0.0.1:5432 refused.", "08001"))));

        ResultActions result = send(get(PATH + VERSION));

        assertEnvelope(result, 503, ErrorCodes.SERVICE_UNAVAILABLE);
        result.andExpect(header().string("Retry-After", "5"));
    }

    private void givenStored(String etag) {
        given(store.find(any())).willReturn(Optional.of(stored(etag)));
    }

    /** The writes run the controller's change against {@code current}, as the store does under its lock. */
    private void givenWritesSee(StoredGateway current) {
        given(writes.write(any(), any(), any())).willAnswer(call -> {
            Function<StoredGateway, ApplicationGateway> change = call.getArgument(1);
            change.apply(current);
            throw new AssertionError("the precondition should have refused the write");
        });
    }

    private StoredGateway stored(String etag) {
        ApplicationGateway spec = ArmJsonConfiguration.mapper()
                .readValue(validDocument, ApplicationGateway.class)
                .spec(NAME);
        Instant now = Instant.now();
        return new StoredGateway(
                KEY,
                spec,
                Map.of(),
                etag,
                1,
                ProvisioningState.Succeeded,
                1L,
                null,
                OperationalState.Running,
                now,
                now,
                List.of());
    }
}
