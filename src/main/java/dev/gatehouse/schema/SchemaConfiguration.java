package dev.gatehouse.schema;

import java.util.Arrays;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts the {@link SchemaInitializer} in place of Spring Boot's {@code flywayInitializer} and makes Boot's
 * {@code flyway} bean lazy, so that a start on a current schema never builds Flyway. Everything else of
 * {@link FlywayAutoConfiguration} stays: when Flyway is needed, it is Boot's bean from the {@code spring.flyway.*}
 * properties. Does nothing when Boot made no {@code flywayInitializer} ({@code spring.flyway.enabled=false}, or an
 * application's own Flyway or initializer bean).
 */
@Configuration(proxyBeanMethods = false)
class SchemaConfiguration {

    static final String INITIALIZER = "schemaInitializer";
    static final String FLYWAY = "flyway";
    private static final String BOOTS_INITIALIZER = "flywayInitializer";
    private static final String BOOTS_CONFIGURATION = FlywayAutoConfiguration.class.getName() + "$FlywayConfiguration";

    @Bean
    static BeanDefinitionRegistryPostProcessor schemaInitializerInPlaceOfBoots() {
        return new InPlaceOfBootsInitializer();
    }

    @Bean
    static BeanFactoryPostProcessor flywayOnlyOnDemand() {
        return new FlywayOnlyOnDemand();
    }

    private static final class InPlaceOfBootsInitializer implements BeanDefinitionRegistryPostProcessor {

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (!registry.containsBeanDefinition(BOOTS_INITIALIZER) || !registry.containsBeanDefinition(FLYWAY)) {
                return;
            }
            BeanDefinition boots = registry.getBeanDefinition(BOOTS_INITIALIZER);
            if (!BOOTS_CONFIGURATION.equals(boots.getFactoryBeanName())) {
                return;
            }
            registry.removeBeanDefinition(BOOTS_INITIALIZER);
            registry.getBeanDefinition(FLYWAY).setLazyInit(true);
            registry.registerBeanDefinition(INITIALIZER, new RootBeanDefinition(SchemaInitializer.class));
        }
    }

    /**
     * Spring Boot counts the {@code flyway} bean itself as a database initializer too ({@code
     * FlywayDatabaseInitializerDetector}): its {@code DatabaseInitializationDependencyConfigurer} (order 0) makes every
     * database user, and the {@link SchemaInitializer} as the next initializer, depend on it, which would build Flyway
     * at every start. Runs after it and takes {@code flyway} out of exactly those beans' depends-on (the initializer's,
     * and every bean that waits for the initializer): they wait for the initializer alone, which runs Flyway first
     * when it must.
     */
    private static final class FlywayOnlyOnDemand implements BeanFactoryPostProcessor, Ordered {

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            if (!beanFactory.containsBeanDefinition(INITIALIZER)) {
                return;
            }
            for (String name : beanFactory.getBeanDefinitionNames()) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                String[] dependsOn = definition.getDependsOn();
                if (dependsOn == null) {
                    continue;
                }
                boolean afterInitializer = Arrays.asList(dependsOn).contains(INITIALIZER);
                if (name.equals(INITIALIZER) || afterInitializer) {
                    definition.setDependsOn(Arrays.stream(dependsOn)
                            .filter(bean -> !bean.equals(FLYWAY))
                            .toArray(String[]::new));
                }
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
