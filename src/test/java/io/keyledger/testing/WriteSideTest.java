package io.keyledger.testing;

import io.keyledger.application.KeyService;
import io.keyledger.application.ServiceAccountService;
import io.keyledger.projection.Projector;
import io.keyledger.projection.ReadModel;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** For {@code @QuarkusTest}s that drive the write side and compare the read model with what a rebuild gives. */
public abstract class WriteSideTest {

    @Inject
    protected KeyService keys;

    @Inject
    protected ServiceAccountService accounts;

    @Inject
    protected ReadModel readModel;

    @Inject
    protected Projector projector;

    @Inject
    protected Pool pool;
}
