package dev.gatehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.PrivatePostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schema initializer in a small application (data source, JdbcTemplate, JdbcClient, Spring Boot's Flyway
 * auto-configuration, application.yml) on a real database file, started again and again as an operator restarts
 * Gatehouse. A bean reads the newest table while it is made, so a start that let it run before the migration fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class SchemaInitializerTests {

    private static final String CURRENT = "Schema is current (V4, checked in ";

    @TempDir
    Path dir;

    @Test
    void anEmptyDatabaseIsMigratedByFlywayBeforeAnyBeanUsesIt(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(flywayBuilt(context)).isTrue();
            assertThat(context.getBean(NewestTable.class).rows).isZero();
            assertThat(appliedVersions(context)).containsExactly("1", "2", "3", "4");
        }
        assertThat(output).contains("Flyway runs: no schema history \"PUBLIC\".\"flyway_schema_history\"");
    }

    @Test
    void aCurrentSchemaNeverBuildsFlyway(CapturedOutput output) {
        start().close();

        try (ConfigurableApplicationContext context = start()) {
            assertThat(flywayBuilt(context)).isFalse();
            assertThat(context.getBean(NewestTable.class).rows).isZero();
            // Boot's ordering, on our initializer: the database users wait for it, and not for the Flyway bean.
            for (String user : List.of("jdbcTemplate", "jdbcClient")) {
                assertThat(context.getBeanFactory().getBeanDefinition(user).getDependsOn())
                        .contains(SchemaConfiguration.INITIALIZER)
                        .doesNotContain(SchemaConfiguration.FLYWAY);
            }
            assertThat(context.containsBean("flywayInitializer")).isFalse();
        }
        assertThat(output).containsOnlyOnce(CURRENT);
    }

    @Test
    void aDatabaseOneMigrationBehindIsMigrated(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.update("delete from \"flyway_schema_history\" where \"version\" = '4'");
            jdbc.execute("drop table gateway_instance_status");
            jdbc.execute("drop table gatehouse_instance");
        }

        try (ConfigurableApplicationContext context = start()) {
            assertThat(flywayBuilt(context)).isTrue();
            assertThat(context.getBean(NewestTable.class).rows).isZero();
            assertThat(appliedVersions(context)).containsExactly("1", "2", "3", "4");
        }
        assertThat(output).contains("Flyway runs: V4 not applied (at V3)");
    }

    @Test
    void aTamperedChecksumFailsFlywaysValidationAsBefore(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start()) {
            context.getBean(JdbcTemplate.class)
                    .update("update \"flyway_schema_history\" set \"checksum\" = 12345 where \"version\" = '2'");
        }

        assertThatThrownBy(this::start)
                .rootCause()
                .isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch for migration version 2");
        assertThat(output)
                .contains("Flyway runs: history row 3 is not V2__operational_state_and_status_time.sql as bundled"
                        + " (checksum 12345, bundled 1477509852)");
    }

    @Test
    void aFlywayPropertyTheCheckDoesNotKnowLeavesTheStartToFlyway(CapturedOutput output) {
        start().close();

        try (ConfigurableApplicationContext context = start("--spring.flyway.validate-migration-naming=true")) {
            assertThat(flywayBuilt(context)).isTrue();
        }
        assertThat(output)
                .contains("Flyway runs: spring.flyway.validate-migration-naming is set")
                .doesNotContain(CURRENT);
    }

    @Test
    void aMigrationStrategyIsUsedAsBefore() {
        start().close();
        Strategy.calls.set(0);

        try (ConfigurableApplicationContext context = start(Strategy.class)) {
            assertThat(flywayBuilt(context)).isTrue();
            assertThat(Strategy.calls).hasValue(1);
        }
    }

    @Test
    void aHistoryInItsOwnSchemaIsFoundWhereFlywayKeepsIt(CapturedOutput output) {
        // H2 folds unquoted names to upper case; Flyway quotes, so its schema is the lower-case one.
        String schema = "--spring.flyway.schemas=gw_a";
        start(Bare.class, schema).close();

        try (ConfigurableApplicationContext context = start(Bare.class, schema)) {
            assertThat(flywayBuilt(context)).isFalse();
        }
        assertThat(output).containsOnlyOnce(CURRENT);
    }

    @Test
    void disabledFlywayRunsNothing() {
        try (ConfigurableApplicationContext context = start(Bare.class, "--spring.flyway.enabled=false")) {
            assertThat(context.getBeanNamesForType(SchemaInitializer.class)).isEmpty();
            assertThat(context.containsBean(SchemaConfiguration.FLYWAY)).isFalse();
            assertThat(context.getBean(JdbcClient.class)
                            .sql("select count(*) from information_schema.tables"
                                    + " where table_name = 'flyway_schema_history'")
                            .query(Integer.class)
                            .single())
                    .isZero();
        }
    }

    @Test
    void onPostgreSqlTheCheckReadsFlywaysQuotedSchema(CapturedOutput output) throws Exception {
        try (PrivatePostgres postgres = PrivatePostgres.start()) {
            String[] args = {
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=",
                "--spring.flyway.schemas=Gw_B"
            };
            try (ConfigurableApplicationContext context = start(Bare.class, args)) {
                assertThat(flywayBuilt(context)).isTrue();
            }
            try (ConfigurableApplicationContext context = start(Bare.class, args)) {
                assertThat(flywayBuilt(context)).isFalse();
            }
        }
        assertThat(output)
                .contains("Flyway runs: no schema history \"Gw_B\".\"flyway_schema_history\"")
                .containsOnlyOnce(CURRENT);
    }

    private ConfigurableApplicationContext start(String... args) {
        return start(App.class, args);
    }

    private ConfigurableApplicationContext start(Class<?> app, String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--logging.level.dev.gatehouse.schema=INFO"));
        all.addAll(List.of(args));
        if (all.stream().noneMatch(arg -> arg.startsWith("--spring.datasource.url="))) {
            all.add("--spring.datasource.url=" + h2Url());
        }
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(all.toArray(String[]::new));
    }

    private String h2Url() {
        return "jdbc:h2:file:" + dir.resolve("gatehouse") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private static boolean flywayBuilt(ConfigurableApplicationContext context) {
        return context.getBeanFactory().containsSingleton(SchemaConfiguration.FLYWAY);
    }

    private static List<String> appliedVersions(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class)
                .queryForList(
                        "select \"version\" from \"flyway_schema_history\" where \"type\" = 'SQL' and \"success\""
                                + " order by \"installed_rank\"",
                        String.class);
    }

    /** What Gatehouse's schema needs: a data source, its users, Spring Boot's Flyway and the initializer. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        DataSourceAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class,
        JdbcClientAutoConfiguration.class,
        FlywayAutoConfiguration.class
    })
    @Import(SchemaConfiguration.class)
    static class Bare {}

    @Configuration(proxyBeanMethods = false)
    @Import(Bare.class)
    static class App {

        @Bean
        NewestTable newestTable(JdbcClient jdbc) {
            return new NewestTable(jdbc);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(App.class)
    static class Strategy {

        static final AtomicInteger calls = new AtomicInteger();

        @Bean
        FlywayMigrationStrategy countingStrategy() {
            return flyway -> {
                calls.incrementAndGet();
                flyway.migrate();
            };
        }
    }

    /** Reads V4's table while it is made: fails when it is made before the migration. */
    static final class NewestTable {

        final int rows;

        NewestTable(JdbcClient jdbc) {
            rows = jdbc.sql("select count(*) from gatehouse_instance")
                    .query(Integer.class)
                    .single();
        }
    }
}
