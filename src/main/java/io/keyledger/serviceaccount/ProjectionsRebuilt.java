package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * An operator rebuilt the read models from the log, in stream {@code operations}: who ({@code rebuiltBy}, the JWT
 * subject of a {@code keyledger:operator}), when it finished, and what it did (events applied, batches, how long).
 * It changes no read model; it is the audit trail of the operation.
 */
public record ProjectionsRebuilt(long events, int batches, long durationMillis, Instant rebuiltAt,
        String rebuiltBy) implements DomainEvent {

    /** The stream operations on the service as a whole are recorded in. */
    public static final String STREAM = "operations";

    @Override
    public Instant occurredAt() {
        return rebuiltAt;
    }
}
