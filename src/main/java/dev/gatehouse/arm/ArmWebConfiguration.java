package dev.gatehouse.arm;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires what every ARM request shares: the api-version check and the request id. */
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
