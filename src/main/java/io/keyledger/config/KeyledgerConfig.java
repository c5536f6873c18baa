package io.keyledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Everything keyledger itself reads from configuration. Production values come from the environment. */
@ConfigMapping(prefix = "keyledger")
public interface KeyledgerConfig {

    Keys keys();

    Api api();

    Relay relay();

    Usage usage();

    Bench bench();

    Database database();

    /**
     * Bounds on waiting for a pooled PostgreSQL connection (Quarkus 3.33 has no setting for them; {@link PoolBounds}
     * applies them). Past either, the request fails fast with a JSON 503 and {@code Retry-After}.
     */
    interface Database {
        /** Longest a request waits for a free connection of quarkus.datasource.reactive.max-size. */
        @WithDefault("5s")
        Duration connectionTimeout();

        /** Most requests waiting for a connection at once; one more is answered 503 at once. */
        @WithDefault("500")
        int maxWaitQueueSize();
    }

    interface Bench {
        /** Enables GET /api/v2/_noop, the HTTP ceiling the benchmark compares against. */
        @WithDefault("false")
        boolean noopEnabled();
    }

    interface Keys {
        /** Prefix of every key value, for secret scanners (KEYLEDGER_KEYS_PREFIX). */
        @WithDefault("kl")
        String prefix();

        /**
         * The key-hash peppers, {@code id:secret,id:secret}, current first (KEYLEDGER_KEYS_HASH_PEPPERS); this or
         * {@link #hashPepper} is required, not both. See {@code serviceaccount.Peppers}.
         */
        @WithName("hash-peppers")
        Optional<String> hashPeppers();

        /** The single pepper of earlier releases (KEYLEDGER_KEYS_HASH_PEPPER): the one-element list {@code p0}. */
        @WithName("hash-pepper")
        Optional<String> hashPepper();

        /** How often each replica counts active keys by pepper for {@code keyledger_keys_by_pepper}. */
        @WithDefault("60s")
        Duration pepperCountInterval();

        /** Cap on active keys per service account. */
        @WithDefault("100")
        int maxActivePerServiceAccount();

        /** Verified keys kept in memory per replica, at most. */
        @WithDefault("50000")
        long cacheSize();

        /** Estimated heap the verified-key cache may use, at most. */
        @WithDefault("32M")
        io.quarkus.runtime.configuration.MemorySize cacheMaxBytes();

        /** Longest a cached verification lives; revocation retires it at once regardless. */
        @WithDefault("60s")
        Duration cacheTtl();

        /** How long "no such key" is remembered, so a repeated unknown key costs no query. */
        @WithDefault("10s")
        Duration unknownCacheTtl();

        /** Unknown keys remembered, at most (bounded: anyone can make well-formed keys). */
        @WithDefault("50000")
        long unknownCacheSize();

        @WithDefault("16M")
        io.quarkus.runtime.configuration.MemorySize unknownCacheMaxBytes();
    }

    Auth auth();

    interface Auth {
        /** Verified JWT identities kept per replica, at most. */
        @WithDefault("10000")
        long jwtCacheSize();

        /** Estimated heap the JWT identity cache may use, at most. */
        @WithDefault("8M")
        io.quarkus.runtime.configuration.MemorySize jwtCacheMaxBytes();

        /** Longest a verified JWT identity is reused (never past the token's own exp). */
        @WithDefault("5m")
        Duration jwtCacheTtl();

        /**
         * The JWT claim that carries the caller's groups (KEYLEDGER_AUTH_GROUPS_CLAIM); a nested claim is a path with
         * '/' (Keycloak: realm_access/roles), a top-level claim its name (Okta: groups, Entra ID: roles). Read by
         * smallrye-jwt through smallrye.jwt.path.groups.
         */
        @WithDefault("groups")
        String groupsClaim();

        /**
         * The group that makes its holder an admin of an org (KEYLEDGER_AUTH_ADMIN_GROUP_PATTERN): literal text around
         * {@code {org}}, e.g. {@code /keyledger/{org}/admin} for Keycloak's full group paths. Checked at start.
         */
        @WithDefault("org:{org}:admin")
        String adminGroupPattern();

        /** The group that makes its holder a member (read-only) of an org (KEYLEDGER_AUTH_MEMBER_GROUP_PATTERN). */
        @WithDefault("org:{org}:member")
        String memberGroupPattern();

        /**
         * The group that grants a service-wide role, {@code {role}} being verifier, auditor, scanner or operator
         * (KEYLEDGER_AUTH_ROLE_GROUP_PATTERN).
         */
        @WithDefault("keyledger:{role}")
        String roleGroupPattern();

        /** The one-time first-admin bootstrap (docs/identity.md, "First admin: bootstrap"); off unless a token file is set. */
        Bootstrap bootstrap();
    }

    interface Bootstrap {
        /**
         * A secret file holding the one-time bootstrap token, read once at start (KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE);
         * at least 32 characters. Unset: POST /api/v2/bootstrap answers 404.
         */
        java.util.Optional<String> tokenFile();

        /** The one org the token may bootstrap (KEYLEDGER_AUTH_BOOTSTRAP_ORG); required with a token file. */
        java.util.Optional<String> org();

        /** How long after start the token is usable (KEYLEDGER_AUTH_BOOTSTRAP_WINDOW), at most a day. */
        @WithDefault("PT1H")
        Duration window();
    }

    RateLimit rateLimit();

    interface RateLimit {
        /** Key creations (and rotations) per org per minute, per replica. */
        @WithDefault("600")
        int keyCreationsPerMinute();

        /** Calls of POST /api-keys/verify per calling identity per second, per replica. */
        @WithDefault("2000")
        int verificationsPerSecond();

        /**
         * Junk API keys (our prefix, but the wrong length or alphabet, or a checksum that does not match) per client
         * address per minute, per replica; then 429 for junk from that address. Rejected without a database query.
         */
        @WithDefault("30")
        int failedAuthenticationsPerMinute();

        /**
         * Lookups of well-formed, checksum-valid keys that this replica has not verified lately and that turn out
         * unknown, per client address per minute, per replica; then 429 for such keys from that address. A separate
         * and larger allowance than junk's, so junk never locks a real key out (KEYLEDGER_RATE_LIMIT_UNKNOWN_KEY_LOOKUPS_PER_MINUTE).
         */
        @WithDefault("600")
        int unknownKeyLookupsPerMinute();
        /** Service-account writes (create, PATCH, delete) per org per minute, per replica. */
        @WithDefault("600")
        int accountWritesPerMinute();

        /** Clients (addresses, orgs, callers) whose rate-limit state is kept, at most. */
        @WithDefault("100000")
        long trackedClients();
    }

    Http http();

    Expiry expiry();

    Ledger ledger();

    interface Ledger {
        /** PKCS#8 PEM file of the Ed25519 key that signs checkpoints (KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION); none: no checkpoints. */
        java.util.Optional<String> signingKeyLocation();

        /** Comma-separated PEM files or directories of earlier signing keys' public keys (KEYLEDGER_LEDGER_PREVIOUS_PUBLIC_KEYS). */
        java.util.Optional<String> previousPublicKeys();

        /** How often the leader checkpoints the log, when it changed (KEYLEDGER_LEDGER_CHECKPOINT_INTERVAL); 0 turns it off. */
        @WithDefault("5m")
        Duration checkpointInterval();

        /**
         * Longest GET /api/v2/ledger/verify walks before it answers 503 naming the verification job
         * (KEYLEDGER_LEDGER_VERIFY_TIME_LIMIT); keep it below quarkus.http.idle-timeout, or the connection closes first.
         */
        @WithDefault("20s")
        Duration verifyTimeLimit();
    }

    interface Expiry {
        /** Run the background expiry scanner (KEYLEDGER_EXPIRY_ENABLED); off in tests, which drive scans themselves. */
        @WithDefault("true")
        boolean enabled();

        /** Warning thresholds before a key's expiry (KEYLEDGER_EXPIRY_WARNINGS): each is recorded once per key. */
        @WithDefault("30d,7d,1d")
        String warnings();

        /** How often the scanner looks for keys due a notice (KEYLEDGER_EXPIRY_SCAN_INTERVAL). */
        @WithDefault("1m")
        Duration scanInterval();

        /** Keys looked at per scan, at most; the rest wait for the next. */
        @WithDefault("500")
        int batchSize();
    }

    interface Http {
        /** A request body still arriving after this long gets a 408 and the connection is closed. */
        @WithDefault("10s")
        Duration readTimeout();

        /** Longest request URI answered normally; longer gets a JSON 414 (Netty's own hard limit is higher). */
        @WithDefault("8192")
        int maxUriLength();

        /** Largest header block answered normally; larger gets a JSON 431 (Netty's own hard limit is higher). */
        @WithDefault("20K")
        io.quarkus.runtime.configuration.MemorySize maxHeaderBytes();
    }

    Authz authz();

    /** The gateway check endpoint, /api/v2/authz (docs/gateways.md). */
    interface Authz {
        /** The header a gateway may send the key in, besides Authorization (KEYLEDGER_AUTHZ_KEY_HEADER). */
        @WithDefault("X-API-Key")
        String keyHeader();

        /**
         * When set (KEYLEDGER_AUTHZ_CACHE_MAX_AGE, e.g. 1s), an allowed answer carries {@code Cache-Control:
         * private, max-age=N} so a gateway may micro-cache it; this adds up to N to the revocation bound. Denials
         * and the default are {@code no-store}.
         */
        Optional<Duration> cacheMaxAge();
    }

    Report report();

    interface Report {
        /** Credential reports of one org streaming at once, per replica; more get a 429 with Retry-After. */
        @WithDefault("2")
        int maxConcurrentPerOrg();

        /** Keys read per query: a page is one short query, and no connection is held between pages. */
        @WithDefault("500")
        int pageSize();
    }

    interface Api {
        /** Largest JSON body the API accepts, in bytes; larger bodies get a 400. */
        @WithDefault("16384")
        int maxBodyBytes();

        /**
         * What a body field the API does not know gets (KEYLEDGER_API_UNKNOWN_FIELDS): {@code reject}, a 400 naming
         * it, so a typo never passes silently; {@code ignore} for clients that must send extra fields.
         */
        @WithDefault("reject")
        UnknownFields unknownFields();

        enum UnknownFields {
            REJECT, IGNORE
        }
    }

    interface Relay {
        @WithDefault("true")
        boolean enabled();

        /** Topic for key and service-account events (KEYLEDGER_RELAY_TOPIC). */
        @WithDefault("api-key-events")
        String topic();

        @WithDefault("500")
        int batchSize();

        /** How often an idle relay looks for new events. */
        @WithDefault("20ms")
        Duration pollInterval();

        /** Longest wait between attempts while Kafka or PostgreSQL is failing. */
        @WithDefault("10s")
        Duration maxBackoff();

        /** The relay counts as stalled (health DOWN) when it has failed for this long. */
        @WithDefault("30s")
        Duration stallAfter();

        /** CloudEvents source attribute. */
        @WithDefault("/keyledger")
        String source();
    }

    interface Usage {
        /** Topic of authentication usage records (KEYLEDGER_USAGE_TOPIC), read by the usage consumer. */
        @WithDefault("authentication-usage")
        String topic();

        /** How often this replica publishes the usage it has seen (one record per used key per interval). */
        @WithDefault("1s")
        Duration publishInterval();
    }
}
