package io.keyledger.api.http;

import io.keyledger.auth.Callers;
import io.keyledger.config.KeyledgerConfig;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

/** What most resources reach for: the caller's permissions, the settings, the current request and the validator. */
public abstract class ResourceSupport {

    @Inject
    protected Callers callers;

    @Inject
    protected KeyledgerConfig config;

    @Inject
    protected CurrentVertxRequest request;

    @Inject
    protected Validator validator;
}
