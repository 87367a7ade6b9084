package dev.gatehouse.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The PROXY header as every proxied connection with client IP preservation writes it: v1 (the text from the
 * two socket addresses, and the encoded buffer), and v2 without TLVs and with a UNIQUE_ID and a CRC32C; each
 * buffer written and released, as the data plane's write does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProxyHeaderBenchmark {

    @Param({"TCP4", "TCP6"})
    public String family;

    private InetSocketAddress source;
    private InetSocketAddress destination;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<ClientOrigin.Tlv> uniqueId =
            List.of(ProxyHeaderV2.text(ProxyHeaderV2.TYPE_UNIQUE_ID, "3f09a1c7e2b4-1a2b3c"));

    @Setup
    public void addresses() throws UnknownHostException {
        if (family.equals("TCP4")) {
            source = new InetSocketAddress(InetAddress.getByName("203.0.113.77"), 51234);
            destination = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5432);
        } else {
            source = new InetSocketAddress(InetAddress.getByName("2001:db8:85a3::8a2e:370:7334"), 51234);
            destination = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5432);
        }
    }

    @Benchmark
    public String text() {
        return ProxyHeader.text(source, destination);
    }

    @Benchmark
    public int encodeAndRelease() {
        ByteBuf buf = ProxyHeader.encode(alloc, source, destination);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    @Benchmark
    public int encodeV2AndRelease() {
        ByteBuf buf = ProxyHeaderV2.encode(alloc, source, destination, List.of(), false);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    @Benchmark
    public int encodeV2WithUniqueIdAndCrcAndRelease() {
        ByteBuf buf = ProxyHeaderV2.encode(alloc, source, destination, uniqueId, true);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }
}
