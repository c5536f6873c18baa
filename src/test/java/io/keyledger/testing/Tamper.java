package io.keyledger.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The one way tests tamper with the append-only log: what an attacker with write access to the database could do. */
public final class Tamper {

    private Tamper() {
    }

    /** Runs {@code statement} on {@code events} with its append-only trigger off, in one transaction. */
    public static void asAttacker(Pool pool, String statement, Tuple args) {
        pool.withTransaction(tx -> tx.query("ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete").execute()
                .chain(() -> tx.preparedQuery(statement).execute(args))
                .chain(() -> tx.query("ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete").execute()))
                .await().indefinitely();
    }
}
