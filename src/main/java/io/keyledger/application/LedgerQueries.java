package io.keyledger.application;

import io.keyledger.serviceaccount.KeysAsOf;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.keyledger.store.EventCodec;
import io.keyledger.store.EventStore;
import io.keyledger.store.StoredEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Questions answered from the log itself, never from the read model: an account's or a key's
 * history, and which keys were active at an instant (folded with {@link KeysAsOf}).
 */
@ApplicationScoped
public class LedgerQueries {

    /** A stored event and what it means. */
    public record HistoryItem(StoredEvent stored, ServiceAccountEvent event) {
    }

    /** One page of a stream, and the cursor of the next (null at the end). */
    public record HistoryPage(List<HistoryItem> items, Long nextAfter) {
    }

    @Inject
    EventStore store;

    /** An account's events after {@code after}, oldest first; a stream that never existed is a 404. */
    public Uni<HistoryPage> accountHistory(String org, String name, long after, int limit) {
        String stream = ServiceAccountNames.streamId(org, name);
        return store.readStream(stream, after, limit).chain(events -> {
            Long next = events.size() == limit ? events.get(events.size() - 1).position() : null;
            HistoryPage page = new HistoryPage(decode(events), next);
            if (!events.isEmpty()) {
                return Uni.createFrom().item(page);
            }
            return requireStream(stream).replaceWith(page);
        });
    }

    /** One key's events (created, rotated on either side, revoked), whatever its state now. */
    public Uni<List<HistoryItem>> keyHistory(String org, String name, String keyId) {
        String stream = ServiceAccountNames.streamId(org, name);
        return store.readKeyEvents(stream, keyId).chain(events -> events.isEmpty()
                ? requireStream(stream).chain(() -> Uni.createFrom().<List<HistoryItem>>failure(
                        new Rejection(Rejection.Reason.API_KEY_NOT_FOUND, "no events of key")))
                : Uni.createFrom().item(decode(events)));
    }

    /** The account's keys active at {@code at}; an account that did not exist by then has none. */
    public Uni<List<KeysAsOf.KeyAsOf>> accountKeysAsOf(String org, String name, Instant at) {
        String stream = ServiceAccountNames.streamId(org, name);
        return store.readStream(stream, 0, Integer.MAX_VALUE).chain(events -> events.isEmpty()
                ? requireStream(stream).replaceWith(List.<KeysAsOf.KeyAsOf>of())
                : Uni.createFrom().item(KeysAsOf.active(events(events), at)));
    }

    /** Every service account's keys active at {@code at}, newest first across the org. */
    public Uni<List<KeysAsOf.KeyAsOf>> orgKeysAsOf(String org, Instant at) {
        return store.readStreamsStartingWith(ServiceAccountNames.streamId(org, "")).map(events -> {
            List<KeysAsOf.KeyAsOf> keys = new ArrayList<>();
            int start = 0;
            for (int i = 1; i <= events.size(); i++) {
                if (i == events.size() || !events.get(i).streamId().equals(events.get(start).streamId())) {
                    keys.addAll(KeysAsOf.active(events(events.subList(start, i)), at));
                    start = i;
                }
            }
            keys.sort(KeysAsOf.NEWEST_FIRST);
            return keys;
        });
    }

    private Uni<Void> requireStream(String stream) {
        return store.streamExists(stream).invoke(exists -> {
            if (!exists) {
                throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "no such stream");
            }
        }).replaceWithVoid();
    }

    private static List<HistoryItem> decode(List<StoredEvent> stored) {
        List<HistoryItem> items = new ArrayList<>(stored.size());
        for (StoredEvent event : stored) {
            items.add(new HistoryItem(event, (ServiceAccountEvent) EventCodec.decode(event.type(), event.schemaVersion(), event.data())));
        }
        return items;
    }

    private static List<ServiceAccountEvent> events(List<StoredEvent> stored) {
        List<ServiceAccountEvent> events = new ArrayList<>(stored.size());
        for (StoredEvent event : stored) {
            events.add((ServiceAccountEvent) EventCodec.decode(event.type(), event.schemaVersion(), event.data()));
        }
        return events;
    }
}
