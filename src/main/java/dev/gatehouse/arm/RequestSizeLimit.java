package dev.gatehouse.arm;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at {@code gatehouse.api.max-request-size} (4 MB): 413 {@code RequestBodyTooLarge} from
 * the Content-Length alone when it says more, or as soon as a chunked body passes the cap while it is read
 * (as bytes or through {@code getReader()}).
 */
@Configuration(proxyBeanMethods = false)
class RequestSizeLimit {

    /** Thrown by the counting stream; {@link ArmExceptionHandler} turns it into 413 wherever it surfaces. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("The request body is larger than " + max + " bytes (gatehouse.api.max-request-size).");
        }
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestSizeFilter(ApiSettings settings) {
        long max = settings.maxRequestSize().toBytes();
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (request.getContentLengthLong() > max) {
                    ArmErrors.write(
                            response,
                            HttpStatus.CONTENT_TOO_LARGE,
                            ErrorCodes.REQUEST_BODY_TOO_LARGE,
                            new TooLarge(max).getMessage());
                    return;
                }
                chain.doFilter(capped(request, max), response);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** The request with its body, read as bytes or as characters, cut off by {@link TooLarge} past {@code max}. */
    static HttpServletRequest capped(HttpServletRequest request, long max) {
        return new Capped(request, max);
    }

    private static final class Capped extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;
        private BufferedReader reader;

        Capped(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    private int count(int n) throws TooLarge {
                        if (n > 0 && (read += n) > max) {
                            throw new TooLarge(max);
                        }
                        return n;
                    }

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return count(in.read(b, off, len));
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }

        /** Decodes the counted stream, so that a body read as text is capped too (the container's own would not be). */
        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }
    }
}
