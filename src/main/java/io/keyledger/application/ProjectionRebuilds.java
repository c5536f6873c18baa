package io.keyledger.application;

import io.keyledger.projection.Projector;
import io.keyledger.projection.ReadModelRebuild;
import io.keyledger.serviceaccount.ProjectionsRebuilt;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.WritePath;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The projection rebuild as an audited operation: the rebuild ({@link ReadModelRebuild}), then a
 * {@link ProjectionsRebuilt} in stream {@code operations} naming who ran it and what it did. The
 * rebuild ignores that event (it changes no read model), so a later rebuild replays it harmlessly.
 */
@ApplicationScoped
public class ProjectionRebuilds {

    /** The rebuild finished, but its record could not be appended: the read models are rebuilt, the trail lacks it. */
    public static final class NotRecorded extends RuntimeException {
        public final transient ReadModelRebuild.Report report;

        NotRecorded(ReadModelRebuild.Report report, Throwable cause) {
            super("the projection rebuild finished but was not recorded", cause, false, false);
            this.report = report;
        }
    }

    @Inject
    Projector projector;

    @Inject
    EventStore store;

    @Inject
    Clock clock;

    /** Rebuilds, then records who did it; {@code metadata} names the operator (its actor is the JWT user). */
    public Uni<ReadModelRebuild.Report> rebuild(EventMetadata metadata) {
        return projector.rebuild().chain(report -> {
            ProjectionsRebuilt rebuilt = new ProjectionsRebuilt(report.events(), report.batches(),
                    report.took().toMillis(), clock.instant().truncatedTo(ChronoUnit.MICROS), metadata.actorName());
            return store
                    .decideAndAppend(ProjectionsRebuilt.STREAM, store.streamVersion(ProjectionsRebuilt.STREAM),
                            version -> new WritePath.Decision<>(List.of(rebuilt), report), metadata)
                    .onFailure().transform(failure -> new NotRecorded(report, failure));
        });
    }
}
