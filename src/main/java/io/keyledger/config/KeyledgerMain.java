package io.keyledger.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts keyledger. It hands URI validation from Quarkus's root handler, which answers a bad URI
 * (e.g. {@code %zz}) with an empty 400 before any hook can run, to {@code api.http.HttpGuards}, which
 * makes the same check ({@link java.net.URI}) and answers with the JSON error shape.
 */
@QuarkusMain
public class KeyledgerMain {

    /** Read by Quarkus's root HTTP handler when it is created, so it must be set before start. */
    public static final String URI_VALIDATION_OFF = "vertx.disableURIValidation";

    public static void main(String... args) {
        System.setProperty(URI_VALIDATION_OFF, "true");
        Quarkus.run(args);
    }
}
