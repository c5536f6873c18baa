package io.keyledger.api.orgs;

import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import io.keyledger.config.KeyledgerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many credential reports of each org are streaming on this replica. A report holds no
 * database connection while its client reads, but it still holds a stream, a page and a write
 * queue: a member opening dozens at once gets a 429 past {@code keyledger.report.max-concurrent-per-org}.
 */
@ApplicationScoped
public class ReportSlots {

    static final String BUSY = "Too many credential reports of this org are running; retry after "
            + ReportSlots.RETRY_AFTER_SECONDS + " s";
    static final long RETRY_AFTER_SECONDS = 5;

    private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();
    private final int perOrg;

    @Inject
    public ReportSlots(KeyledgerConfig config) {
        this.perOrg = config.report().maxConcurrentPerOrg();
    }

    /** Takes a slot for the org, or throws a 429; the caller must {@link #release} it when the report ends. */
    void acquire(String org) {
        boolean[] taken = {false};
        running.compute(org, (o, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perOrg) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            throw new ApiException(429, ErrorResponse.of(BUSY), RETRY_AFTER_SECONDS);
        }
    }

    void release(String org) {
        // the entry goes at zero, so orgs that stopped asking leave nothing behind
        running.compute(org, (o, count) -> count == null || count <= 1 ? null : count - 1);
    }

    /** Reports of the org running now. */
    public int running(String org) {
        return running.getOrDefault(org, 0);
    }
}
