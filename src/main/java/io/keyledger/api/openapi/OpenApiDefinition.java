package io.keyledger.api.openapi;

import io.keyledger.api.ErrorResponse;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API-level OpenAPI metadata: the two security schemes (as in the Kosli seeds), the server, and the
 * error responses every operation shares, always with an {@link ErrorResponse} body. Operations refer to those
 * responses by name ({@code @APIResponse(responseCode = "429", ref = OpenApiDefinition.TOO_MANY_REQUESTS)}), except
 * 401 and 503, which {@link OpenApiRules} adds with each operation's security, and 415, which {@link OpenApiErrors}
 * adds to every operation that takes a body.
 */
@OpenAPIDefinition(
        info = @Info(title = "keyledger", version = "2.0",
                description = "Issues and tracks API keys for service accounts (Kosli API v2 compatible).\n\n"
                        + "Authenticate with `Authorization: Bearer <token>`, where the token is a JWT from your "
                        + "identity provider or a keyledger API key, or with HTTP Basic and an API key as the "
                        + "user name (the password is ignored)."),
        servers = @Server(url = "/", description = "The keyledger deployment that serves this document"),
        tags = {@Tag(name = "Service Accounts", description = "Service accounts of an org and their API keys"),
                @Tag(name = "API Keys", description = "Key verification for gateways and other services")},
        security = {@SecurityRequirement(name = OpenApiDefinition.BEARER),
                @SecurityRequirement(name = OpenApiDefinition.BASIC)},
        components = @Components(
                headers = {
                        @Header(name = OpenApiDefinition.RETRY_AFTER, description = "Seconds to wait before retrying",
                                required = true, schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
                        @Header(name = OpenApiDefinition.WWW_AUTHENTICATE, description = "The authentication challenge",
                                required = true, schema = @Schema(type = SchemaType.STRING))},
                responses = {
                        @APIResponse(name = OpenApiDefinition.UNAUTHORIZED,
                                description = "Missing, malformed, expired or unknown credentials",
                                headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE,
                                        ref = OpenApiDefinition.WWW_AUTHENTICATE),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = OpenApiDefinition.UNSUPPORTED_MEDIA_TYPE,
                                description = "The body is not sent as application/json",
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = OpenApiDefinition.TOO_MANY_REQUESTS, description = "Rate limit exceeded",
                                headers = @Header(name = HttpHeaders.RETRY_AFTER, ref = OpenApiDefinition.RETRY_AFTER),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class))),
                        @APIResponse(name = OpenApiDefinition.UNAVAILABLE,
                                description = "PostgreSQL is unreachable, or no pooled connection came free in time;"
                                        + " nothing was written, retry later",
                                headers = @Header(name = HttpHeaders.RETRY_AFTER, ref = OpenApiDefinition.RETRY_AFTER),
                                content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = ErrorResponse.class)))}))
@SecurityScheme(securitySchemeName = OpenApiDefinition.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A JWT from the identity provider (org permission from its groups claim) or a keyledger API key")
@SecurityScheme(securitySchemeName = OpenApiDefinition.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "A keyledger API key as the user name; the password is ignored")
public class OpenApiDefinition extends Application {

    /** The operations anyone may call, the ledger's public keys: {@link OpenApiRules} clears their security requirement. */
    public static final String LEDGER_PUBLIC_KEY = "get_ledger_public_key";

    public static final String LEDGER_PUBLIC_KEYS = "list_ledger_public_keys";

    public static final String BEARER = "HTTPBearer";
    public static final String BASIC = "HTTPBasic";

    static final String RETRY_AFTER = "RetryAfter";
    static final String WWW_AUTHENTICATE = "WwwAuthenticate";

    /** Where the shared responses below are, for a reference written in a filter. */
    static final String REFERENCE = "#/components/responses/";

    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String UNAVAILABLE = "ServiceUnavailable";
}
