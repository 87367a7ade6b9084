package dev.gatehouse.gateway.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Azure-style operation ids ({@code Listeners_CreateOrUpdate}) for the child endpoints, which share their
 * handler methods: without this springdoc would number them ({@code put_5}), and generated clients would
 * get those names.
 */
@Configuration(proxyBeanMethods = false)
class ChildEndpointsOpenApi {

    private static final Map<String, String> VERBS =
            Map.of("put", "CreateOrUpdate", "get", "Get", "delete", "Delete", "list", "List");

    @Bean
    OperationCustomizer childOperationIds() {
        return (operation, handler) -> {
            Tag tag = handler.getBeanType().getAnnotation(Tag.class);
            String verb = VERBS.get(handler.getMethod().getName());
            if (ChildEndpoints.class.isAssignableFrom(handler.getBeanType()) && tag != null && verb != null) {
                String collection = tag.name();
                operation.setOperationId(
                        Character.toUpperCase(collection.charAt(0)) + collection.substring(1) + "_" + verb);
            }
            return operation;
        };
    }
}
