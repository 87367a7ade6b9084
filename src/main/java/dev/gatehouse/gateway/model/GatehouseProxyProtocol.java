package dev.gatehouse.gateway.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Gatehouse's extension of backend settings ({@code gatehouseProxyProtocol}): which PROXY protocol header
 * {@code enableL4ClientIpPreservation} sends. Absent: v1, as Azure sends.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
        description = "Gatehouse extension: the PROXY protocol header that enableL4ClientIpPreservation sends. "
                + "Absent: version V1 without TLVs, as Azure.")
public record GatehouseProxyProtocol(
        @NotNull @Schema(description = "V1 (text) or V2 (binary).")
        Version version,

        @Schema(
                description = "V2 only: TLVs to add, each only when the connection has its value. Authority: "
                        + "the SNI the client sent to a Tls listener. Alpn: the protocol negotiated with the client. "
                        + "UniqueId: the connection's id, as in the access log. Ssl: TLS version, cipher and the "
                        + "client certificate's CN. Crc32c: a checksum over the whole header.")
        List<Tlv> tlvs,

        @ArraySchema(
                arraySchema =
                        @Schema(
                                description = "V2 only: TLV types (224-247, the application ranges) copied from a "
                                        + "PROXY v2 header accepted in front of the listener, for example 234 (AWS), "
                                        + "238 (Azure), 224 (GCP)."),
                schema = @Schema(minimum = "224", maximum = "247"))
        List<Integer> passThroughTlvTypes) {

    /** The PROXY protocol version. */
    public enum Version {
        V1,
        V2
    }

    /** A TLV of a v2 header that Gatehouse fills from the connection. */
    public enum Tlv {
        Authority,
        Alpn,
        UniqueId,
        Ssl,
        Crc32c
    }

    /** The TLVs asked for; absent means none. */
    public List<Tlv> tlvsOrEmpty() {
        return tlvs == null ? List.of() : tlvs;
    }

    /** The TLV types to pass through; absent means none. */
    public List<Integer> passThroughTlvTypesOrEmpty() {
        return passThroughTlvTypes == null ? List.of() : passThroughTlvTypes;
    }
}
