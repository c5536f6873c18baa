package io.keyledger.config;

import io.keyledger.serviceaccount.KeyHasher;
import io.keyledger.serviceaccount.Peppers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The two ways to set the key-hash peppers, checked at start: the list {@code KEYLEDGER_KEYS_HASH_PEPPERS}, or the
 * single pepper of earlier releases {@code KEYLEDGER_KEYS_HASH_PEPPER} (read as {@value Peppers#LEGACY_ID}). Exactly
 * one of them: with both set, which one the keys need would be a guess.
 */
public final class PepperSettings {

    public static final String LIST = "keyledger.keys.hash-peppers";
    public static final String SINGLE = "keyledger.keys.hash-pepper";
    public static final String BOTH = "KEYLEDGER_KEYS_HASH_PEPPERS and KEYLEDGER_KEYS_HASH_PEPPER are both set; list the old"
            + " pepper as " + Peppers.LEGACY_ID
            + ":<secret> in KEYLEDGER_KEYS_HASH_PEPPERS and unset KEYLEDGER_KEYS_HASH_PEPPER";
    public static final String NONE = "KEYLEDGER_KEYS_HASH_PEPPERS is required (" + LIST + "; or the single"
            + " KEYLEDGER_KEYS_HASH_PEPPER)";

    private PepperSettings() {
    }

    /** Everything wrong with the pepper settings, naming the variable; never a secret. */
    static List<String> problems(Function<String, Optional<String>> lookup) {
        Optional<String> list = lookup.apply(LIST).filter(v -> !v.isBlank());
        Optional<String> single = lookup.apply(SINGLE).filter(v -> !v.isBlank());
        List<String> problems = new ArrayList<>();
        if (list.isPresent() && single.isPresent()) {
            problems.add(BOTH);
            return problems;
        }
        if (list.isEmpty() && single.isEmpty()) {
            problems.add(NONE);
            return problems;
        }
        List<String> secrets = new ArrayList<>();
        if (list.isPresent()) {
            String problem = Peppers.problem(list.get());
            if (problem != null) {
                problems.add("KEYLEDGER_KEYS_HASH_PEPPERS: " + problem);
                return problems;
            }
            for (String entry : list.get().split(",")) {
                secrets.add(entry.trim().substring(entry.trim().indexOf(':') + 1));
            }
        } else {
            String problem = KeyHasher.pepperProblem(single.get());
            if (problem != null) {
                problems.add("KEYLEDGER_KEYS_HASH_PEPPER: " + problem);
                return problems;
            }
            secrets.add(single.get());
        }
        if (secrets.stream().anyMatch(s -> s.startsWith("dev-only") || s.startsWith("test-only"))) {
            problems.add((list.isPresent() ? "KEYLEDGER_KEYS_HASH_PEPPERS holds" : "KEYLEDGER_KEYS_HASH_PEPPER is")
                    + " a development value; set a secret of at least 32 random characters");
        }
        return problems;
    }
}
