package io.keyledger.serviceaccount;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The expiry-warning thresholds, such as {@code 30d,7d,1d}: each is recorded once per key, named by its text. */
public final class ExpiryWarnings {

    /** One threshold: its text (the event's {@code warning}) and how long before expiry it is due. */
    public record Threshold(String text, Duration before) {
    }

    private ExpiryWarnings() {
    }

    /** Parses a list like {@code 30d,7d,1d} (units d, h, m, s), widest first. */
    public static List<Threshold> parse(String list) {
        List<Threshold> thresholds = new ArrayList<>();
        for (String part : list.split(",")) {
            String text = part.trim().toLowerCase(Locale.ROOT);
            if (text.isEmpty()) {
                continue;
            }
            thresholds.add(new Threshold(text, duration(text)));
        }
        thresholds.sort(Comparator.comparing(Threshold::before).reversed());
        return List.copyOf(thresholds);
    }

    /** How long before expiry a warning named {@code text} is due. */
    public static Duration duration(String text) {
        if (!text.matches("[1-9][0-9]{0,5}[dhms]")) {
            throw new IllegalArgumentException(
                    "an expiry warning is a number and a unit (d, h, m or s), like 30d: " + text);
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'd' -> Duration.ofDays(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /**
     * When a key next needs a look from the scanner: its earliest threshold not yet warned of, or
     * its expiry until that is recorded; null when nothing is left (or it never expires).
     */
    public static Long nextNoticeAt(long expiresAt, java.util.Set<String> sent, List<Threshold> thresholds) {
        if (expiresAt == 0 || sent.contains(ServiceAccount.EXPIRED)) {
            // a recorded expiry ends it: a warning missed before then is never due any more (else the scanner
            // would find the key due again on every scan)
            return null;
        }
        long next = Long.MAX_VALUE;
        for (Threshold threshold : thresholds) {
            if (!sent.contains(threshold.text())) {
                next = Math.min(next, expiresAt - threshold.before().getSeconds());
            }
        }
        if (!sent.contains(ServiceAccount.EXPIRED)) {
            next = Math.min(next, expiresAt);
        }
        return next == Long.MAX_VALUE ? null : next;
    }
}
