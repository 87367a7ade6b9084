package dev.gatehouse.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestSizeLimitTests {

    /** A chunked body: no Content-Length, so only counting while reading can stop it. */
    private static HttpServletRequest chunked(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setCharacterEncoding("UTF-8");
        return RequestSizeLimit.capped(request, 10);
    }

    @Test
    void aBodyReadThroughGetReaderIsCappedLikeOneReadAsBytes() {
        assertThatThrownBy(() -> chunked("x".repeat(11)).getReader().transferTo(java.io.Writer.nullWriter()))
                .isInstanceOf(RequestSizeLimit.TooLarge.class);
        assertThatThrownBy(() -> chunked("x".repeat(11)).getInputStream().readAllBytes())
                .isInstanceOf(RequestSizeLimit.TooLarge.class);
    }

    @Test
    void aBodyWithinTheCapReadsWhole() throws Exception {
        StringWriter out = new StringWriter();
        chunked("{\"a\":\"é\"}").getReader().transferTo(out);
        assertThat(out).hasToString("{\"a\":\"é\"}");
    }
}
