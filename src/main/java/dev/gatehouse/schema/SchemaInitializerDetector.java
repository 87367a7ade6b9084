package dev.gatehouse.schema;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Makes every bean that uses the database (JdbcClient, JdbcTemplate and whatever injects them) wait for the
 * {@link SchemaInitializer}, as Spring Boot's own detector does for its {@code flywayInitializer}. Registered in
 * {@code META-INF/spring.factories}.
 */
class SchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(SchemaInitializer.class);
    }

    // After the Flyway bean's own detector (order 0), as Spring Boot orders its initializer's.
    @Override
    public int getOrder() {
        return 1;
    }
}
