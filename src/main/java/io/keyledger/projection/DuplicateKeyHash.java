package io.keyledger.projection;

import io.vertx.pgclient.PgException;

/** A new key's hash is already taken (a collision of two minted keys): the caller mints again. */
public final class DuplicateKeyHash extends RuntimeException {

    static final String CONSTRAINT = "api_keys_key_hash_key";

    DuplicateKeyHash() {
        super("key hash already taken", null, false, false);
    }

    static boolean isCause(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && CONSTRAINT.equals(pg.getConstraint());
    }
}
