package io.keyledger.api;

import java.math.BigDecimal;
import java.time.Instant;

/** Unix seconds with a microsecond fraction, written as a plain JSON number (never 1.7E9). */
final class Timestamps {

    private Timestamps() {
    }

    static BigDecimal seconds(Instant instant) {
        if (instant == null) {
            return null;
        }
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        return BigDecimal.valueOf(micros, 6);
    }
}
