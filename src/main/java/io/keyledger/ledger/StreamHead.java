package io.keyledger.ledger;

/** The latest event of one stream that a checkpoint covers. */
public record StreamHead(String streamId, int streamVersion, String hash) {
}
