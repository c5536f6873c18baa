package io.keyledger.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** API-level OpenAPI metadata. */
@OpenAPIDefinition(
        info = @Info(title = "keyledger", version = "2.0",
                description = "Issues and tracks API keys for service accounts (Kosli API v2 compatible)."),
        security = @SecurityRequirement(name = "HTTPBearer"))
@SecurityScheme(securitySchemeName = "HTTPBearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class OpenApiDefinition extends Application {
}
