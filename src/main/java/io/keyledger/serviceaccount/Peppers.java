package io.keyledger.serviceaccount;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The key-hash peppers, in order: the first is current (new keys are hashed with it, and every presented key is
 * hashed with it first); the others are older ones a key may still be stored under until it is next presented and
 * re-hashed. Each has an id, recorded with every key, so a key's row says which pepper its hash needs.
 *
 * <p>Written {@code id:secret,id:secret} ({@code KEYLEDGER_KEYS_HASH_PEPPERS}); a secret may contain {@code :} but
 * not {@code ,}. The single pepper of earlier releases ({@code KEYLEDGER_KEYS_HASH_PEPPER}) is the one-element
 * list {@value #LEGACY_ID}, the id every key issued before peppers had ids is recorded under.
 */
public final class Peppers {

    /** The id of the single pepper of earlier releases, and of every key stored before peppers had ids. */
    public static final String LEGACY_ID = "p0";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final Map<String, KeyHasher> byId;
    private final String currentId;

    private Peppers(Map<String, KeyHasher> byId) {
        this.byId = byId;
        this.currentId = byId.keySet().iterator().next();
    }

    /** The one-element list of a single, unnamed pepper: {@value #LEGACY_ID}. */
    public static Peppers single(String secret) {
        Map<String, KeyHasher> one = new LinkedHashMap<>();
        one.put(LEGACY_ID, new KeyHasher(secret));
        return new Peppers(one);
    }

    /** Parses {@code id:secret,id:secret}; an {@link IllegalArgumentException} names what is wrong, never a secret. */
    public static Peppers parse(String list) {
        String problem = problem(list);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Map<String, KeyHasher> byId = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            byId.put(trimmed.substring(0, colon), new KeyHasher(trimmed.substring(colon + 1)));
        }
        return new Peppers(byId);
    }

    /** What is wrong with a pepper list, or null when it may be used. Never quotes a secret. */
    public static String problem(String list) {
        if (list == null || list.isBlank()) {
            return "the list of key hash peppers is empty";
        }
        Set<String> ids = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        int position = 0;
        for (String entry : list.split(",", -1)) {
            position++;
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                return "entry " + position + " is not id:secret";
            }
            String id = trimmed.substring(0, colon);
            if (!ID.matcher(id).matches()) {
                return "entry " + position + ": a pepper id is 1 to 32 of A-Z a-z 0-9 _ -";
            }
            if (!ids.add(id)) {
                return "pepper id " + id + " is listed twice";
            }
            String secret = trimmed.substring(colon + 1);
            String secretProblem = KeyHasher.pepperProblem(secret);
            if (secretProblem != null) {
                return "pepper " + id + ": " + secretProblem;
            }
            if (!secrets.add(secret)) {
                return "pepper " + id + " has the same secret as an earlier one";
            }
        }
        return null;
    }

    /** The current pepper's id: new keys are recorded under it. */
    public String currentId() {
        return currentId;
    }

    /** The current pepper: the one HMAC of the hot path. */
    public KeyHasher current() {
        return byId.get(currentId);
    }

    /** The older peppers, newest first (empty when there is only one). */
    public List<String> olderIds() {
        List<String> older = new ArrayList<>(byId.keySet());
        older.remove(0);
        return older;
    }

    /** Every id, current first. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** The pepper of this id; an {@link IllegalArgumentException} when it is not configured. */
    public KeyHasher hasher(String id) {
        KeyHasher hasher = byId.get(id);
        if (hasher == null) {
            throw new IllegalArgumentException("no pepper " + id);
        }
        return hasher;
    }

    @Override
    public String toString() {
        return "Peppers" + byId.keySet(); // ids only: never a secret
    }
}
