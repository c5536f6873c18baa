package io.keyledger.application;

import io.keyledger.projection.ReadModel;
import io.keyledger.projection.VerifiedKey;
import io.keyledger.serviceaccount.ApiKeyFormat;
import io.keyledger.serviceaccount.Peppers;
import io.keyledger.serviceaccount.ReportLeak;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.store.EventMetadata;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secret-scanner reports (GitHub's partner format): a token that is one of our keys, active or
 * once issued, is a true positive; an active one is revoked (or disabled, under an {@code on_leak: disable} org
 * policy) in the same request, with the report recorded first. Repeating a report changes nothing more.
 */
@ApplicationScoped
public class LeakReports {

    /** One reported token: the token itself, where it was found and who found it. */
    public record Report(String token, String url, String source) {
    }

    /** Whether a reported token was one of ours; nothing more is told. */
    public record Verdict(String token, boolean truePositive) {
    }

    @Inject
    ApiKeyFormat format;

    @Inject
    Peppers peppers;

    @Inject
    ReadModel readModel;

    @Inject
    CommandHandler commands;

    @Inject
    Clock clock;

    public Uni<List<Verdict>> report(List<Report> reports, EventMetadata metadata) {
        // a checksum failure is never ours and costs no query; the rest are looked up in one query, under every
        // pepper: a leaked key not presented since its pepper was rotated is still ours, and still gets revoked
        Map<String, Report> byHash = new LinkedHashMap<>();
        for (Report report : reports) {
            if (format.isWellFormed(report.token())) {
                for (String id : peppers.ids()) {
                    byHash.putIfAbsent(peppers.hasher(id).hash(report.token()), report);
                }
            }
        }
        Uni<List<VerifiedKey>> found = byHash.isEmpty()
                ? Uni.createFrom().item(List.of())
                : readModel.findKeysByHashes(new ArrayList<>(byHash.keySet()));
        return found.chain(keys -> {
            Map<String, VerifiedKey> known = new LinkedHashMap<>();
            keys.forEach(key -> known.put(key.keyHash(), key));
            long now = clock.instant().getEpochSecond();
            List<Uni<Void>> revocations = new ArrayList<>();
            for (VerifiedKey key : keys) {
                if (!key.revoked() && ServiceAccount.isActive(key.expiresAt(), now)) {
                    Report report = byHash.get(key.keyHash());
                    revocations.add(Uni.createFrom()
                            .deferred(() -> commands
                                    .handle(key.org(), key.serviceAccount(),
                                            at -> new ReportLeak(key.org(), key.serviceAccount(), key.keyId(),
                                                    report.source(), report.url(), at, metadata.actorName()),
                                            metadata)
                                    .replaceWithVoid()));
                }
            }
            // one account at a time: each revocation is its own transaction on that account's stream
            return Multi.createFrom().iterable(revocations).onItem().transformToUniAndConcatenate(u -> u).collect()
                    .asList().map(done -> {
                        List<Verdict> verdicts = new ArrayList<>(reports.size());
                        for (Report report : reports) {
                            boolean ours = format.isWellFormed(report.token()) && peppers.ids().stream()
                                    .anyMatch(id -> known.containsKey(peppers.hasher(id).hash(report.token())));
                            verdicts.add(new Verdict(report.token(), ours));
                        }
                        return verdicts;
                    });
        });
    }
}
