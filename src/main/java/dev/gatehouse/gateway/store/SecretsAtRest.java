package dev.gatehouse.gateway.store;

import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.replicas.Instances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, before anything reads a gateway: refuses to start when stored secrets are encrypted and the
 * key is missing or another one (a clear error instead of failing applies later), and encrypts secrets still
 * stored in plaintext once a key is configured. Reads take no row locks: only a gateway that must be rewritten
 * is locked, so a start-up with nothing to encrypt writes nothing; the etag and generation never change.
 */
@Component
class SecretsAtRest implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);

    private final GatewayRows rows;
    private final StoredDocuments documents;
    private final TransactionTemplate tx;
    private final TransactionTemplate readTx;
    private volatile boolean running;

    SecretsAtRest(GatewayRows rows, StoredDocuments documents, PlatformTransactionManager transactions) {
        this.rows = rows;
        this.documents = documents;
        this.tx = new TransactionTemplate(transactions);
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
    }

    @Override
    public void start() {
        int encrypted = checkAndEncrypt();
        if (encrypted > 0) {
            log.info("Encrypted the certificate secrets of {} gateway(s) stored in plaintext", encrypted);
        }
        running = true;
    }

    /** Reads every stored gateway's secrets and encrypts those still in plaintext; returns how many it encrypted. */
    int checkAndEncrypt() {
        int encrypted = 0;
        for (String key : readTx.execute(status -> rows.allKeys())) {
            String text = readTx.execute(
                    status -> rows.find(key).map(GatewayRow::document).orElse(null));
            if (text == null) {
                continue;
            }
            ApplicationGateway stored = documents.parse(text);
            documents.decrypted(stored); // throws MissingKey when the secrets cannot be read
            if (documents.needsEncryption(stored)) {
                // Decided again under the lock: a write may have changed the document since.
                encrypted += tx.execute(status -> rows.lock(key)
                        .map(row -> {
                            ApplicationGateway current = documents.parse(row.document());
                            if (!documents.needsEncryption(current)) {
                                return 0;
                            }
                            rows.update(row.reencrypted(documents.reencrypted(current)));
                            return 1;
                        })
                        .orElse(0));
            }
        }
        return encrypted;
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
