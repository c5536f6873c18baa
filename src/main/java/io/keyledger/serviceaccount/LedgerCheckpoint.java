package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * A signed checkpoint of the whole log, in stream {@code ledger}: it covers every event of every
 * other stream written by a transaction older than {@code coversTransactionsBelow} (the last of
 * them at {@code position}), through a Merkle root over each stream's head, signed with Ed25519.
 * A deleted tail or a deleted stream changes a head, so the root no longer matches. {@code keyId}
 * names the signing key (its RFC 7638 thumbprint), so the key can rotate; it is null in checkpoints
 * recorded before v3, which verify against every known key.
 */
public record LedgerCheckpoint(long position, String coversTransactionsBelow, int streams, String merkleRoot,
        String signature, Instant checkpointedAt, String keyId) implements DomainEvent {

    @Override
    public Instant occurredAt() {
        return checkpointedAt;
    }
}
