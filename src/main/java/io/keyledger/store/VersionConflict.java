package io.keyledger.store;

/** Another writer appended to the stream after the version a decision was made on. The store retries; past that, a 409. */
public final class VersionConflict extends RuntimeException {

    private final String streamId;

    public VersionConflict(String streamId, int expectedVersion) {
        super("stream " + streamId + " moved past version " + expectedVersion, null, false, false);
        this.streamId = streamId;
    }

    /** The stream that had moved on. */
    public String streamId() {
        return streamId;
    }
}
