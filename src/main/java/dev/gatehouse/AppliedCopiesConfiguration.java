package dev.gatehouse;

import dev.gatehouse.gateway.store.AppliedCopies;
import dev.gatehouse.gateway.store.SecretCipher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The applied copies the reconciler keeps: those {@link RestoreOnStart} read (it registers them before the context
 * refreshes, so they are there when this condition is evaluated), else, in a context started without it (tests),
 * new ones from the same settings.
 */
@Configuration(proxyBeanMethods = false)
class AppliedCopiesConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AppliedCopies appliedCopies(AppliedCopies.Settings settings, SecretCipher.Settings security) {
        return AppliedCopies.open(settings, security.encryptionKey());
    }
}
