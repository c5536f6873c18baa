package io.keyledger.store;

/**
 * Every PostgreSQL advisory lock keyledger takes, in one place, so no two jobs can pick the same id. The ids spell
 * their job in ASCII, which makes them readable in {@code pg_locks.objid}.
 */
public enum LockId {
    /** The Kafka relay's leader: one replica publishes the log ("keyl"). */
    RELAY_LEADER(0x6b65796cL, "Kafka relay"),
    /** The expiry scanner's leader ("kexp"). */
    EXPIRY_SCANNER(0x6b657870L, "expiry scanner"),
    /** The ledger checkpointer's leader ("kchk"). */
    LEDGER_CHECKPOINTER(0x6b63686bL, "ledger checkpointer"),
    /** A running projection rebuild, on whichever replica started it ("kreb"). */
    READ_MODEL_REBUILD(0x6b726562L, "projection rebuild"),
    /**
     * The class of the per-stream transaction locks the write path takes ({@code pg_advisory_xact_lock(class,
     * hashtext(stream_id))}) so a stream's versions commit in order ("klst"). Two-key form, so it cannot collide
     * with the one-key leader locks above.
     */
    STREAM_WRITERS(0x6b6c7374L, "stream writers");

    private final long id;
    private final String job;

    LockId(long id, String job) {
        this.id = id;
        this.job = job;
    }

    public long id() {
        return id;
    }

    /** What holds it, for logs. */
    public String job() {
        return job;
    }
}
