package dev.gatehouse.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real load balancers placed in front of a Gatehouse listener, each sending a PROXY header for the clients it
 * forwards: HAProxy ({@code mode tcp}, {@code server ... send-proxy-v2}) and nginx ({@code stream},
 * {@code proxy_protocol on}, v1). Each runs in the foreground with its config and log in a private temp dir and
 * counts as ready once its port accepts a connection. Start it before the Gatehouse listener exists, so the
 * readiness connection reaches no backend. Skipped loudly when the binary is missing (see
 * {@link RealReceivers#assumeAvailable}).
 */
public final class FrontProxies {

    private static final Path NGINX_STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private FrontProxies() {}

    /** HAProxy on {@code [::1]:port}, forwarding to {@code 127.0.0.1:target} with a PROXY v2 header. */
    public static FrontProxy haproxySendProxyV2(int target) throws IOException {
        return haproxySendProxyV2(target, "");
    }

    /** The same, the header with HAProxy's CRC32C TLV ({@code proxy-v2-options crc32c}). */
    public static FrontProxy haproxySendProxyV2WithCrc32c(int target) throws IOException {
        return haproxySendProxyV2(target, " proxy-v2-options crc32c");
    }

    private static FrontProxy haproxySendProxyV2(int target, String options) throws IOException {
        RealReceivers.assumeAvailable("haproxy");
        Path dir = Files.createTempDirectory("gatehouse-front-haproxy-");
        int port = FreePorts.next("::1");
        String config = "global\n  nbthread 1\n  log stderr format raw local0 info\n\n"
                + "defaults\n  mode tcp\n  log global\n  option tcplog\n"
                + "  timeout connect 5s\n  timeout client 10s\n  timeout server 10s\n\n"
                + "frontend front\n  bind [::1]:" + port + "\n  default_backend gatehouse\n\n"
                + "backend gatehouse\n  server gh 127.0.0.1:" + target + " send-proxy-v2" + options + "\n";
        Path conf = Files.writeString(dir.resolve("haproxy.cfg"), config);
        return start("haproxy", dir, port, List.of("-db", "-f", conf.toString()));
    }

    /** nginx (stream) on {@code [::1]:port}, forwarding to {@code 127.0.0.1:target} with a PROXY v1 header. */
    public static FrontProxy nginxProxyProtocol(int target) throws IOException {
        RealReceivers.assumeAvailable("nginx");
        Path dir = Files.createTempDirectory("gatehouse-front-nginx-");
        int port = FreePorts.next("::1");
        Path errorLog = dir.resolve("error.log");
        String config = (Files.exists(NGINX_STREAM_MODULE) ? "load_module " + NGINX_STREAM_MODULE + ";\n" : "")
                + "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                + "pid \"" + dir.resolve("nginx.pid") + "\";\n"
                + "error_log \"" + errorLog + "\" info;\n"
                + "events { worker_connections 64; }\n"
                + "stream {\n  server {\n    listen [::1]:" + port + ";\n"
                + "    proxy_pass 127.0.0.1:" + target + ";\n    proxy_protocol on;\n  }\n}\n";
        Path conf = Files.writeString(dir.resolve("nginx.conf"), config);
        return start("nginx", dir, port, List.of("-e", errorLog.toString(), "-p", dir + "/", "-c", conf.toString()));
    }

    private static FrontProxy start(String binary, Path dir, int port, List<String> args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(binary)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.log").toFile());
        pb.command().addAll(args);
        FrontProxy proxy = new FrontProxy(pb.start(), dir, port);
        // Generous: a loaded machine may be slow to start a process; the loop ends as soon as it listens.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && proxy.process.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName("::1"), port), 500);
                return proxy;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String output = proxy.output();
        proxy.close();
        throw new IllegalStateException(binary + " in front did not listen on [::1]:" + port + "\n" + output);
    }

    /** A running load balancer. {@link #close()} stops it by PID and deletes its temp dir. */
    public static final class FrontProxy implements AutoCloseable {

        private final Process process;
        private final Path dir;
        private final int port;

        private FrontProxy(Process process, Path dir, int port) {
            this.process = process;
            this.dir = dir;
            this.port = port;
        }

        /** Where clients connect: {@code [::1]:port}. */
        public InetSocketAddress address() throws IOException {
            return new InetSocketAddress(InetAddress.getByName("::1"), port);
        }

        String output() {
            try {
                return Files.readString(dir.resolve("output.log"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void close() {
            try {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // best effort: it is a temp dir
                }
            }
        }
    }
}
