package dev.gatehouse.dataplane.proxy;

import static dev.gatehouse.dataplane.proxy.ProxyHeaders.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FailingLeakDetector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input to the PROXY header reader in front of a listener: valid headers of every shape, the same
 * mutated (bytes flipped, cut, inserted, lengths lied about), and random bytes, fed in random segments. Whatever
 * comes, the connection ends admitted or closed (never an exception out of the pipeline, never left waiting
 * once its input ended or its timeout passed), and every buffer is released: each one given is checked, and
 * Netty's paranoid leak detector watches the ones made from them.
 */
class InboundProxyFuzzTests {

    @BeforeContainer
    static void paranoid() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterContainer
    static void noLeaks() throws InterruptedException {
        FailingLeakDetector.assertNoLeaks("InboundProxyFuzzTests");
    }

    @Property(tries = 1500)
    void anyInputEndsAdmittedOrClosedWithEveryBufferReleased(
            @ForAll("inputs") byte[] input,
            @ForAll @IntRange(min = 1, max = 40) int segment,
            @ForAll boolean endInput) {
        InboundProxyHandlerTests.Recorder recorder = new InboundProxyHandlerTests.Recorder();
        PeerChannel channel = new PeerChannel(
                new ProxyHeaderDetector(ListenerState.MAX_PROXY_TLV_BYTES),
                new InboundProxyHandler(recorder, InboundProxyHandlerTests.TIMEOUT_MILLIS));
        List<ByteBuf> given = new ArrayList<>();
        try {
            for (int at = 0; at < input.length && channel.isOpen(); at += segment) {
                ByteBuf part = Unpooled.buffer().writeBytes(input, at, Math.min(segment, input.length - at));
                given.add(part);
                channel.writeInbound(part);
            }
            if (channel.isOpen() && recorder.admitted == null) {
                if (endInput) {
                    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                } else {
                    channel.advanceTimeBy(InboundProxyHandlerTests.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    channel.runScheduledPendingTasks();
                }
            }
            channel.checkException();
            if (recorder.admitted != null) {
                assertThat(recorder.rejected).isNull();
                assertThat(channel.isOpen()).isTrue();
                assertThat(channel.pipeline().get(InboundProxyHandler.class)).isNull();
            } else {
                assertThat(channel.isOpen()).as("neither admitted nor closed").isFalse();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        for (ByteBuf part : given) {
            assertThat(part.refCnt())
                    .as("a buffer given to the channel was not released")
                    .isZero();
        }
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        Arbitrary<byte[]> valid = Arbitraries.oneOf(v1Headers(), v2Headers());
        Arbitrary<byte[]> mutated =
                Combinators.combine(valid, Arbitraries.longs()).as((header, seed) -> mutate(header, new Random(seed)));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> signatureThenRandom = Combinators.combine(
                        Arbitraries.of(SIGNATURE, "PROXY ".getBytes(StandardCharsets.US_ASCII)),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as(ProxyHeaders::concat);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> withPayload = Combinators.combine(valid, payload).as(ProxyHeaders::concat);
        return Arbitraries.frequencyOf(
                Tuple.of(2, valid),
                Tuple.of(2, withPayload),
                Tuple.of(6, mutated),
                Tuple.of(2, random),
                Tuple.of(3, signatureThenRandom));
    }

    private static Arbitrary<byte[]> v1Headers() {
        Arbitrary<String> v4 = Arbitraries.integers()
                .between(0, 255)
                .list()
                .ofSize(4)
                .map(o -> o.get(0) + "." + o.get(1) + "." + o.get(2) + "." + o.get(3));
        Arbitrary<String> v6 = Arbitraries.integers()
                .between(0, 0xFFFF)
                .list()
                .ofSize(8)
                .map(g -> String.join(":", g.stream().map(Integer::toHexString).toList()));
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        Arbitrary<String> tcp4 = Combinators.combine(v4, v4, port, port)
                .as((s, d, sp, dp) -> "PROXY TCP4 " + s + " " + d + " " + sp + " " + dp);
        Arbitrary<String> tcp6 = Combinators.combine(v6, v6, port, port)
                .as((s, d, sp, dp) -> "PROXY TCP6 " + s + " " + d + " " + sp + " " + dp);
        return Arbitraries.oneOf(tcp4, tcp6, Arbitraries.just("PROXY UNKNOWN")).map(ProxyHeaders::v1);
    }

    private static Arbitrary<byte[]> v2Headers() {
        Arbitrary<Integer> command = Arbitraries.of(LOCAL, PROXY);
        Arbitrary<Integer> family = Arbitraries.of(UNSPEC, TCP4, TCP6, UDP4, 0x31, 0x22);
        Arbitrary<byte[]> tlv = Combinators.combine(
                        Arbitraries.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x20, 0x21, 0x22, 0x30, 0xE0, 0xEA, 0xEE),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(48))
                .as(ProxyHeaders::tlv);
        Arbitrary<List<byte[]>> tlvs = tlv.list().ofMaxSize(5);
        Arbitrary<byte[]> seed = Arbitraries.bytes().array(byte[].class).ofSize(216);
        return Combinators.combine(command, family, seed, tlvs).as((c, f, raw, t) -> {
            int length = switch (f) {
                case TCP4, UDP4 -> 12;
                case TCP6, 0x22 -> 36;
                case 0x31 -> 216;
                default -> 0;
            };
            List<byte[]> blocks = new ArrayList<>();
            blocks.add(Arrays.copyOf(raw, length));
            blocks.addAll(t);
            return v2(c, f, blocks.toArray(byte[][]::new));
        });
    }

    /** One to four mutations: a byte flipped, the input cut, random bytes inserted, or a length field changed. */
    private static byte[] mutate(byte[] header, Random random) {
        byte[] out = header;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && out.length > 0; m++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> {
                    out = out.clone();
                    out[at] = (byte) random.nextInt(256);
                }
                case 1 -> out = Arrays.copyOf(out, at);
                case 2 -> {
                    byte[] inserted = new byte[1 + random.nextInt(8)];
                    random.nextBytes(inserted);
                    out = concat(Arrays.copyOf(out, at), inserted, Arrays.copyOfRange(out, at, out.length));
                }
                default -> {
                    if (out.length > 16) {
                        out = out.clone();
                        // the v2 length field, or any 2 bytes after it: a TLV length, most often
                        int field = 14 + random.nextInt(out.length - 15);
                        out[field] = (byte) random.nextInt(256);
                        out[field + 1] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return out;
    }
}
