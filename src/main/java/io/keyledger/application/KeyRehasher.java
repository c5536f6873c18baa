package io.keyledger.application;

import io.keyledger.projection.KeyRehashing;
import io.keyledger.projection.VerifiedKey;
import io.keyledger.serviceaccount.RehashKey;
import io.keyledger.store.EventMetadata;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;

/** Re-hashes a key under the current pepper through the command path, as the system actor {@value #ACTOR_NAME}. */
@ApplicationScoped
public class KeyRehasher implements KeyRehashing {

    static final String ACTOR_NAME = "pepper-rotation";
    static final Map<String, String> ACTOR = Map.of("type", "system", "name", ACTOR_NAME);

    @Inject
    CommandHandler commands;

    @Override
    public Uni<Void> rehash(VerifiedKey key, String newKeyHash, String toPepperId) {
        EventMetadata metadata = new EventMetadata(ACTOR_NAME, ACTOR, "rehash-" + UUID.randomUUID());
        // the locked state holds the key only while it is unrevoked: a revocation that committed first wins
        return commands
                .handle(key.org(), key.serviceAccount(), now -> new RehashKey(key.org(), key.serviceAccount(),
                        key.keyId(), key.pepperId(), toPepperId, newKeyHash, now, ACTOR_NAME), metadata)
                .replaceWithVoid();
    }
}
