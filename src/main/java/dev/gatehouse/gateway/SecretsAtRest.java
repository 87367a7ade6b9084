package dev.gatehouse.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * At start-up, before anything reads a gateway: refuses to start when stored secrets are encrypted and the
 * key is missing or another one (a clear error instead of failing applies later), and encrypts secrets still
 * stored in plaintext once a key is configured.
 */
@Component
class SecretsAtRest implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);

    private final GatewayStore store;
    private volatile boolean running;

    SecretsAtRest(GatewayStore store) {
        this.store = store;
    }

    @Override
    public void start() {
        int encrypted = store.checkAndEncryptSecrets();
        if (encrypted > 0) {
            log.info("Encrypted the certificate secrets of {} gateway(s) stored in plaintext", encrypted);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before {@link Instances} and the reconciler. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
