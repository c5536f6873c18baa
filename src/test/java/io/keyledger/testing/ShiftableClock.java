package io.keyledger.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's clock in tests: real time plus an offset a test may move forward, so a
 * one-hour grace period can be crossed without waiting an hour. Tests must reset it.
 */
public class ShiftableClock extends Clock {

    private static final AtomicReference<Duration> OFFSET = new AtomicReference<>(Duration.ZERO);
    private static final AtomicReference<Instant> FROZEN = new AtomicReference<>();

    /** Stops time where it is now (plus any shift) until {@link #reset()}: rate limits then cannot refill. */
    public static void freeze() {
        FROZEN.set(Instant.now().plus(OFFSET.get()));
    }

    public static void shift(Duration by) {
        OFFSET.updateAndGet(current -> current.plus(by));
    }

    public static void reset() {
        OFFSET.set(Duration.ZERO);
        FROZEN.set(null);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant frozen = FROZEN.get();
        return frozen != null ? frozen : Instant.now().plus(OFFSET.get());
    }

    /** Replaces the production clock in @QuarkusTest runs. */
    @ApplicationScoped
    public static class Producer {
        @Produces
        @Alternative
        @Priority(1)
        @ApplicationScoped
        Clock clock() {
            return new ShiftableClock();
        }
    }
}
