package dev.gatehouse.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts real PROXY protocol v1 receivers (nginx and HAProxy) as test backends. Each one replies
 * with the client address it parsed from the header. A parser written in the test would only show
 * that Gatehouse agrees with itself. These receivers show that servers people actually run behind
 * a proxy accept the header.
 *
 * <p>Each receiver is a foreground child process with its config and logs in a private temp dir.
 * The system config and {@code /var/log} are never used. The process gets a free port. It counts as
 * ready once it has correctly answered a probe that sends
 * {@code PROXY TCP4 198.51.100.99 127.0.0.1 1 1}, so each log contains one line for the probe. The
 * probe has to send a valid header because nginx logs a bare connect-and-close as
 * {@code broken header: ""}.
 *
 * <ul>
 *   <li><b>nginx</b> ({@code stream} module, {@code listen ... proxy_protocol}): the client sends
 *       only the PROXY header. The reply is {@code "<addr> <port>\n"}, then the connection is
 *       closed. A rejected header is logged as
 *       {@code [error] ... broken header: "..." while reading PROXY protocol}, and the connection
 *       is reset.
 *   <li><b>HAProxy</b> ({@code mode http}, {@code bind ... accept-proxy}): after the header, the
 *       client must send {@link RealReceiver#clientRequest()} ({@code "GET / HTTP/1.0\r\n\r\n"}).
 *       The reply is an HTTP 200 response whose body is {@code "<addr> <port>\n"}. HAProxy logs to
 *       its stderr ({@code log stderr format raw}), and a rejection appears as
 *       {@code <peer> [date] echo/1: Received an invalid PROXY protocol header}, or
 *       {@code ...something which does not look like a PROXY protocol header}.
 * </ul>
 *
 * <p><b>TLS variants</b> ({@link #startNginxTls}, {@link #startHaproxyTls}) serve a
 * {@link TestCertificates.Issued} certificate with its CA (chain of 2), TLS 1.2 and 1.3. The client
 * sends the PROXY header in cleartext first, then does the TLS handshake on the same connection (see
 * {@link #tlsOver}; header and ClientHello may share one TCP segment), then sends
 * {@link RealReceiver#clientRequest()} inside TLS. The reply, inside TLS, has the SNI the client sent
 * appended: {@code "<addr> <port> <sni>\n"}, or {@code "<addr> <port> \n"} without SNI. Neither
 * server checks the SNI against its certificate. The probe sends SNI
 * {@link TestCertificates.Issued#dnsNames()}{@code .get(0)} (none if there is no DNS name) and pins
 * the served leaf instead of validating it, so expired and foreign-CA certificates can be served too.
 * Failures, as logged:
 *
 * <ul>
 *   <li>nginx, client rejects the certificate ({@code [info]}):
 *       {@code SSL_do_handshake() failed (SSL: error:0A000416:SSL routines::sslv3 alert certificate
 *       unknown:SSL alert number 46) while SSL handshaking} from a JDK client (an OpenSSL client
 *       sends {@code tlsv1 alert unknown ca:SSL alert number 48}; a JDK client rejecting an expired
 *       certificate sends {@code sslv3 alert certificate expired:SSL alert number 45}).
 *   <li>nginx, TLS without a PROXY header: {@code [error] ... broken header: "<raw ClientHello
 *       bytes>" while reading PROXY protocol}; the client sees a connection reset.
 *   <li>HAProxy, client rejects the certificate: {@code <addr:port from the PROXY header> [date]
 *       echo/1: SSL handshake failure}.
 *   <li>HAProxy, TLS without a PROXY header: {@code <peer> [date] echo/1: Received something which
 *       does not look like a PROXY protocol header}; the client sees a connection reset.
 * </ul>
 *
 * <p>A successful TLS request shows in HAProxy's log with frontend {@code echo~} (the tilde marks
 * TLS); nginx logs only {@code client ... connected}.
 *
 * <p>Assert on {@link RealReceiver#log()} after {@link RealReceiver#close()}, for example "no
 * broken header". {@code close()} waits for the process to exit, so every log line is on disk.
 */
public final class RealReceivers {

    /** Set to {@code true} (e.g. in CI) to fail instead of skip when a receiver is missing. */
    public static final String REQUIRED_PROPERTY = "gatehouse.interop.required";

    private static final String PROBE = "PROXY TCP4 198.51.100.99 127.0.0.1 1 1\r\n";
    private static final String PROBE_REPLY = "198.51.100.99 1\n";
    private static final String HAPROXY_REQUEST = "GET / HTTP/1.0\r\n\r\n";
    private static final Path NGINX_STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
    private static final List<String> SBIN_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");
    /** How long a receiver may take to start answering. */
    private static final int START_SECONDS = 30;

    private RealReceivers() {}

    /**
     * Skips the calling test, loudly, if {@code binary} is not on PATH or in an sbin directory. It
     * fails instead if the system property {@value #REQUIRED_PROPERTY} is {@code true}.
     */
    public static void assumeAvailable(String binary) {
        if (findBinary(binary).isPresent()) {
            return;
        }
        skipLoudly(binary + " not installed; interop test did not run");
    }

    /**
     * Skips the calling test with {@code msg}, printed as a {@code *** SKIPPED ***} line, or fails it instead when
     * the system property {@value #REQUIRED_PROPERTY} is {@code true} (CI). Always throws.
     */
    public static void skipLoudly(String msg) {
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            throw new AssertionError(msg + " (-D" + REQUIRED_PROPERTY + "=true)");
        }
        System.err.println("*** SKIPPED: " + msg + " ***");
        Assumptions.abort(msg);
    }

    public static RealReceiver startNginx() throws IOException {
        return startNginx("127.0.0.1");
    }

    /** nginx stream server on {@code bindAddress} ("127.0.0.1" or "::1") with proxy_protocol. */
    public static RealReceiver startNginx(String bindAddress) throws IOException {
        return nginx(bindAddress, null);
    }

    /**
     * nginx stream server on {@code bindAddress} with {@code ssl proxy_protocol}, serving
     * {@code cert}'s chain. Reply: {@code "$proxy_protocol_addr $proxy_protocol_port $ssl_server_name\n"}.
     */
    public static RealReceiver startNginxTls(String bindAddress, TestCertificates.Issued cert) throws IOException {
        return nginx(bindAddress, cert);
    }

    private static RealReceiver nginx(String bindAddress, TestCertificates.Issued cert) throws IOException {
        Path dir = Files.createTempDirectory("gatehouse-nginx-");
        Path errorLog = dir.resolve("error.log");
        int port = FreePorts.next(bindAddress);
        String server = cert == null
                ? "    listen " + hostPort(bindAddress, port) + " proxy_protocol;\n"
                        + "    return \"$proxy_protocol_addr $proxy_protocol_port\\n\";\n"
                : "    listen " + hostPort(bindAddress, port) + " ssl proxy_protocol;\n"
                        + "    ssl_protocols TLSv1.2 TLSv1.3;\n" // nginx 1.22 defaults to TLSv1-1.2
                        + "    ssl_certificate \"" + cert.chainPem() + "\";\n"
                        + "    ssl_certificate_key \"" + cert.keyPem() + "\";\n"
                        + "    return \"$proxy_protocol_addr $proxy_protocol_port $ssl_server_name\\n\";\n";
        String config = (Files.exists(NGINX_STREAM_MODULE) // otherwise assume it is built in
                        ? "load_module " + NGINX_STREAM_MODULE + ";\n"
                        : "")
                + "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                + "pid \"" + dir.resolve("nginx.pid") + "\";\n"
                + "error_log \"" + errorLog + "\" info;\n"
                + "events { worker_connections 64; }\n"
                + "stream {\n  server {\n" + server + "  }\n}\n";
        Path conf = Files.writeString(dir.resolve("nginx.conf"), config);
        return start(
                "nginx",
                dir,
                errorLog,
                bindAddress,
                port,
                "",
                cert,
                config,
                "-e",
                errorLog.toString(),
                "-p",
                dir + "/",
                "-c",
                conf.toString());
    }

    public static RealReceiver startHaproxy() throws IOException {
        return startHaproxy("127.0.0.1");
    }

    /** HAProxy HTTP frontend on {@code bindAddress} ("127.0.0.1" or "::1") with accept-proxy. */
    public static RealReceiver startHaproxy(String bindAddress) throws IOException {
        return haproxy(bindAddress, null, "");
    }

    /**
     * HAProxy HTTP frontend on {@code bindAddress} with accept-proxy (v1 and v2; it checks a v2 header's CRC32C
     * and TLV bounds), whose reply body is {@code samples} (HAProxy log-format, for example
     * {@code "%[fc_pp_authority] %[fc_pp_unique_id] "}; an absent sample is empty) followed by
     * {@code "%[src] %[src_port]\n"}.
     */
    public static RealReceiver startHaproxyEcho(String bindAddress, String samples) throws IOException {
        return haproxy(bindAddress, null, samples);
    }

    /**
     * HAProxy HTTP frontend on {@code bindAddress} with {@code accept-proxy ssl crt}, serving
     * {@code cert}'s {@link TestCertificates.Issued#combinedPem() combined PEM}. Reply body:
     * {@code "%[src] %[src_port] %[ssl_fc_sni]\n"}.
     */
    public static RealReceiver startHaproxyTls(String bindAddress, TestCertificates.Issued cert) throws IOException {
        return haproxy(bindAddress, cert, "");
    }

    private static RealReceiver haproxy(String bindAddress, TestCertificates.Issued cert, String samples)
            throws IOException {
        Path dir = Files.createTempDirectory("gatehouse-haproxy-");
        int port = FreePorts.next(bindAddress);
        String config = "global\n  nbthread 1\n  log stderr format raw local0 info\n\n"
                + "defaults\n  mode http\n  log global\n  option httplog\n"
                + "  timeout connect 5s\n  timeout client 5s\n  timeout server 5s\n\n"
                + "frontend echo\n  bind " + hostPort(bindAddress, port) + " accept-proxy"
                + (cert == null ? "" : " ssl crt " + cert.combinedPem()) + "\n"
                + "  http-request return status 200 content-type text/plain"
                + (cert == null
                        ? " lf-string \"" + samples + "%[src] %[src_port]\\n\"\n"
                        : " lf-string \"%[src] %[src_port] %[ssl_fc_sni]\\n\"\n");
        Path conf = Files.writeString(dir.resolve("haproxy.cfg"), config);
        return start(
                "haproxy",
                dir,
                dir.resolve("output.log"),
                bindAddress,
                port,
                HAPROXY_REQUEST,
                cert,
                config,
                "-db",
                "-f",
                conf.toString());
    }

    /**
     * Layers a TLS client over {@code plain}, which must already carry the PROXY header, and does the
     * handshake. {@code serverName} is sent as SNI when not {@code null}; it may be a single label
     * such as "localhost" (the JDK only sends names with a dot on its own). The certificate is checked
     * by {@code context}'s trust managers, for example {@link TestCertificates#clientContext()}; no
     * host name verification is done. Closing the returned socket closes {@code plain}.
     */
    public static SSLSocket tlsOver(Socket plain, SSLContext context, String serverName) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
        SSLSocket tls = (SSLSocket)
                context.getSocketFactory().createSocket(plain, remote.getHostString(), remote.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static RealReceiver start(
            String binary,
            Path dir,
            Path log,
            String bindAddress,
            int port,
            String clientRequest,
            TestCertificates.Issued cert,
            String config,
            String... args)
            throws IOException {
        Path output = dir.resolve("output.log");
        String sni = cert == null ? null : cert.dnsNames().stream().findFirst().orElse(null);
        String expected = cert == null ? PROBE_REPLY : "198.51.100.99 1 " + (sni != null ? sni : "") + "\n";
        RealReceiver receiver;
        try {
            assumeAvailable(binary);
            if (sni != null) {
                new SNIHostName(sni); // an invalid name fails here, before there is a process to stop
            }
            ProcessBuilder pb = new ProcessBuilder(
                            findBinary(binary).orElseThrow().toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            pb.command().addAll(List.of(args));
            receiver = new RealReceiver(pb.start(), dir, log, port, clientRequest, cert != null);
        } catch (IOException | RuntimeException | Error e) { // a skip throws TestAbortedException (Runtime)
            deleteTree(dir);
            throw e;
        }
        // Generous: a loaded machine may be slow to start a process; the loop ends as soon as it answers.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        String reply = "";
        while (System.nanoTime() < deadline
                && receiver.process.isAlive()
                && !Thread.currentThread().isInterrupted()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(bindAddress, port), 500);
                s.setSoTimeout(2000);
                if (cert == null) {
                    s.getOutputStream().write((PROBE + clientRequest).getBytes(StandardCharsets.US_ASCII));
                    reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                } else {
                    s.getOutputStream().write(PROBE.getBytes(StandardCharsets.US_ASCII));
                    try (SSLSocket tls = tlsOver(s, pinning(cert.certificate()), sni)) {
                        tls.getOutputStream().write(clientRequest.getBytes(StandardCharsets.US_ASCII));
                        reply = new String(tls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    }
                }
                if (reply.endsWith(expected)) {
                    return receiver;
                }
            } catch (IOException notYet) {
                reply = notYet.toString();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String why = receiver.process.isAlive()
                ? "did not answer the probe within " + START_SECONDS + " s"
                : "exited with code " + receiver.process.exitValue();
        String processOutput = read(output);
        receiver.close();
        throw new IllegalStateException(binary + " on " + hostPort(bindAddress, port) + " " + why
                + "; last probe reply: " + reply + "\n--- config ---\n" + config
                + "--- output ---\n" + processOutput
                + (log.equals(output) ? "" : "--- log ---\n" + receiver.log()));
    }

    /**
     * Trusts exactly {@code expected} as the served leaf: the probe checks that the receiver serves the
     * given certificate, not that it is valid, so expired or foreign-CA certificates can be served.
     */
    private static SSLContext pinning(X509Certificate expected) {
        X509ExtendedTrustManager pin = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain.length == 0 || !chain[0].equals(expected)) {
                    throw new CertificateException("the receiver serves "
                            + (chain.length == 0 ? "no certificate" : chain[0].getSubjectX500Principal())
                            + ", not the expected " + expected.getSubjectX500Principal());
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client certificates are not expected");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkClientTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new X509ExtendedTrustManager[] {pin}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A running receiver. {@link #close()} stops it by PID and deletes its temp dir. */
    public static final class RealReceiver implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final Path logFile;
        private final int port;
        private final String clientRequest;
        private final boolean tls;
        private volatile String finalLog;

        private RealReceiver(Process process, Path dir, Path logFile, int port, String request, boolean tls) {
            this.process = process;
            this.dir = dir;
            this.logFile = logFile;
            this.port = port;
            this.clientRequest = request;
            this.tls = tls;
        }

        public int port() {
            return port;
        }

        /**
         * What the client must send after the PROXY header: "" (nginx) or an HTTP/1.0 GET. For a TLS
         * receiver it is sent after the handshake, inside TLS.
         */
        public String clientRequest() {
            return clientRequest;
        }

        /** Whether the client must do a TLS handshake after the PROXY header. */
        public boolean tls() {
            return tls;
        }

        /** The error log (nginx) or captured log output (HAProxy). Still readable after close. */
        public String log() {
            String snapshot = finalLog;
            return snapshot != null ? snapshot : read(logFile);
        }

        @Override
        public synchronized void close() {
            if (finalLog != null) {
                return;
            }
            try {
                process.descendants().forEach(ProcessHandle::destroy); // none expected; be safe
                process.destroy(); // SIGTERM to this PID; both servers exit promptly on it
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                finalLog = read(logFile);
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp dir
        }
    }

    private static Optional<Path> findBinary(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), SBIN_DIRS.stream())
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String hostPort(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** Lenient UTF-8: a log can quote raw bytes (nginx logs a TLS ClientHello sent as a broken header). */
    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<unreadable " + file + ": " + e + ">";
        }
    }
}
