package io.keyledger.config;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/**
 * Creates the reactive PostgreSQL pool as Quarkus would, with a bounded wait for a connection:
 * Vert.x's defaults are a 30 s wait in an unbounded queue, so a client that holds connections
 * made every other request wait 30 s and then fail. Past keyledger.database.connection-timeout
 * or keyledger.database.max-wait-queue-size a request fails at once, which ErrorMappers answers
 * with a JSON 503 and Retry-After. Quarkus 3.33 has no setting for either, so this is its hook.
 */
@ApplicationScoped
public class PoolBounds implements PgPoolCreator {

    @Inject
    KeyledgerConfig config;

    @Override
    public Pool create(Input input) {
        KeyledgerConfig.Database database = config.database();
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setConnectionTimeout((int) Math.max(1, database.connectionTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS).setMaxWaitQueueSize(database.maxWaitQueueSize());
        // Quarkus expects a PgPool from a creator (it casts); PgPool.pool is the one factory that gives one
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), options);
    }
}
