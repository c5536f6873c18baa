package io.keyledger.auth;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.usage.RequestLine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * One check of a presented API key from a client address, for every way a key arrives: the API's
 * authentication ({@link ApiKeyAuthMechanism}) and the gateway check ({@code /api/v2/authz}). It
 * verifies through {@link ApiKeyVerifier} (cache, invalidations, usage for last_used_at) and owns
 * the per-address allowances for failed authentications, so a guesser has one allowance whichever
 * door it knocks on.
 * <p>
 * Anyone can make well-formed keys (the checksum is public), so guessing costs the client: each
 * key that does not exist counts against its address, and an address that has used up its
 * allowance is answered with a wait before any database work is done (a key verified in memory
 * still works). A revoked or expired key is a real key (its answer is cached): it is refused and
 * does not count. Junk (a key no checksum check accepts) and well-formed keys have separate
 * allowances, the latter larger: junk from a shared address (behind a NAT or an untrusted proxy)
 * never gets a fresh real key throttled. See docs/security.md.
 */
@ApplicationScoped
public class KeyCheck {

    /**
     * The verification (recorded already when valid), or the seconds to wait when the address is throttled;
     * {@code addressRefused} when the key is valid but the client is outside its address allow-list.
     */
    public record Result(Verification verification, long retryAfterSeconds, boolean addressRefused) {

        Result(Verification verification, long retryAfterSeconds) {
            this(verification, retryAfterSeconds, false);
        }

        public boolean throttled() {
            return retryAfterSeconds > 0;
        }

        /** A valid key from outside its allow-list is refused as though it were not valid at all. */
        Result fromAddress(String client) {
            if (verification == null || !verification.valid()) {
                return this;
            }
            return AddressRanges.allows(verification.key().orElseThrow().allowedCidrs(), client)
                    ? this
                    : new Result(verification, 0, true);
        }
    }

    @Inject
    ApiKeyVerifier verifier;

    /** Junk keys (malformed or a bad checksum) per address: they cost no query, and no real key is junk. */
    private final Throttle junk;
    /** Well-formed keys looked up per address: one query each; real ones give their token back. */
    private final Throttle lookups;

    private final Counter junkRejected;
    private final Counter lookupsRejected;

    @Inject
    public KeyCheck(KeyledgerConfig config, Clock clock, MeterRegistry registry) {
        int junkPerMinute = config.rateLimit().failedAuthenticationsPerMinute();
        int lookupsPerMinute = config.rateLimit().unknownKeyLookupsPerMinute();
        long tracked = config.rateLimit().trackedClients();
        this.junk = new Throttle(junkPerMinute, junkPerMinute / 60.0, tracked, clock);
        this.lookups = new Throttle(lookupsPerMinute, lookupsPerMinute / 60.0, tracked, clock);
        // the same meter as api.RateLimiter's 429s, one more limit label each
        this.junkRejected = Counter.builder("keyledger.rate_limit.rejections").tag("limit", "failed_authentication")
                .description("Requests answered 429 by a rate limit").register(registry);
        this.lookupsRejected = Counter.builder("keyledger.rate_limit.rejections").tag("limit", "unknown_key_lookup")
                .description("Requests answered 429 by a rate limit").register(registry);
    }

    /** True when the value looks like one of our keys (prefix), whether or not it is valid. */
    public boolean looksLikeKey(String value) {
        return verifier.looksLikeKey(value);
    }

    /**
     * Checks {@code value} presented from {@code client} (the peer address, or the trusted proxy's forwarded one) for
     * {@code request} (what the usage record says it was used for; null when unknown). The value is hashed once.
     */
    public Uni<Result> check(String value, String client, String method, String uri) {
        return check(value, client, new RequestLine(method, uri));
    }

    Uni<Result> check(String value, String client, RequestLine request) {
        return checkKey(value, client, request).map(result -> result.fromAddress(client));
    }

    private Uni<Result> checkKey(String value, String client, RequestLine request) {
        // a key already verified in memory costs nothing and never counts; any other key takes one of the address's
        // tokens before the lookup (so parallel requests cannot all slip past), given back if the key is real
        long start = System.nanoTime();
        PresentedKey key = verifier.present(value);
        Verification cached = verifier.validFromCache(key);
        if (cached != null) {
            // checked once: counted and recorded without verifying again
            return Uni.createFrom().item(() -> new Result(verifier.recordCachedUse(cached, start, request, client), 0));
        }
        if (verifier.wasRecentlyValid(key)) {
            // a real key whose answer expired: it is looked up, but takes nothing from the address's allowance, so
            // clients behind one address with an attacker are not locked out when their cached answers lapse
            return verifier.verifyAndRecordUse(key, request, client).map(result -> new Result(result, 0));
        }
        Throttle allowance = key.wellFormed() ? lookups : junk;
        long wait = allowance.take(client);
        if (wait > 0) {
            (key.wellFormed() ? lookupsRejected : junkRejected).increment();
            return Uni.createFrom().item(new Result(null, wait));
        }
        return verifier.verifyAndRecordUse(key, request, client).map(result -> {
            if (result.code() != Verification.Code.NOT_FOUND && result.code() != Verification.Code.INVALID_FORMAT) {
                allowance.giveBack(client); // valid, revoked or expired: a real key, not a guess
            }
            return new Result(result, 0);
        });
    }

    /**
     * Takes one of {@code client}'s junk tokens for another credential checked without a query (the bootstrap token):
     * 0 when allowed, else the seconds to wait (counted as a 429).
     */
    public long takeFailedAuthentication(String client) {
        long wait = junk.take(client);
        if (wait > 0) {
            junkRejected.increment();
        }
        return wait;
    }

    /** Gives back a token taken by {@link #takeFailedAuthentication}: the credential was right. */
    public void giveBackFailedAuthentication(String client) {
        junk.giveBack(client);
    }
}
