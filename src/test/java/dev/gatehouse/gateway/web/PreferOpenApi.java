package dev.gatehouse.gateway.web;

import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Describes the {@link Prefer} header once, on every operation whose handler takes it (the writes, which
 * honour it), instead of an annotation on each handler.
 */
@Configuration(proxyBeanMethods = false)
class PreferOpenApi {

    static final String DESCRIPTION = "RFC 7240: wait=N waits up to N seconds (at most gatehouse.api.max-apply-wait, "
            + "60 s) for the data plane before answering, so the answer usually carries the final state. Without "
            + "it the answer comes at once.";
    static final String EXAMPLE = "wait=10";

    @Bean
    OperationCustomizer preferHeader() {
        return (operation, handler) -> {
            if (operation.getParameters() != null) {
                operation.getParameters().stream()
                        .filter(p -> "header".equals(p.getIn()) && Prefer.HEADER.equals(p.getName()))
                        .forEach(p -> p.description(DESCRIPTION).example(EXAMPLE));
            }
            return operation;
        };
    }
}
