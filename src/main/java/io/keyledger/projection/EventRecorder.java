package io.keyledger.projection;

import io.keyledger.events.DomainEvent;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Appends a decision's events and projects them, in the caller's transaction: the one write path of every command. */
@ApplicationScoped
public class EventRecorder {

    @Inject
    EventStore eventStore;

    @Inject
    Projector projector;

    public Uni<Void> record(SqlConnection tx, String streamId, int expectedVersion, List<? extends DomainEvent> events,
                            EventMetadata metadata) {
        Uni<Void> chain = eventStore.append(tx, streamId, expectedVersion, events, metadata);
        int version = expectedVersion;
        for (DomainEvent event : events) {
            int streamVersion = ++version;
            chain = chain.chain(() -> projector.apply(tx, event, streamVersion));
        }
        return chain;
    }
}
