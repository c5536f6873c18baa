package io.keyledger.serviceaccount;

/**
 * Which of an account's unrevoked keys a command's locked state must hold ({@link ServiceAccountDecider#keysToLoad}; see
 * {@code projection.ReadModel.lockedState}): a command reads only what its
 * decision needs, so its cost does not grow with the keys the account holds.
 */
public record KeysToLoad(Kind kind, String keyId, int cap) {

    public enum Kind {
        /** None: the account's own fields and its key count (create, update an account). */
        NONE,
        /** The one key a command names (revoke, rotate, a leak report, an expiry check). */
        ONE,
        /** What creating one more key needs: none below the cap, the soonest-lapsing ones at it. */
        ROOM_FOR_ONE,
        /** The named key and, at the cap, what creating one more needs (a rotation replaces one key with two). */
        ONE_AND_ROOM_FOR_ONE,
        /** Every unrevoked key (deleting the account revokes them all). */
        ALL
    }

    public static KeysToLoad none() {
        return new KeysToLoad(Kind.NONE, null, 0);
    }

    public static KeysToLoad one(String keyId) {
        return new KeysToLoad(Kind.ONE, keyId, 0);
    }

    public static KeysToLoad roomForOne(int cap) {
        return new KeysToLoad(Kind.ROOM_FOR_ONE, null, cap);
    }

    public static KeysToLoad oneAndRoomForOne(String keyId, int cap) {
        return new KeysToLoad(Kind.ONE_AND_ROOM_FOR_ONE, keyId, cap);
    }

    public static KeysToLoad all() {
        return new KeysToLoad(Kind.ALL, null, 0);
    }
}
