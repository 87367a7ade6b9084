import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS helpers of bench/run.sh, JDK only (Java 17, single-file launch: {@code java bench/TlsBench.java ...}).
 *
 * <pre>
 *   sink     PORT                    plain TCP sink: the origin behind a proxy that terminates TLS
 *   tls-sink PORT PFX PASSWORD       the same sink, terminating TLS itself with the JDK (the "direct" TLS path)
 *   bulk     HOST PORT SECONDS       TLS client: writes about SECONDS worth of data, prints the throughput
 * </pre>
 *
 * Wire protocol of one transfer: the client sends an 8-byte big-endian length L and then L bytes; the sink
 * reads them all and answers one byte. The client's clock runs from the length to the answer, so the time
 * covers delivery to the origin, not just the client's socket buffer. A connection may carry several
 * transfers; the sink closes when the client does (a proxy's connect-then-close, a handshake-only client).
 *
 * The bulk client negotiates TLS 1.3 with TLS_AES_128_GCM_SHA256 only, trusts any certificate (the bench
 * certificate is self-signed), makes three 32 MiB warm-up transfers on the same connection (JIT, and a rate
 * estimate), then one timed transfer sized to last about SECONDS at that rate. Output, one line:
 * {@code gbps=<Gbit/s> bytes=<n> seconds=<s>}.
 */
public class TlsBench {

    private static final int BUFFER = 256 * 1024;
    private static final long WARMUP_BYTES = 32L << 20;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        switch (args[0]) {
            case "sink" -> serve(new ServerSocket(), Integer.parseInt(args[1]));
            case "tls-sink" -> {
                if (args.length < 4) {
                    usage();
                }
                serve(tlsServerSocket(args[2], args[3]), Integer.parseInt(args[1]));
            }
            case "bulk" -> {
                if (args.length < 4) {
                    usage();
                }
                bulk(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]));
            }
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: TlsBench sink PORT | tls-sink PORT PFX PASSWORD | bulk HOST PORT SECONDS");
        System.exit(2);
    }

    private static ServerSocket tlsServerSocket(String pfx, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(pfx)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        return s;
    }

    private static void serve(ServerSocket server, int port) throws IOException {
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sink");
            t.setDaemon(true);
            return t;
        });
        System.out.println("listening on 127.0.0.1:" + port + (server instanceof SSLServerSocket ? " (TLS)" : ""));
        System.out.flush();
        while (true) {
            Socket s = server.accept();
            pool.execute(() -> sink(s));
        }
    }

    private static void sink(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            // Only a transfer gets a buffer: the handshake cells send thousands of connections a second through the
            // proxies that carry no bytes, and a 256 KB buffer for each ran this 256 MB heap out of memory, after
            // which the sink stopped accepting and the TLS bulk cells failed for every proxy.
            byte[] buf = null;
            while (true) {
                long remaining;
                try {
                    remaining = in.readLong();
                } catch (EOFException e) {
                    return;
                }
                if (buf == null) {
                    buf = new byte[BUFFER];
                }
                while (remaining > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                    if (n < 0) {
                        return;
                    }
                    remaining -= n;
                }
                out.write(1);
                out.flush();
            }
        } catch (IOException e) {
            // a client that handshakes and closes, or resets: nothing to report
        }
    }

    private static void bulk(String host, int port, double seconds) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setTcpNoDelay(true);
            s.setEnabledProtocols(new String[] {"TLSv1.3"});
            s.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
            s.startHandshake();
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            double warmSeconds = 0;
            for (int i = 0; i < 3; i++) {
                warmSeconds = transfer(out, in, buf, WARMUP_BYTES);
            }
            double rate = WARMUP_BYTES / warmSeconds;
            long bytes = Math.max(WARMUP_BYTES, (long) (rate * seconds));
            double took = transfer(out, in, buf, bytes);
            System.out.println(String.format(Locale.ROOT, "gbps=%.3f bytes=%d seconds=%.3f",
                    bytes * 8 / took / 1e9, bytes, took));
        }
    }

    private static double transfer(DataOutputStream out, InputStream in, byte[] buf, long bytes) throws IOException {
        long start = System.nanoTime();
        out.writeLong(bytes);
        long remaining = bytes;
        while (remaining > 0) {
            int n = (int) Math.min(buf.length, remaining);
            out.write(buf, 0, n);
            remaining -= n;
        }
        out.flush();
        if (in.read() != 1) {
            throw new IOException("the sink did not acknowledge the transfer");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
