package io.keyledger.store;

import io.keyledger.serviceaccount.DomainEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.List;

/** The types of the store's one write path ({@link EventStore#decideAndAppend}). */
public final class WritePath {

    private WritePath() {
    }

    /** A stream's state as loaded (and locked) at the start of a write, and the version it is at. */
    public record Snapshot<S>(S state, int version) {
    }

    /** Loads a stream's state inside the write transaction; the read model's locked row is the snapshot. */
    @FunctionalInterface
    public interface StateLoader<S> {
        Uni<Snapshot<S>> load(SqlConnection tx);
    }

    /**
     * What a decision made: the events to append, what to answer, and optionally a {@link Claim} appended in the
     * same transaction.
     */
    public record Decision<T>(List<? extends DomainEvent> events, T result, Claim claim) {
        public Decision(List<? extends DomainEvent> events, T result) {
            this(events, result, null);
        }
    }

    /**
     * Events that open a stream of their own (appended at expected version 0) in the write's transaction: if that
     * stream already has an event, nothing of the write is stored and it fails with a {@link VersionConflict} naming
     * the claimed stream. A once-only fact (an org's bootstrap) is recorded this way. Claimed streams have no read
     * model rows.
     */
    public record Claim(String streamId, List<? extends DomainEvent> events) {
    }

    /**
     * Read models written in the same transaction as the events they follow, from the state the write decided on
     * and the events it appended after {@code fromVersion}.
     */
    public interface InlineProjection {
        Uni<Void> apply(SqlConnection tx, Object stateBefore, List<? extends DomainEvent> events, int fromVersion);
    }
}
