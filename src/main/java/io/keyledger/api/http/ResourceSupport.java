package io.keyledger.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.RequestIds;
import io.keyledger.auth.Caller;
import io.keyledger.auth.Callers;
import io.keyledger.config.KeyledgerConfig;
import io.keyledger.store.EventMetadata;
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

    /** The body as a JSON object with the fields {@code known}, under the size limit and unknown-field policy set. */
    protected ObjectNode jsonBody(String body, String... known) {
        return JsonBody.parseObject(body, config.api().maxBodyBytes(), config.api().unknownFields(), known);
    }

    /** Who a change of this request is recorded as, with the request's id and trace context. */
    protected EventMetadata metadata(Caller caller) {
        return RequestIds.metadata(caller, request.getCurrent());
    }
}
