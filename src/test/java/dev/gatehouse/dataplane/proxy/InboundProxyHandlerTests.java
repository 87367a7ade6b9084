package dev.gatehouse.dataplane.proxy;

import static dev.gatehouse.dataplane.proxy.ProxyHeaders.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dataplane.ClientOrigin;
import dev.gatehouse.dataplane.ConnectionFailure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PROXY header in front of a listener, read by {@link ProxyHeaderDetector}, Netty's decoder and
 * {@link InboundProxyHandler}: what each header shape gives, and that every bad one closes the connection
 * with its reason.
 */
class InboundProxyHandlerTests {

    static final long TIMEOUT_MILLIS = 3000;

    /** Records what the handler decided; an admitted connection gets a handler that sees what follows. */
    static final class Recorder implements InboundProxyHandler.Admission {

        ClientOrigin admitted;
        ConnectionFailure rejected;
        int activeAfterHeader;

        @Override
        public void admit(Channel channel, ClientOrigin origin) {
            admitted = origin;
            channel.pipeline().addLast("after", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    activeAfterHeader++;
                    ctx.fireChannelActive();
                }
            });
        }

        @Override
        public void reject(Channel channel, ConnectionFailure reason) {
            rejected = reason;
            channel.close();
        }
    }

    private final Recorder recorder = new Recorder();
    private final PeerChannel channel = new PeerChannel(
            new ProxyHeaderDetector(ListenerState.MAX_PROXY_TLV_BYTES),
            new InboundProxyHandler(recorder, TIMEOUT_MILLIS));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void send(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private String after() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf b; (b = channel.readInbound()) != null; ) {
            text.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return text.toString();
    }

    @Test
    void aV1HeaderGivesItsClientAndDestinationAndWhatFollowsIsPassedOn() {
        send(concat(v1("PROXY TCP4 192.0.2.1 198.51.100.1 56324 443"), "hello".getBytes(StandardCharsets.US_ASCII)));

        assertThat(recorder.admitted)
                .isEqualTo(new ClientOrigin(
                        PeerChannel.PEER,
                        new InetSocketAddress("192.0.2.1", 56324),
                        new InetSocketAddress("198.51.100.1", 443),
                        List.of()));
        assertThat(recorder.activeAfterHeader).isEqualTo(1);
        assertThat(after()).isEqualTo("hello");
        assertThat(channel.pipeline().names()).containsExactly("after", "DefaultChannelPipeline$TailContext#0");
        assertThat(channel.config().isAutoRead()).isFalse();
    }

    @Test
    void aV2Tcp6HeaderKeepsItsTlvsButCrc32cAndNoop() {
        byte[] authority = "db.example.com".getBytes(StandardCharsets.US_ASCII);
        byte[] vpce = "vpce-0123456789abcdef0".getBytes(StandardCharsets.US_ASCII);
        send(sealed(v2(
                PROXY,
                TCP6,
                addresses("2001:db8::1", "2001:db8::2", 50000, 5432),
                tlv(0x02, authority),
                crc32cTlv(),
                tlv(0x04, new byte[3]),
                tlv(0xEA, concat(new byte[] {0x01}, vpce)))));

        assertThat(recorder.admitted.client()).isEqualTo(new InetSocketAddress("2001:db8::1", 50000));
        assertThat(recorder.admitted.destination()).isEqualTo(new InetSocketAddress("2001:db8::2", 5432));
        assertThat(recorder.admitted.tlvs()).extracting(ClientOrigin.Tlv::type).containsExactly(0x02, 0xEA);
        assertThat(recorder.admitted.tlvs().get(0).value()).isEqualTo(authority);
        assertThat(recorder.admitted.tlvs().get(1).value()).isEqualTo(concat(new byte[] {0x01}, vpce));
    }

    @Test
    void aHeaderSplitIntoSingleBytesIsReadWhole() {
        byte[] header = sealed(v2(
                PROXY,
                TCP4,
                addresses("203.0.113.7", "10.0.0.1", 1234, 80),
                tlv(0xEE, new byte[] {1, 2, 3, 4, 5}),
                crc32cTlv()));
        for (byte b : header) {
            assertThat(recorder.admitted).isNull();
            send(new byte[] {b});
        }
        send("x".getBytes(StandardCharsets.US_ASCII));
        assertThat(recorder.admitted.client()).isEqualTo(new InetSocketAddress("203.0.113.7", 1234));
        assertThat(recorder.admitted.tlvs())
                .singleElement()
                .satisfies(t -> assertThat(t.type()).isEqualTo(0xEE));
        assertThat(after()).isEqualTo("x");
    }

    @Test
    void aV2HeaderWhoseCrc32cDoesNotMatchItsBytesIsRejected() {
        byte[] header = sealed(v2(PROXY, TCP4, addresses("203.0.113.7", "10.0.0.1", 1234, 80), crc32cTlv()));
        header[16 + 3] ^= 1; // the client's address, after the checksum was computed: 203.0.113.6
        send(header);
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aV2HeaderWithAZeroCrc32cIsRejected() {
        send(v2(PROXY, TCP6, addresses("2001:db8::1", "2001:db8::2", 1, 2), tlv(0x03, new byte[4])));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aCrc32cTlvOfAnotherSizeIsRejected() {
        send(v2(PROXY, TCP4, addresses("192.0.2.1", "192.0.2.2", 1, 2), tlv(0x03, new byte[3])));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aSecondCrc32cTlvIsRejected() {
        send(sealed(v2(PROXY, TCP4, addresses("192.0.2.1", "192.0.2.2", 1, 2), crc32cTlv(), tlv(0x03, new byte[4]))));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aV2HeaderWhoseLengthFieldPassesTheLimitIsRejectedBeforeItsBytesCome() {
        send(concat(SIGNATURE, new byte[] {PROXY, TCP4, (byte) 0xEA, 0x60})); // 60,000 bytes announced
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aLocalHeaderStandsForThePeerWhateverItsCrc32c() {
        // As HAProxy: a LOCAL header's addresses and TLVs are not used, so they are not checked either.
        send(v2(LOCAL, TCP4, addresses("192.0.2.1", "192.0.2.2", 1, 2), tlv(0x03, new byte[4])));
        assertThat(recorder.admitted).isEqualTo(ClientOrigin.direct(PeerChannel.PEER, PeerChannel.LISTENER));
    }

    @Test
    void anIpv4MappedClientIsAnIpv4Client() {
        send(v1("PROXY TCP6 ::ffff:192.0.2.1 ::ffff:198.51.100.1 56324 443"));
        assertThat(recorder.admitted.client()).isEqualTo(new InetSocketAddress("192.0.2.1", 56324));
        assertThat(recorder.admitted.client().getAddress()).isInstanceOf(Inet4Address.class);
    }

    @Test
    void aLocalCommandStandsForThePeerItself() {
        send(v2(LOCAL, UNSPEC));
        assertThat(recorder.admitted).isEqualTo(ClientOrigin.direct(PeerChannel.PEER, PeerChannel.LISTENER));
    }

    @Test
    void anUnknownV1ProtocolStandsForThePeerItself() {
        send(v1("PROXY UNKNOWN"));
        assertThat(recorder.admitted).isEqualTo(ClientOrigin.direct(PeerChannel.PEER, PeerChannel.LISTENER));
    }

    @Test
    void aUdpClientIsRejected() {
        send(v2(PROXY, UDP4, addresses("192.0.2.1", "192.0.2.2", 53, 53)));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void bytesThatCannotStartAHeaderAreRejectedAtTheFirstByte() {
        send(new byte[] {0x16}); // a TLS ClientHello without the header
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aMalformedV1LineIsRejected() {
        send(v1("PROXY TCP4 192.0.2.1 198.51.100.1 56324"));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void anInputThatEndsInsideTheHeaderIsRejected() {
        byte[] header = v2(PROXY, TCP4, addresses("192.0.2.1", "192.0.2.2", 1, 2));
        send(Arrays.copyOf(header, header.length - 3));
        assertThat(channel.isOpen()).isTrue();
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void anInputThatEndsInsideTheSignatureIsRejected() {
        send("PROX".getBytes(StandardCharsets.US_ASCII));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aConnectionClosedBeforeAnyByteIsClosedWithoutAConnectionFailure() {
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(channel.isOpen()).isFalse();
        assertThat(recorder.rejected).isNull();
        assertThat(recorder.admitted).isNull();
    }

    @Test
    void aTlvLongerThanTheHeaderIsRejected() {
        send(v2(PROXY, TCP4, addresses("192.0.2.1", "192.0.2.2", 1, 2), tlv(0xE0, 200, new byte[8])));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aTlvCutShortOfItsTypeAndLengthIsRejectedOrIgnoredButNeverServedWithIt() {
        send(v2(PROXY, TCP4, addresses("192.0.2.1", "192.0.2.2", 1, 2), new byte[] {(byte) 0xE0, 0x00}));
        if (recorder.admitted != null) {
            assertThat(recorder.admitted.tlvs()).isEmpty();
        } else {
            assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
        }
    }

    @Test
    void moreTlvBytesThanTheLimitAreRejected() {
        send(v2(
                PROXY,
                TCP4,
                addresses("192.0.2.1", "192.0.2.2", 1, 2),
                tlv(0xE0, new byte[ListenerState.MAX_PROXY_TLV_BYTES + 300])));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void aV1LineLongerThanTheSpecAllowsIsRejected() {
        send(("PROXY TCP4 " + "1".repeat(120)).getBytes(StandardCharsets.US_ASCII));
        assertRejected(ConnectionFailure.PROXY_HEADER_REJECTED);
    }

    @Test
    void noCompleteHeaderWithinTheTimeoutIsRejectedForIt() {
        channel.freezeTime();
        send("PROXY TCP4 192.0.2.1".getBytes(StandardCharsets.US_ASCII));
        // The clock ran between the accept and freezeTime: leave a margin for it.
        channel.advanceTimeBy(TIMEOUT_MILLIS - 500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertRejected(ConnectionFailure.PROXY_HEADER_TIMEOUT);
    }

    @Test
    void theTimeoutIsCancelledOnceTheHeaderIsRead() {
        send(v1("PROXY TCP4 192.0.2.1 198.51.100.1 56324 443"));
        channel.advanceTimeBy(TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(recorder.rejected).isNull();
    }

    private void assertRejected(ConnectionFailure reason) {
        assertThat(recorder.rejected).isEqualTo(reason);
        assertThat(recorder.admitted).isNull();
        assertThat(channel.isOpen()).isFalse();
    }
}
