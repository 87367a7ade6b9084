package dev.gatehouse.schema;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.core.env.Environment;

/**
 * Whether Flyway is configured as the fast check understands it: no {@code spring.flyway.*} property but
 * {@code enabled}, {@code schemas}, {@code default-schema}, {@code table} and {@code locations} left at
 * {@value BundledMigrations#LOCATION}, and no bean that changes what Flyway does (a migration strategy, Java
 * migrations, callbacks, customizers or connection details of the application's own, a second data source).
 */
final class FlywaySettings {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("spring.flyway");
    // In Spring's uniform form (no dashes), so that every relaxed spelling of a name matches.
    private static final Set<String> UNDERSTOOD = Set.of("enabled", "schemas", "defaultschema", "table", "locations");

    private FlywaySettings() {}

    /** Why the fast check cannot judge, or empty when it can. */
    static Optional<String> whyFlywayIsNeeded(
            Environment environment, FlywayProperties properties, ListableBeanFactory beans) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            Optional<ConfigurationPropertyName> other = iterable.stream()
                    .filter(name -> PREFIX.isAncestorOf(name)
                            && !UNDERSTOOD.contains(name.getElement(PREFIX.getNumberOfElements(), Form.UNIFORM)))
                    .findFirst();
            if (other.isPresent()) {
                return Optional.of(other.get() + " is set");
            }
        }
        if (!properties.getLocations().equals(List.of(BundledMigrations.LOCATION))) {
            return Optional.of("spring.flyway.locations is " + properties.getLocations());
        }
        if (beans.getBeanNamesForType(FlywayMigrationStrategy.class, true, false).length > 0) {
            return Optional.of("the application has a FlywayMigrationStrategy");
        }
        if (beans.getBeanNamesForType(JavaMigration.class, true, false).length > 0
                || beans.getBeanNamesForType(Callback.class, true, false).length > 0) {
            return Optional.of("the application has Flyway Java migrations or callbacks");
        }
        if (!onlyBoots(beans, FlywayConfigurationCustomizer.class)
                || !onlyBoots(beans, FlywayConnectionDetails.class)) {
            return Optional.of("the application customizes Flyway or its connection");
        }
        if (beans.getBeanNamesForType(DataSource.class, true, false).length != 1) {
            return Optional.of("the application has more than one DataSource");
        }
        return Optional.empty();
    }

    // Spring Boot's own beans of the type apply spring.flyway.* properties only (checked above).
    private static boolean onlyBoots(ListableBeanFactory beans, Class<?> type) {
        for (String name : beans.getBeanNamesForType(type, true, false)) {
            Class<?> actual = beans.getType(name, false);
            if (actual == null || actual.getEnclosingClass() != FlywayAutoConfiguration.class) {
                return false;
            }
        }
        return true;
    }
}
