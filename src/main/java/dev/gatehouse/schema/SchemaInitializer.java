package dev.gatehouse.schema;

import dev.gatehouse.schema.BundledMigrations.Migration;
import dev.gatehouse.schema.BundledMigrations.NotOnlyVersionedSql;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * Brings the schema up to date before any bean uses the database, in place of Spring Boot's
 * {@code flywayInitializer} ({@link SchemaConfiguration}). One query of Flyway's schema history decides: when it
 * proves the schema current ({@link SchemaHistory}), Flyway is not built at all; otherwise, or whenever Flyway is
 * configured beyond what the check understands ({@link FlywaySettings}), Boot's {@code flyway} bean runs exactly as
 * Boot's initializer would run it: it migrates, or fails validation with its own message.
 */
class SchemaInitializer implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SchemaInitializer.class);

    private final DataSource dataSource;
    private final Environment environment;
    private final FlywayProperties properties;
    private final ListableBeanFactory beans;
    private final ResourceLoader resources;
    private final ObjectProvider<Flyway> flyway;
    private final ObjectProvider<FlywayMigrationStrategy> strategy;

    SchemaInitializer(
            DataSource dataSource,
            Environment environment,
            FlywayProperties properties,
            ListableBeanFactory beans,
            ResourceLoader resources,
            ObjectProvider<Flyway> flyway,
            ObjectProvider<FlywayMigrationStrategy> strategy) {
        this.dataSource = dataSource;
        this.environment = environment;
        this.properties = properties;
        this.beans = beans;
        this.resources = resources;
        this.flyway = flyway;
        this.strategy = strategy;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        long started = System.nanoTime();
        Optional<String> why = FlywaySettings.whyFlywayIsNeeded(environment, properties, beans);
        List<Migration> bundled = List.of();
        if (why.isEmpty()) {
            try {
                bundled = BundledMigrations.list(ResourcePatternUtils.getResourcePatternResolver(resources));
                why = bundled.isEmpty()
                        ? Optional.of("no versioned scripts to check against")
                        : SchemaHistory.whyFlywayIsNeeded(dataSource, historySchema(), properties.getTable(), bundled);
            } catch (NotOnlyVersionedSql e) {
                why = Optional.of(e.getMessage());
            } catch (RuntimeException e) {
                // Reading a script failed, or anything else the check did not foresee: Flyway judges.
                why = Optional.of("the check could not read the scripts or the history: " + e);
            }
        }
        if (why.isEmpty()) {
            log.info(
                    "Schema is current (V{}, checked in {} ms): Flyway not needed",
                    bundled.get(bundled.size() - 1).version(),
                    (System.nanoTime() - started) / 1_000_000);
            return;
        }
        log.info("Flyway runs: {}", why.get());
        new FlywayMigrationInitializer(flyway.getObject(), strategy.getIfAvailable()).afterPropertiesSet();
    }

    // Where Flyway keeps its history: the default schema, else the first of the schemas, else the connection's.
    private String historySchema() {
        if (properties.getDefaultSchema() != null) {
            return properties.getDefaultSchema();
        }
        return properties.getSchemas().isEmpty()
                ? null
                : properties.getSchemas().get(0);
    }
}
