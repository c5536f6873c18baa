package io.keyledger.testing;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.serviceaccount.ApiKeyFormat;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The key generator's randomness in tests: SecureRandom, except that a test may ask for the
 * last key's draws to be replayed once, so the next key minted collides with the previous one.
 */
public final class ReplayableRandom implements RandomGenerator {

    private static final int KEY_DRAWS = 30;
    private static final ReplayableRandom INSTANCE = new ReplayableRandom();

    private final SecureRandom random = new SecureRandom();
    private final List<Integer> last = new ArrayList<>();
    private final Deque<Integer> replay = new ArrayDeque<>();

    /** The next key minted repeats the previous one (its random part, so its whole value). */
    public static void replayLastKeyOnce() {
        synchronized (INSTANCE) {
            INSTANCE.replay.clear();
            INSTANCE.replay.addAll(INSTANCE.last);
        }
    }

    @Override
    public synchronized int nextInt(int bound) {
        if (!replay.isEmpty()) {
            return replay.poll();
        }
        int value = random.nextInt(bound);
        if (last.size() == KEY_DRAWS) {
            last.clear();
        }
        last.add(value);
        return value;
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }

    /** Replaces the production key format in @QuarkusTest runs; it behaves the same unless a test replays. */
    @Singleton
    public static class Producer {
        @Produces
        @Alternative
        @Priority(1)
        @Singleton
        ApiKeyFormat apiKeyFormat(KeyledgerConfig config) {
            return new ApiKeyFormat(config.keys().prefix(), INSTANCE);
        }
    }
}
