package dev.gatehouse.openapi;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the API's OpenAPI document at {@value #PATH}: the committed {@code openapi/openapi.json}, packaged in the jar
 * as a class-path resource, byte for byte. Nothing generates it at run time; springdoc does in the tests, which prove
 * the committed file is what the controllers and their annotations describe (OpenApiDocumentIntegrationTests).
 *
 * <p>The document only changes with the jar, so it carries a strong {@code ETag} (its SHA-256) and
 * {@code Cache-Control: no-cache}: a client may keep it and revalidate, and gets 304 while it is current.
 *
 * <p>{@value #ENABLED}{@code =false} turns it off: the key springdoc read when it served the document, kept so
 * that a configuration that used it still does (docs/security.md).
 */
@Hidden
@RestController
@ConditionalOnBooleanProperty(name = OpenApiDocumentController.ENABLED, matchIfMissing = true)
class OpenApiDocumentController {

    static final String ENABLED = "springdoc.api-docs.enabled";
    static final String PATH = "/v3/api-docs";
    static final String RESOURCE = "openapi/openapi.json";

    private final byte[] document;
    private final String etag;

    OpenApiDocumentController() {
        this.document = read(RESOURCE);
        this.etag = '"' + sha256(document) + '"';
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> document() {
        // Spring MVC answers a matching If-None-Match itself: 304 with this entity's headers (ETag, Cache-Control).
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noCache())
                .eTag(etag)
                .body(document);
    }

    private static byte[] read(String resource) {
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the jar holds no " + resource + " (pom.xml copies it from openapi/)", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
