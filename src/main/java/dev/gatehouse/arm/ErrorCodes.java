package dev.gatehouse.arm;

/**
 * The stable error codes of the REST API that are not about one document property. Each is listed,
 * with its HTTP status, in docs/api.md; codes are part of the API contract and never renamed.
 * Document rule codes live in {@code dev.gatehouse.gateway.rules.RuleCodes}.
 */
public final class ErrorCodes {

    public static final String RESOURCE_NOT_FOUND = "ResourceNotFound";
    public static final String PARENT_RESOURCE_NOT_FOUND = "ParentResourceNotFound";
    public static final String PRECONDITION_FAILED = "PreconditionFailed";
    public static final String MISSING_API_VERSION = "MissingApiVersionParameter";
    public static final String INVALID_API_VERSION = "InvalidApiVersionParameter";
    public static final String INVALID_SUBSCRIPTION_ID = "InvalidSubscriptionId";
    public static final String INVALID_RESOURCE_GROUP_NAME = "InvalidResourceGroupName";
    public static final String INVALID_RESOURCE_NAME = "InvalidResourceName";
    public static final String INVALID_REQUEST_CONTENT = "InvalidRequestContent";
    public static final String INVALID_JSON = "InvalidJson";
    public static final String INVALID_PROPERTY_TYPE = "InvalidPropertyType";
    public static final String UNKNOWN_PROPERTY = "UnknownProperty";
    /** The document uses an Azure feature Gatehouse does not serve (docs/azure-compatibility.md). */
    public static final String FEATURE_NOT_SERVED = "FeatureNotServed";

    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
    public static final String NOT_FOUND = "NotFound";
    public static final String INTERNAL_SERVER_ERROR = "InternalServerError";
    public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
    public static final String AUTHORIZATION_FAILED = "AuthorizationFailed";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String REQUEST_BODY_TOO_LARGE = "RequestBodyTooLarge";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    private ErrorCodes() {}
}
