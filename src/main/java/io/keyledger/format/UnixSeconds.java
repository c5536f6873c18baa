package io.keyledger.format;

import java.math.BigDecimal;
import java.time.Instant;

/** Unix seconds with a microsecond fraction, as a plain JSON number (never 1.7E9): the API's and the topics' time format. */
public final class UnixSeconds {

    private UnixSeconds() {
    }

    /** Null in, null out. */
    public static BigDecimal of(Instant instant) {
        if (instant == null) {
            return null;
        }
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.getNano() / 1_000);
        return BigDecimal.valueOf(micros, 6);
    }
}
