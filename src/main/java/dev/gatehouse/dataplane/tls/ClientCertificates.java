package dev.gatehouse.dataplane.tls;

import dev.gatehouse.dataplane.ServerTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager that verifies client certificates on a Tls listener: the chain must lead to one of the
 * trusted certificates (PKIX, as the JDK verifies), and, when issuer names are given, the client certificate's
 * issuer must be one of them. Revocation is not checked. Thread-safe.
 */
final class ClientCertificates {

    private ClientCertificates() {}

    static TrustManager trustManager(ServerTls.ClientAuth auth) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        int n = 0;
        for (String der : auth.trustedCertificates()) {
            anchors.setCertificateEntry(
                    "client-ca-" + n++,
                    factory.generateCertificate(
                            new ByteArrayInputStream(Base64.getMimeDecoder().decode(der))));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        X509ExtendedTrustManager pkix = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        return auth.issuerNames().isEmpty() ? pkix : new IssuerChecking(pkix, auth);
    }

    /** PKIX, then the client certificate's issuer name. Only the client side is ever asked. */
    private static final class IssuerChecking extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager pkix;
        private final ServerTls.ClientAuth auth;

        IssuerChecking(X509ExtendedTrustManager pkix, ServerTls.ClientAuth auth) {
            this.pkix = pkix;
            this.auth = auth;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, engine);
            checkIssuer(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, socket);
            checkIssuer(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
            checkIssuer(chain);
        }

        private void checkIssuer(X509Certificate[] chain) throws CertificateException {
            String issuer = chain[0].getIssuerX500Principal().getName();
            if (!auth.issuerNames().contains(issuer)) {
                throw new CertificateException(
                        "the client certificate's issuer " + issuer + " is not one of " + auth.issuerNames());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a listener's trust manager verifies clients only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a listener's trust manager verifies clients only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a listener's trust manager verifies clients only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
