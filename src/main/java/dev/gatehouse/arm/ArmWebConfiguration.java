package dev.gatehouse.arm;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Wires what every ARM request shares: the api-version check, the request id, and answers in JSON only.
 */
@Configuration(proxyBeanMethods = false)
class ArmWebConfiguration implements WebMvcConfigurer {

    static final String REQUEST_ID_HEADER = "x-ms-request-id";
    static final String CLIENT_REQUEST_ID_HEADER = "x-ms-client-request-id";

    private final ApiVersions apiVersions;

    ArmWebConfiguration(ApiVersions apiVersions) {
        this.apiVersions = apiVersions;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(apiVersions).addPathPatterns(ApiVersions.PATHS);
    }

    /**
     * Responses are JSON (docs/api.md): the converters Spring registers for other structured formats because a
     * library on the class path brings them (Jackson 2's YAML, which swagger-core brings to the tests' class path,
     * XML, CBOR, Smile) are left out, so that an {@code Accept} header without JSON gets 406
     * {@code UnsupportedMediaType} instead of a YAML rendering of the resource. Strings, bytes and resources stay
     * (the OpenAPI document and the static pages).
     */
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(ArmWebConfiguration::otherFormat));
    }

    /** A converter for a structured format other than JSON: it supports none of JSON's media types. */
    static boolean otherFormat(HttpMessageConverter<?> converter) {
        List<MediaType> types = converter.getSupportedMediaTypes();
        boolean other = types.stream().anyMatch(ArmWebConfiguration::structured);
        boolean json = types.stream().anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
        return other && !json;
    }

    private static boolean structured(MediaType type) {
        String subtype = type.getSubtype();
        return subtype.equals("yaml")
                || subtype.endsWith("+yaml")
                || subtype.equals("xml")
                || subtype.endsWith("+xml")
                || subtype.equals("cbor")
                || subtype.equals("x-jackson-smile")
                || subtype.equals("x-protobuf")
                || subtype.equals("protobuf");
    }

    /**
     * Every response carries {@code x-ms-request-id}; a caller's {@code x-ms-client-request-id} is echoed.
     * The id is in the logging MDC as {@code requestId}, so a logged 500 can be found from the response.
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestIdFilter() {
        // First of all filters, so that answers from the security filters carry the request id too.
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(requestIdFilterItself());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static OncePerRequestFilter requestIdFilterItself() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String id = UUID.randomUUID().toString();
                response.setHeader(REQUEST_ID_HEADER, id);
                String clientId = request.getHeader(CLIENT_REQUEST_ID_HEADER);
                if (clientId != null && clientId.length() <= 128) {
                    response.setHeader(CLIENT_REQUEST_ID_HEADER, clientId);
                }
                MDC.put("requestId", id);
                try {
                    chain.doFilter(request, response);
                } finally {
                    MDC.remove("requestId");
                }
            }
        };
    }
}
