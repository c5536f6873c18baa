package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.Peppers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * How many active keys still need each pepper: the gauge {@code keyledger_keys_by_pepper{pepper_id}}, counted from
 * the read model every {@code keyledger.keys.pepper-count-interval} (never per request). An old pepper whose count is
 * 0 can be dropped from {@code KEYLEDGER_KEYS_HASH_PEPPERS}. At start, active keys whose pepper is no longer listed
 * are counted in a WARN: they now fail as NOT_FOUND. Their ids keep a gauge too, so the loss stays visible.
 */
@ApplicationScoped
public class PepperUsage {

    private static final Logger LOG = Logger.getLogger(PepperUsage.class);
    static final String GAUGE = "keyledger.keys.by_pepper";

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Inject
    ReadModel readModel;

    @Inject
    Peppers peppers;

    @Inject
    Clock clock;

    @Inject
    Vertx vertx;

    @Inject
    KeyledgerConfig config;

    @Inject
    MeterRegistry registry;

    private long timer = -1;

    void start(@Observes StartupEvent startup) {
        peppers.ids().forEach(this::count);
        refresh(true);
        timer = vertx.setPeriodic(config.keys().pepperCountInterval().toMillis(), id -> refresh(false));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void refresh(boolean atStart) {
        readModel.activeKeysByPepper(clock.instant()).subscribe().with(byPepper -> {
            counts.forEach((id, count) -> count.set(byPepper.getOrDefault(id, 0L)));
            byPepper.forEach((id, keys) -> count(id).set(keys));
            if (atStart) {
                warnAboutDropped(byPepper);
            }
        }, failure -> LOG.warnf("keys by pepper not counted (tried again in %s): %s",
                config.keys().pepperCountInterval(), failure.getMessage()));
    }

    private void warnAboutDropped(Map<String, Long> byPepper) {
        Map<String, Long> dropped = new TreeMap<>(byPepper);
        dropped.keySet().removeAll(peppers.ids());
        dropped.values().removeIf(keys -> keys == 0);
        long keys = dropped.values().stream().mapToLong(Long::longValue).sum();
        if (keys > 0) {
            LOG.warnf(
                    "%d active API keys need peppers no longer in KEYLEDGER_KEYS_HASH_PEPPERS (%s, by pepper id): they"
                            + " now fail as NOT_FOUND; list those peppers again (after the current one) to keep them working",
                    keys, dropped);
        }
    }

    private AtomicLong count(String pepperId) {
        return counts.computeIfAbsent(pepperId, id -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder(GAUGE, count, AtomicLong::get).tag("pepper_id", id)
                    .description("Active API keys whose hash needs this pepper (0: it may be dropped)")
                    .register(registry);
            return count;
        });
    }

    /** The last counts, by pepper id (for tests and operators). */
    public Map<String, Long> lastCounts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((id, count) -> snapshot.put(id, count.get()));
        return snapshot;
    }
}
