package dev.gatehouse.gateway.rules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Reading the certificates a document carries: a listener's PKCS#12 (PFX) with its password, and the
 * public certificates of trusted roots. Pure functions of their input, used by the rules (to refuse what
 * cannot be served), by the store (to compute {@code publicCertData}) and by the translator.
 */
public final class Certificates {

    private Certificates() {}

    /** Why a certificate could not be used; {@code code} is a stable rule code. */
    public static final class Unusable extends Exception {

        private final String code;

        Unusable(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** A PFX opened: its private key and certificate chain, leaf first. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    /** Opens a base64 PKCS#12 with its password; refuses one without a private key or with an expired leaf. */
    public static Identity openPfx(String base64, String password, Instant now) throws Unusable {
        byte[] der = decodeBase64(base64);
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(der), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new Unusable(
                        RuleCodes.CERTIFICATE_PASSWORD_INCORRECT,
                        "The PFX could not be opened with the given password.");
            }
            throw new Unusable(
                    RuleCodes.INVALID_CERTIFICATE_DATA,
                    "The data is not a PKCS#12 (PFX) file"
                            + (e.getMessage() == null ? "." : ": " + e.getMessage() + "."));
        } catch (GeneralSecurityException e) {
            throw new Unusable(
                    RuleCodes.INVALID_CERTIFICATE_DATA, "The PFX could not be read: " + e.getMessage() + ".");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, secret);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    List<X509Certificate> certs = new ArrayList<>();
                    for (Certificate c : chain) {
                        certs.add((X509Certificate) c);
                    }
                    checkKeyMatches(privateKey, certs.get(0));
                    Instant notAfter = certs.get(0).getNotAfter().toInstant();
                    if (notAfter.isBefore(now)) {
                        throw new Unusable(
                                RuleCodes.CERTIFICATE_EXPIRED,
                                "The certificate '"
                                        + certs.get(0).getSubjectX500Principal().getName() + "' expired at " + notAfter
                                        + ".");
                    }
                    return new Identity(privateKey, List.copyOf(certs));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Unusable(
                    RuleCodes.CERTIFICATE_PASSWORD_INCORRECT,
                    "The private key in the PFX could not be " + "opened with the given password.");
        }
        throw new Unusable(
                RuleCodes.CERTIFICATE_HAS_NO_PRIVATE_KEY,
                "The PFX holds no private key with a " + "certificate; a listener certificate needs both.");
    }

    /** Signs a challenge with the key and verifies it with the certificate: they must be one pair. */
    private static void checkKeyMatches(PrivateKey key, X509Certificate cert) throws Unusable {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default ->
                throw new Unusable(
                        RuleCodes.UNSUPPORTED_CERTIFICATE_KEY,
                        "The certificate's key is " + key.getAlgorithm()
                                + "; listener certificates need an RSA or EC (ECDSA) key.");
        };
        try {
            byte[] challenge = "gatehouse key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new Unusable(
                        RuleCodes.CERTIFICATE_KEY_MISMATCH,
                        "The private key in the PFX does not belong " + "to its certificate '"
                                + cert.getSubjectX500Principal().getName() + "'.");
            }
        } catch (GeneralSecurityException e) {
            throw new Unusable(
                    RuleCodes.CERTIFICATE_KEY_MISMATCH,
                    "The private key in the PFX does not belong to " + "its certificate: " + e.getMessage() + ".");
        }
    }

    /** Base64 of the chain as a PKCS#7 (.p7b) structure, the form ARM returns as {@code publicCertData}. */
    public static String publicCertData(Identity identity) {
        try {
            byte[] p7b = CertificateFactory.getInstance("X.509")
                    .generateCertPath(identity.chain())
                    .getEncoded("PKCS7");
            return Base64.getEncoder().encodeToString(p7b);
        } catch (CertificateException e) {
            throw new IllegalStateException("a parsed chain is always encodable", e);
        }
    }

    /**
     * Reads a trusted root: base64 of DER, base64 of PEM, or PEM text. Returns the DER encoding.
     */
    public static X509Certificate readCertificate(String data) throws Unusable {
        byte[] bytes =
                data.strip().startsWith("-----BEGIN") ? data.getBytes(StandardCharsets.US_ASCII) : decodeBase64(data);
        try {
            Certificate c =
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(bytes));
            return (X509Certificate) c;
        } catch (CertificateException | ClassCastException e) {
            throw new Unusable(
                    RuleCodes.INVALID_CERTIFICATE_DATA,
                    "The data is not an X.509 certificate (base64 DER " + "or PEM).");
        }
    }

    /**
     * Reads trusted client certificates: one certificate or a chain, as PEM text, base64 of PEM, or base64
     * DER. Never empty.
     */
    public static List<X509Certificate> readCertificates(String data) throws Unusable {
        byte[] bytes =
                data.strip().startsWith("-----BEGIN") ? data.getBytes(StandardCharsets.US_ASCII) : decodeBase64(data);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c :
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (!out.isEmpty()) {
                return out;
            }
        } catch (CertificateException | ClassCastException e) {
            // reported below
        }
        throw new Unusable(
                RuleCodes.INVALID_CERTIFICATE_DATA,
                "The data is not an X.509 certificate or chain (base64 DER or PEM).");
    }

    private static byte[] decodeBase64(String base64) throws Unusable {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Unusable(RuleCodes.INVALID_CERTIFICATE_DATA, "The data is not base64: " + e.getMessage() + ".");
        }
    }
}
