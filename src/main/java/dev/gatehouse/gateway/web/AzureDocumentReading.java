package dev.gatehouse.gateway.web;

import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.rules.schema.DocumentScreen;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Screens every gateway and child document against Azure's schema ({@link DocumentScreen}) before it is bound to
 * the model, and gives frontends written the Azure way their address ({@link FrontendAddresses}). A body that is
 * not a JSON object passes unchanged, so that binding reports it as before (with the line and column of a syntax
 * error).
 */
@ControllerAdvice
class AzureDocumentReading extends RequestBodyAdviceAdapter {

    private final FrontendAddresses frontends;

    AzureDocumentReading(ObjectProvider<FrontendAddresses> frontends) {
        this.frontends = frontends.getIfAvailable(() -> FrontendAddresses.DEFAULTS);
    }

    /** Reads numbers exactly as written, so that re-writing the screened document changes no value. */
    private static final JsonMapper JSON = ArmJsonConfiguration.configure(JsonMapper.builder())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        Class<?> type = ResolvableType.forType(targetType).toClass();
        return type == ApplicationGateway.class || type == ChildResource.class;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        byte[] body = input.getBody().readAllBytes();
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (JacksonException unreadable) {
            return replay(body, input.getHeaders());
        }
        if (!(document instanceof ObjectNode object)) {
            return replay(body, input.getHeaders());
        }
        boolean child = ResolvableType.forType(targetType).toClass() == ChildResource.class;
        String collection = child ? collectionSegment() : null;
        DocumentScreen.screen(object, child ? "properties." + collection + "[]" : "");
        if (!child || "frontendIPConfigurations".equalsIgnoreCase(collection)) {
            frontends.resolve(object, child);
        }
        return replay(JSON.writeValueAsBytes(object), input.getHeaders());
    }

    /** The collection of a child PUT: the path's segment before the child's name. */
    private static String collectionSegment() {
        String uri = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes())
                .getRequest()
                .getRequestURI();
        String[] segments = uri.split("/");
        return segments.length < 2 ? "" : segments[segments.length - 2];
    }

    private static HttpInputMessage replay(byte[] body, HttpHeaders headers) {
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }
}
