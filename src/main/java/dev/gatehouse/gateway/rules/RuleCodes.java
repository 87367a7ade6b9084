package dev.gatehouse.gateway.rules;

import dev.gatehouse.arm.ErrorCodes;

/**
 * Stable codes for violations of the ApplicationGateway document, one per rule. They appear in
 * {@code error.details[].code}; the table in docs/api.md gives the meaning of each.
 */
public final class RuleCodes {

    /** The top-level code of a 400 that lists document violations in its details. */
    public static final String INVALID_APPLICATION_GATEWAY = "InvalidApplicationGateway";

    public static final String MISSING_REQUIRED_PROPERTY = "MissingRequiredProperty";
    public static final String VALUE_OUT_OF_RANGE = "ValueOutOfRange";
    public static final String INVALID_PROPERTY_VALUE = "InvalidPropertyValue";
    public static final String INVALID_RESOURCE_NAME = ErrorCodes.INVALID_RESOURCE_NAME;
    public static final String RESOURCE_NAME_MISMATCH = "ResourceNameMismatch";
    public static final String DUPLICATE_RESOURCE_NAME = "DuplicateResourceName";
    public static final String INVALID_REFERENCE = "InvalidReference";
    public static final String REFERENCE_OUTSIDE_GATEWAY = "ReferenceOutsideGateway";
    public static final String REFERENCED_RESOURCE_NOT_FOUND = "ReferencedResourceNotFound";
    public static final String INVALID_IP_ADDRESS = "InvalidIPAddress";
    public static final String INVALID_BACKEND_ADDRESS = "InvalidBackendAddress";
    public static final String UNSUPPORTED_LISTENER_PROTOCOL = "UnsupportedListenerProtocol";
    public static final String TLS_LISTENER_REQUIRES_CERTIFICATE = "TlsListenerRequiresCertificate";
    public static final String CERTIFICATE_NOT_ALLOWED_ON_TCP_LISTENER = "CertificateNotAllowedOnTcpListener";
    public static final String HOST_NAMES_REQUIRE_TLS_LISTENER = "HostNamesRequireTlsListener";
    public static final String LISTENER_ADDRESS_CONFLICT = "ListenerAddressConflict";
    public static final String LISTENER_USED_BY_MULTIPLE_RULES = "ListenerUsedByMultipleRules";
    public static final String CLIENT_IP_PRESERVATION_REQUIRES_TCP_OR_TLS = "ClientIpPreservationRequiresTcpOrTls";
    public static final String PROBE_PROXY_HEADER_REQUIRES_TCP_OR_TLS = "ProbeProxyProtocolHeaderRequiresTcpOrTls";
    public static final String HOST_NAME_REQUIRES_TLS = "HostNameRequiresTls";
    public static final String TRUSTED_ROOTS_REQUIRE_TLS = "TrustedRootCertificatesRequireTls";
    public static final String INCOMPATIBLE_PROBE_PROTOCOL = "IncompatibleProbeProtocol";
    public static final String PROBE_PATH_NOT_ALLOWED = "ProbePathNotAllowed";
    public static final String PROBE_MATCH_NOT_ALLOWED = "ProbeMatchNotAllowed";
    public static final String UNSUPPORTED_RULE_TYPE = "UnsupportedRuleType";
    public static final String RULE_REQUIRES_TCP_OR_TLS_SETTINGS = "RoutingRuleRequiresTcpOrTlsSettings";
    public static final String DUPLICATE_PRIORITY = "DuplicatePriority";
    public static final String KEY_VAULT_NOT_SUPPORTED = "KeyVaultNotSupported";
    public static final String INVALID_CERTIFICATE_DATA = "InvalidCertificateData";
    public static final String CERTIFICATE_PASSWORD_INCORRECT = "CertificatePasswordIncorrect";
    public static final String CERTIFICATE_HAS_NO_PRIVATE_KEY = "CertificateHasNoPrivateKey";
    public static final String CERTIFICATE_EXPIRED = "CertificateExpired";
    public static final String CERTIFICATE_KEY_MISMATCH = "CertificateKeyMismatch";
    public static final String UNSUPPORTED_CERTIFICATE_KEY = "UnsupportedCertificateKey";
    public static final String INVALID_HOST_NAME = "InvalidHostName";
    public static final String UNSUPPORTED_TLS_PROTOCOL = "UnsupportedTlsProtocol";
    public static final String UNSUPPORTED_CIPHER_SUITE = "UnsupportedCipherSuite";
    public static final String SSL_PROFILE_REQUIRES_TLS_LISTENER = "SslProfileRequiresTlsListener";
    public static final String CLIENT_REVOCATION_CHECK_NOT_SUPPORTED = "ClientRevocationCheckNotSupported";
    public static final String LISTENER_NOT_ALLOWED = "ListenerNotAllowed";
    public static final String TOO_MANY_ITEMS = "TooManyItems";
    public static final String INVALID_ADDRESS_RANGE = "InvalidAddressRange";
    public static final String EMPTY_ADDRESS_LIST = "EmptyAddressList";
    public static final String LISTENERS_ON_SOCKET_DISAGREE = "ListenersOnSocketDisagree";
    public static final String PROXY_PROTOCOL_REQUIRES_CLIENT_IP_PRESERVATION =
            "ProxyProtocolRequiresClientIpPreservation";
    public static final String PROXY_PROTOCOL_TLVS_REQUIRE_V2 = "ProxyProtocolTlvsRequireV2";
    public static final String PROBE_PROXY_HEADER_CONFLICT = "ProbeProxyProtocolHeaderConflict";

    private RuleCodes() {}
}
