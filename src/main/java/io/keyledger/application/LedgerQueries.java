package io.keyledger.application;

import io.keyledger.events.EventCodec;
import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.KeysAsOf;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.keyledger.store.EventLog;
import io.keyledger.store.StoredEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Questions answered from the log itself, never from the read model (which only lists the org's
 * account names, deleted ones too, for the org-wide as-of): an account's or a key's
 * history, and which keys were active at an instant (folded with {@link KeysAsOf}, a stream at a
 * time, in stream-version order and in pages).
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
    EventLog log;

    @Inject
    ReadModel readModel;

    /** An account's events after {@code after}, oldest first; a stream that never existed is a 404. */
    public Uni<HistoryPage> accountHistory(String org, String name, long after, int limit) {
        String stream = ServiceAccountNames.streamId(org, name);
        return log.readStream(stream, after, limit).chain(events -> {
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
        return log.readKeyEvents(stream, keyId)
                .chain(events -> events.isEmpty()
                        ? requireStream(stream).chain(() -> Uni.createFrom().<List<HistoryItem>>failure(
                                new Rejection(Rejection.Reason.API_KEY_NOT_FOUND, "no events of key")))
                        : Uni.createFrom().item(decode(events)));
    }

    /** Events read per query when folding a stream: what an as-of answer holds of the log at a time. */
    static final int FOLD_PAGE = 500;

    /** One page of the org-wide answer, and the account to continue after (null at the end). */
    public record OrgKeysPage(List<KeysAsOf.KeyAsOf> keys, String nextAfter) {
    }

    /** The account's keys active at {@code at}; an account that did not exist by then has none. */
    public Uni<List<KeysAsOf.KeyAsOf>> accountKeysAsOf(String org, String name, Instant at) {
        String stream = ServiceAccountNames.streamId(org, name);
        return fold(stream, 0, new KeysAsOf.Fold(at), true).map(KeysAsOf.Fold::active);
    }

    /**
     * The keys active at {@code at} of the org's accounts after {@code afterAccount} ("" from the
     * first), {@code accounts} accounts at most, newest first. Each account's stream is folded on
     * its own, one after the other, so memory holds one page of events and the page's keys.
     */
    public Uni<OrgKeysPage> orgKeysAsOf(String org, Instant at, String afterAccount, int accounts) {
        return readModel.accountNamesEver(org, afterAccount, accounts)
                .chain(names -> Multi.createFrom().iterable(names).onItem()
                        .transformToUniAndConcatenate(
                                name -> fold(ServiceAccountNames.streamId(org, name), 0, new KeysAsOf.Fold(at), false))
                        .collect().in(ArrayList<KeysAsOf.KeyAsOf>::new, (keys, fold) -> keys.addAll(fold.active()))
                        .map(keys -> {
                            keys.sort(KeysAsOf.NEWEST_FIRST);
                            return new OrgKeysPage(keys, names.size() == accounts ? names.get(names.size() - 1) : null);
                        }));
    }

    /**
     * Folds a stream from {@code afterVersion} in stream-version order, a page per query, decoding
     * and folding off the event loop; it stops at the end or at the first event after the instant.
     * An empty stream is a 404 when {@code mustExist}.
     */
    private Uni<KeysAsOf.Fold> fold(String stream, int afterVersion, KeysAsOf.Fold fold, boolean mustExist) {
        return log.readStreamByVersion(stream, afterVersion, FOLD_PAGE).emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(page -> {
                    if (page.isEmpty() && afterVersion == 0 && mustExist) {
                        return Uni.createFrom()
                                .failure(new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "no such stream"));
                    }
                    for (StoredEvent event : page) {
                        if (!fold.apply((ServiceAccountEvent) EventCodec.decode(event.type(), event.schemaVersion(),
                                event.data()))) {
                            return Uni.createFrom().item(fold);
                        }
                    }
                    if (page.size() < FOLD_PAGE) {
                        return Uni.createFrom().item(fold);
                    }
                    return fold(stream, page.get(page.size() - 1).streamVersion(), fold, mustExist);
                });
    }

    private Uni<Void> requireStream(String stream) {
        return log.streamExists(stream).invoke(exists -> {
            if (!exists) {
                throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "no such stream");
            }
        }).replaceWithVoid();
    }

    private static List<HistoryItem> decode(List<StoredEvent> stored) {
        List<HistoryItem> items = new ArrayList<>(stored.size());
        for (StoredEvent event : stored) {
            items.add(new HistoryItem(event,
                    (ServiceAccountEvent) EventCodec.decode(event.type(), event.schemaVersion(), event.data())));
        }
        return items;
    }
}
