package io.keyledger.auth;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Why a bearer JWT was refused, in words an operator can act on ("expired", "audience", ...). The reason travels as an
 * attribute of the (final) authentication failure; it never carries the token or any of its claims.
 */
public final class JwtRefusal {

    static final String REASON_ATTRIBUTE = "keyledger.jwt_refusal";

    public static final String EXPIRED = "expired";
    public static final String AUDIENCE = "audience";
    public static final String ISSUER = "issuer";
    public static final String SIGNATURE = "signature";
    public static final String TOO_OLD = "too old";
    public static final String ISSUED_IN_FUTURE = "issued in the future";
    public static final String NO_SUBJECT = "no subject";
    public static final String MALFORMED = "malformed";

    private JwtRefusal() {
    }

    /** Without smallrye's exception as cause: its messages can quote claims, and the reason says what is needed. */
    static AuthenticationFailedException failure(String reason) {
        return new AuthenticationFailedException("JWT refused: " + reason, Map.of(REASON_ATTRIBUTE, reason));
    }

    /** The reason when the failure is a refused JWT, else null (an API key's failure keeps its own answer). */
    public static String reasonOf(AuthenticationFailedException failure) {
        Object reason = failure.getAttributes() == null ? null : failure.getAttributes().get(REASON_ATTRIBUTE);
        return reason instanceof String text ? text : null;
    }

    /** Reads smallrye-jwt's failure (jose4j error codes, or smallrye's own SRJWT message ids) as a reason. */
    static String classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return EXPIRED;
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)
                        || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return AUDIENCE;
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID)
                        || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return ISSUER;
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)
                        || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return SIGNATURE;
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                    return ISSUED_IN_FUTURE;
                }
            }
            String message = cause.getMessage();
            if (message != null) {
                // over the 24 h limit, by age since iat (07018) or by its exp - iat span (07009): both "too old"
                if (message.contains("SRJWT07018") || message.contains("SRJWT07009")) {
                    return TOO_OLD;
                }
            }
        }
        return MALFORMED;
    }
}
