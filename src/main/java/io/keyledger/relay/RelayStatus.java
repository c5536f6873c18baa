package io.keyledger.relay;

import io.keyledger.config.KeyledgerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** What the relay last managed, for health checks and logs. Written by the relay thread only. */
@ApplicationScoped
public class RelayStatus {

    public enum Role {
        STARTING, LEADER, STANDBY, STOPPED
    }

    @Inject
    Clock clock;

    @Inject
    KeyledgerConfig config;

    private final AtomicReference<Role> role = new AtomicReference<>(Role.STARTING);
    private volatile Instant failingSince;
    private volatile String lastError;
    private volatile long checkpointPosition;

    void role(Role newRole) {
        role.set(newRole);
    }

    void succeeded(long position) {
        checkpointPosition = position;
        failingSince = null;
        lastError = null;
    }

    void failed(Instant now, String error) {
        if (failingSince == null) {
            failingSince = now;
        }
        lastError = error;
    }

    public Role role() {
        return role.get();
    }

    public long checkpointPosition() {
        return checkpointPosition;
    }

    public String lastError() {
        return lastError;
    }

    /** How long the relay has been failing without a success in between, as of now; zero while it works. */
    public Duration failingFor() {
        Instant now = clock.instant();
        Instant since = failingSince;
        return since == null || now.isBefore(since) ? Duration.ZERO : Duration.between(since, now);
    }

    /**
     * True while the relay has been failing for longer than {@code keyledger.relay.stall-after}: what the health check
     * and the stalled metric both say.
     */
    public boolean stalled() {
        Instant now = clock.instant();
        Instant since = failingSince;
        return since != null && Duration.between(since, now).compareTo(config.relay().stallAfter()) > 0;
    }
}
