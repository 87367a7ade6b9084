package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ApplicationGateway;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.annotation.Annotation;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.Range;

/**
 * The document's shape, from the Bean Validation annotations on the model (required properties, ranges), as
 * violations with stable codes, ordered by JSON path. Part of {@link GatewayRules}.
 */
final class ShapeRules {

    private ShapeRules() {}

    static List<ApiError> check(Validator validator, ApplicationGateway doc) {
        return validator.validate(doc).stream()
                .map(ShapeRules::describe)
                .sorted(Comparator.comparing(ApiError::target))
                .toList();
    }

    private static ApiError describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        String property = path.substring(path.lastIndexOf('.') + 1);
        Class<? extends Annotation> type =
                v.getConstraintDescriptor().getAnnotation().annotationType();
        if (type == Range.class) {
            Map<String, Object> a = v.getConstraintDescriptor().getAttributes();
            return ApiError.of(
                    VALUE_OUT_OF_RANGE,
                    "The value " + v.getInvalidValue() + " of '" + property + "' is out of range: it must be between "
                            + a.get("min") + " and " + a.get("max") + ".",
                    path);
        }
        if (v.getInvalidValue() == null || type.getSimpleName().startsWith("Not")) {
            return ApiError.of(MISSING_REQUIRED_PROPERTY, "The property '" + property + "' is required.", path);
        }
        return ApiError.of(INVALID_PROPERTY_VALUE, "The value of '" + property + "' " + v.getMessage() + ".", path);
    }
}
