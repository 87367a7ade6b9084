package dev.gatehouse.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.dataplane.ServerTls;
import dev.gatehouse.testing.TestCertificates;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trust manager of listeners that require client certificates: the chain, then the issuer's name. */
class ClientCertificatesTests {

    static TestCertificates first;
    static TestCertificates second;
    static TestCertificates stranger;

    @BeforeAll
    static void authorities() {
        first = TestCertificates.newAuthority("First client CA");
        second = TestCertificates.newAuthority("Second client CA");
        stranger = TestCertificates.newAuthority("Stranger CA");
    }

    @AfterAll
    static void removeAuthorities() {
        first.close();
        second.close();
        stranger.close();
    }

    private static X509Certificate[] chain(TestCertificates ca, String name) {
        return new X509Certificate[] {ca.client(name).certificate(), ca.caCertificate()};
    }

    @Test
    void aChainToAnyTrustedCertificateIsAcceptedAndOthersAreNot() throws Exception {
        X509TrustManager tm = (X509TrustManager) ClientCertificates.trustManager(
                new ServerTls.ClientAuth(List.of(first.caDerBase64(), second.caDerBase64()), List.of()));

        assertThatCode(() -> tm.checkClientTrusted(chain(first, "a"), "EC")).doesNotThrowAnyException();
        assertThatCode(() -> tm.checkClientTrusted(chain(second, "b"), "EC")).doesNotThrowAnyException();
        assertThatThrownBy(() -> tm.checkClientTrusted(chain(stranger, "c"), "EC"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void withIssuerNamesTheClientCertificatesIssuerMustBeOneOfThemAsWell() throws Exception {
        X509TrustManager tm = (X509TrustManager) ClientCertificates.trustManager(new ServerTls.ClientAuth(
                List.of(first.caDerBase64(), second.caDerBase64()),
                List.of(first.caCertificate().getSubjectX500Principal().getName())));

        assertThatCode(() -> tm.checkClientTrusted(chain(first, "a"), "EC")).doesNotThrowAnyException();
        assertThatThrownBy(() -> tm.checkClientTrusted(chain(second, "b"), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("issuer");
    }
}
