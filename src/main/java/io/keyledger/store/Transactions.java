package io.keyledger.store;

import io.keyledger.events.Rejection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Function;

/** Runs a command's load-decide-append in one transaction, retrying when another writer won the race. */
@ApplicationScoped
public class Transactions {

    private static final int ATTEMPTS = 5;

    @Inject
    Pool pool;

    public <T> Uni<T> decideAndAppend(Function<SqlConnection, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> pool.withTransaction(work))
                .onFailure(Transactions::isConflict)
                .retry().withBackOff(Duration.ofMillis(5), Duration.ofMillis(100)).atMost(ATTEMPTS - 1);
    }

    private static boolean isConflict(Throwable failure) {
        return failure instanceof Rejection r && r.reason() == Rejection.Reason.CONCURRENT_MODIFICATION;
    }
}
