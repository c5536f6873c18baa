package io.keyledger.keys;

import io.keyledger.events.DomainEvent;

/** Events of an API key's life. They live in the owning service account's stream. */
public sealed interface KeyEvent extends DomainEvent permits KeyCreated, KeyRevoked, KeyRotated {

    String keyId();
}
