package dev.gatehouse.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority for TLS tests, made with the {@code openssl} CLI (3.0 or later)
 * in a private temp dir. Each instance is one CA with its own ECDSA P-256 key and a unique subject
 * ({@code CN=Gatehouse Test CA <random hex>}), so a second {@link #newAuthority()} is an independent,
 * untrusted root for "wrong trust root" tests. {@link #close()} deletes the temp dir and every file
 * handed out.
 *
 * <p>Validity: the CA is valid from 7 days ago to 60 days ahead. {@link #server} leaves are valid
 * from 1 hour ago to 30 days ahead; {@link #expiredServer} leaves from 3 days ago to 1 day ago (so
 * only the leaf is expired, never the CA). All certificates are signed with {@code openssl ca}
 * because it takes explicit {@code -startdate}/{@code -enddate}: in OpenSSL 3.0, {@code x509 -req}
 * only has {@code -days} (counted from now) and {@code -not_before}/{@code -not_after} arrived in
 * 3.4.
 *
 * <p>Every method throws unchecked exceptions: {@link IllegalStateException} with openssl's output
 * when a command fails, {@link UncheckedIOException} for file errors.
 */
public final class TestCertificates implements AutoCloseable {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final DateTimeFormatter OPENSSL_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

    /** Relative paths only: openssl runs in {@link #dir}, and "$" in a path would be expanded. */
    private static final String CA_CONFIG = """
            [ca]
            default_ca = test_ca

            [test_ca]
            database = db/index.txt
            new_certs_dir = db
            serial = db/serial
            rand_serial = yes
            default_md = sha256
            policy = policy_cn
            unique_subject = no
            email_in_dn = no
            copy_extensions = none

            [policy_cn]
            commonName = supplied

            [ca_ext]
            basicConstraints = critical,CA:true
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """;

    private final Path dir;
    private final String name;
    private final Path caKey;
    private final Path caPem;
    private final X509Certificate caCertificate;
    private final String caPemText;
    private int issuedCount;

    private TestCertificates(String commonName) {
        // Certificates are made with the openssl CLI: without it the test is skipped loudly (failed in CI).
        RealReceivers.assumeAvailable("openssl");
        try {
            this.dir = Files.createTempDirectory("gatehouse-certs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            this.name = commonName;
            Files.createDirectories(dir.resolve("db"));
            Files.writeString(dir.resolve("db/index.txt"), "");
            Files.writeString(dir.resolve("ca.cnf"), CA_CONFIG);
            this.caKey = dir.resolve("ca.key");
            this.caPem = dir.resolve("ca.pem");
            Instant now = Instant.now();
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key");
            openssl("req", "-new", "-key", "ca.key", "-subj", "/CN=" + commonName, "-out", "ca.csr");
            openssl(
                    "ca",
                    "-config",
                    "ca.cnf",
                    "-batch",
                    "-notext",
                    "-selfsign",
                    "-keyfile",
                    "ca.key",
                    "-in",
                    "ca.csr",
                    "-startdate",
                    time(now.minus(Duration.ofDays(7))),
                    "-enddate",
                    time(now.plus(Duration.ofDays(60))),
                    "-extensions",
                    "ca_ext",
                    "-out",
                    "ca.pem");
            this.caCertificate = parse(caPem);
            this.caPemText = read(caPem);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** A new, independent CA. Close it when done. */
    public static TestCertificates newAuthority() {
        return newAuthority("Gatehouse Test CA "
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    /** A new, independent CA with subject {@code CN=commonName}. Close it when done. */
    public static TestCertificates newAuthority(String commonName) {
        return new TestCertificates(commonName);
    }

    /** The CA certificate, PEM. */
    public Path caPem() {
        return caPem;
    }

    /** The CA certificate as PEM text ({@code -----BEGIN CERTIFICATE-----...}). */
    public String caPemText() {
        return caPemText;
    }

    /** Base64 of the DER CA certificate (a {@code .cer} file's content), no line breaks. */
    public String caDerBase64() {
        try {
            return Base64.getEncoder().encodeToString(caCertificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The CA's subject common name. */
    public String name() {
        return name;
    }

    /** A client {@link SSLContext} that trusts this CA only (PKIX, so expiry and chain are checked). */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCertificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A server leaf (ECDSA P-256) for {@code dnsNamesOrIps}: each becomes a subjectAltName entry,
     * {@code IP:} for IPv4/IPv6 literals, {@code DNS:} otherwise; the first is also the subject CN.
     * extendedKeyUsage serverAuth; valid from 1 hour ago to 30 days ahead.
     */
    public Issued server(String... dnsNamesOrIps) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), dnsNamesOrIps);
    }

    /** Like {@link #server} but expired: valid from 3 days ago to 1 day ago. */
    public Issued expiredServer(String... dnsNamesOrIps) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), dnsNamesOrIps);
    }

    /**
     * A client leaf (ECDSA P-256) with subject {@code CN=commonName} and subjectAltName {@code DNS:commonName};
     * extendedKeyUsage clientAuth; valid from 1 hour ago to 30 days ahead.
     */
    public Issued client(String commonName) {
        Instant now = Instant.now();
        return issue("clientAuth", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), commonName);
    }

    private Issued issue(Instant notBefore, Instant notAfter, String... names) {
        return issue("serverAuth", notBefore, notAfter, names);
    }

    private synchronized Issued issue(String keyUsage, Instant notBefore, Instant notAfter, String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("at least one DNS name or IP address is needed");
        }
        String leaf = "server-" + (++issuedCount);
        try {
            Path leafDir = Files.createDirectories(dir.resolve(leaf));
            String san =
                    Stream.of(names).map(n -> (isIp(n) ? "IP:" : "DNS:") + n).collect(Collectors.joining(","));
            Files.writeString(
                    leafDir.resolve("ext.cnf"),
                    "[server_ext]\n"
                            + "basicConstraints = critical,CA:false\n"
                            + "keyUsage = critical,digitalSignature\n"
                            + "extendedKeyUsage = " + keyUsage + "\n"
                            + "subjectAltName = " + san + "\n"
                            + "subjectKeyIdentifier = hash\n"
                            + "authorityKeyIdentifier = keyid\n");
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", leaf + "/key.pem");
            openssl("req", "-new", "-key", leaf + "/key.pem", "-subj", "/CN=" + names[0], "-out", leaf + "/req.csr");
            openssl(
                    "ca",
                    "-config",
                    "ca.cnf",
                    "-batch",
                    "-notext",
                    "-cert",
                    "ca.pem",
                    "-keyfile",
                    "ca.key",
                    "-in",
                    leaf + "/req.csr",
                    "-startdate",
                    time(notBefore),
                    "-enddate",
                    time(notAfter),
                    "-extfile",
                    leaf + "/ext.cnf",
                    "-extensions",
                    "server_ext",
                    "-out",
                    leaf + "/cert.pem");
            Path cert = leafDir.resolve("cert.pem");
            Path key = leafDir.resolve("key.pem");
            String certText = read(cert);
            Path chain = Files.writeString(leafDir.resolve("chain.pem"), certText + caPemText);
            Path combined = Files.writeString(leafDir.resolve("combined.pem"), certText + caPemText + read(key));
            return new Issued(this, leafDir, List.of(names), cert, key, chain, combined, parse(cert));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the temp dir with the CA and every issued certificate. */
    @Override
    public void close() {
        delete(dir);
    }

    /** A leaf certificate with its key, issued by {@link #authority()}. Its files live until the CA is closed. */
    public static final class Issued {
        private final TestCertificates authority;
        private final Path dir;
        private final List<String> names;
        private final Path certPem;
        private final Path keyPem;
        private final Path chainPem;
        private final Path combinedPem;
        private final X509Certificate certificate;
        private int pfxCount;

        private Issued(
                TestCertificates authority,
                Path dir,
                List<String> names,
                Path certPem,
                Path keyPem,
                Path chainPem,
                Path combinedPem,
                X509Certificate certificate) {
            this.authority = authority;
            this.dir = dir;
            this.names = names;
            this.certPem = certPem;
            this.keyPem = keyPem;
            this.chainPem = chainPem;
            this.combinedPem = combinedPem;
            this.certificate = certificate;
        }

        public TestCertificates authority() {
            return authority;
        }

        /** The names it was issued for, in order (the first is the subject CN). */
        public List<String> names() {
            return names;
        }

        /** The DNS names among {@link #names()} (IP literals left out): what a client can send as SNI. */
        public List<String> dnsNames() {
            return names.stream().filter(n -> !isIp(n)).toList();
        }

        /** The leaf certificate, PEM. */
        public Path certPem() {
            return certPem;
        }

        /** The private key, unencrypted PKCS#8 PEM. */
        public Path keyPem() {
            return keyPem;
        }

        /** Leaf then CA certificate, PEM (nginx {@code ssl_certificate}). */
        public Path chainPem() {
            return chainPem;
        }

        /** Leaf certificate, CA certificate, then private key, PEM (HAProxy {@code crt}). */
        public Path combinedPem() {
            return combinedPem;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /**
         * A client {@link SSLContext} presenting this certificate (with its chain) and trusting {@code server}'s
         * CA only: a client of a listener that asks for client certificates.
         */
        public SSLContext clientContext(TestCertificates server) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(new ByteArrayInputStream(Base64.getDecoder().decode(pfxBase64("pw"))), "pw".toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, "pw".toCharArray());
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", server.caCertificate());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server {@link SSLContext} presenting this certificate (with its chain): a TLS backend in a test. */
        public SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(new ByteArrayInputStream(Base64.getDecoder().decode(pfxBase64("pw"))), "pw".toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, "pw".toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Base64 PKCS#12 with the private key, the leaf and the CA (OpenSSL 3 defaults: AES-256-CBC,
         * PBKDF2, SHA-256 MAC). Java's {@code KeyStore.getInstance("PKCS12")} opens it with
         * {@code password}; the key entry's alias is {@code server}.
         */
        public String pfxBase64(String password) {
            return pfx(
                    password, "-inkey", keyPem.toString(), "-certfile", authority.caPem.toString(), "-name", "server");
        }

        /**
         * Base64 PKCS#12 with the leaf certificate only ({@code -nokeys}). Java opens it with
         * {@code password} but sees no entries at all: it only lists certificate-only entries that carry
         * its own "trusted key usage" attribute, which OpenSSL before 3.2 cannot write.
         */
        public String pfxBase64WithoutKey(String password) {
            return pfx(password, "-nokeys");
        }

        private String pfx(String password, String... options) {
            synchronized (authority) {
                Path out = dir.resolve("bundle-" + (++pfxCount) + ".p12");
                List<String> args = new ArrayList<>(List.of("pkcs12", "-export", "-in", certPem.toString()));
                args.addAll(List.of(options));
                args.addAll(List.of("-passout", "pass:" + password, "-out", out.toString()));
                authority.openssl(args.toArray(String[]::new));
                try {
                    return Base64.getEncoder().encodeToString(Files.readAllBytes(out));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public String toString() {
            return "Issued" + names + " by " + authority.name + " (" + certificate.getNotBefore() + " .. "
                    + certificate.getNotAfter() + ")";
        }
    }

    /** Runs openssl in {@link #dir}, stdin closed, output to a file so that the timeout holds. */
    private synchronized void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path output = dir.resolve("openssl-output.txt");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (is it installed and on PATH?): " + e, e);
        }
        try {
            process.getOutputStream().close(); // a prompt for a pass phrase fails instead of hanging
            if (!process.waitFor(OPENSSL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("openssl did not finish within " + OPENSSL_TIMEOUT.toSeconds() + " s: "
                        + redact(command) + "\n--- openssl output ---\n" + read(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl failed with exit code " + process.exitValue() + " in "
                        + dir + ": " + redact(command) + "\n--- openssl output (stderr and stdout) ---\n"
                        + read(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + redact(command), e);
        } finally {
            process.destroyForcibly(); // a no-op once it has exited
        }
    }

    /** Test passwords are not secrets, but keep them out of failure messages anyway. */
    private static String redact(List<String> command) {
        return command.stream().map(a -> a.startsWith("pass:") ? "pass:***" : a).collect(Collectors.joining(" "));
    }

    private static boolean isIp(String name) {
        return IPV4.matcher(name).matches() || IPV6.matcher(name).matches();
    }

    private static String time(Instant instant) {
        return OPENSSL_TIME.format(instant);
    }

    private static X509Certificate parse(Path pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
        } catch (CertificateException e) {
            throw new IllegalStateException("openssl wrote an unreadable certificate " + pem, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1); // never malformed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp dir
        }
    }
}
