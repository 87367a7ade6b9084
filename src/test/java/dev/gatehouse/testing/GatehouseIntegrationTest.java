package dev.gatehouse.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on a random API port with an in-memory H2 database, or the database named by
 * the environment variable {@code GATEHOUSE_TEST_DATASOURCE_URL} (CI runs the suite a second time on
 * PostgreSQL this way). Every integration test class uses this same configuration, so they share one
 * application context (and one data plane); tests keep apart by gateway names and listener ports.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=${GATEHOUSE_TEST_DATASOURCE_URL:jdbc:h2:mem:gatehouse-it;DB_CLOSE_DELAY=-1}",
            "spring.datasource.username=${GATEHOUSE_TEST_DATASOURCE_USERNAME:sa}",
            "spring.datasource.password=${GATEHOUSE_TEST_DATASOURCE_PASSWORD:}",
            "gatehouse.reconcile.resync-interval=5s",
            "gatehouse.reconcile.initial-backoff=200ms",
            "gatehouse.dataplane.drain-timeout=2s",
            "gatehouse.dataplane.access-log=true"
        })
public @interface GatehouseIntegrationTest {}
