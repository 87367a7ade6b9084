package dev.gatehouse.arm;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How request bodies are read. ARM treats property names and enum values case-insensitively, so
 * documents written for Azure keep working; everything else is strict, so that a typo is an error
 * with a path instead of a silently ignored setting: unknown properties, duplicate keys, strings where
 * numbers or booleans belong, fractions where integers belong, and trailing garbage are all refused.
 */
@Configuration(proxyBeanMethods = false)
public class ArmJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer armJsonReading() {
        return ArmJsonConfiguration::configure;
    }

    /** The reading rules, also for code (and tests) that build their own mapper. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder.enable(
                        MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** A mapper that reads documents exactly as the API does. */
    public static JsonMapper mapper() {
        return configure(JsonMapper.builder()).build();
    }
}
