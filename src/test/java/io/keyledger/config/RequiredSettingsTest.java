package io.keyledger.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequiredSettingsTest {

    static Map<String, String> complete() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", "postgresql://db:5432/keyledger");
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://db:5432/keyledger");
        config.put("quarkus.datasource.username", "keyledger");
        config.put("mp.jwt.verify.issuer", "https://issuer.example");
        config.put("mp.jwt.verify.publickey.location", "https://issuer.example/jwks");
        config.put("keyledger.keys.hash-pepper", "a-real-secret-of-enough-length-123");
        return config;
    }

    static List<String> problems(Map<String, String> config) {
        return RequiredSettings.problems(name -> Optional.ofNullable(config.get(name)));
    }

    /** Asserts that the configuration has exactly one problem, and answers it. */
    static String theOneProblem(Map<String, String> config) {
        List<String> problems = problems(config);
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    /** The one problem of the complete configuration with {@code property} set to {@code value}. */
    static String theOneProblemWith(String property, String value) {
        Map<String, String> config = complete();
        config.put(property, value);
        return theOneProblem(config);
    }

    @Test
    void completeConfiguration_hasNoProblems() {
        assertEquals(List.of(), problems(complete()));
    }

    @Test
    void eachMissingSetting_isNamedByItsEnvironmentVariable() {
        for (var setting : RequiredSettings.REQUIRED) {
            Map<String, String> config = complete();
            config.remove(setting.property());
            String problem = theOneProblem(config);
            assertTrue(problem.startsWith(setting.environmentVariable() + " is required"), problem);
        }
        Map<String, String> noKey = complete();
        noKey.remove("mp.jwt.verify.publickey.location");
        assertTrue(problems(noKey).get(0).startsWith("MP_JWT_VERIFY_PUBLICKEY_LOCATION is required"));
    }

    @Test
    void developmentKeyAndPepper_areRefusedInProduction() {
        Map<String, String> config = complete();
        config.put("mp.jwt.verify.publickey.location", "deploy/local/dev-jwt/dev-only-public-key.pem");
        config.put("keyledger.keys.hash-pepper", "dev-only-pepper-not-for-production");
        assertEquals(2, problems(config).size());
    }

    @Test
    void shortPepper_isRefusedByTheOnePepperPolicy() {
        String problem = theOneProblemWith("keyledger.keys.hash-pepper", "only-twenty-chars-xx");
        assertTrue(problem.startsWith("KEYLEDGER_KEYS_HASH_PEPPER"), problem);
        assertTrue(problem.contains("at least 32 characters"), problem);
    }

    @Test
    void developmentLedgerSigningKey_isRefusedInProduction() {
        String problem = theOneProblemWith("keyledger.ledger.signing-key-location",
                "deploy/local/dev-ledger/dev-only-ledger-signing-key.pem");
        assertTrue(problem.startsWith("KEYLEDGER_LEDGER_SIGNING_KEY_LOCATION"), problem);
    }

    @Test
    void aPepperList_replacesTheSinglePepper_andBothAtOnceAreRefused() {
        Map<String, String> listed = complete();
        listed.remove("keyledger.keys.hash-pepper");
        listed.put("keyledger.keys.hash-peppers",
                "p2:second-real-secret-of-enough-length-1,p0:a-real-secret-of-enough-length-123");
        assertEquals(List.of(), problems(listed));

        Map<String, String> both = complete();
        both.put("keyledger.keys.hash-peppers", "p2:second-real-secret-of-enough-length-1");
        assertEquals(List.of(PepperSettings.BOTH), problems(both));

        Map<String, String> none = complete();
        none.remove("keyledger.keys.hash-pepper");
        assertEquals(List.of(PepperSettings.NONE), problems(none));
    }

    @Test
    void aBadOrDevelopmentPepperInTheList_isNamedWithoutItsSecret() {
        Map<String, String> config = complete();
        config.remove("keyledger.keys.hash-pepper");
        config.put("keyledger.keys.hash-peppers", "p2:second-real-secret-of-enough-length-1,p1:tooshort");
        String problem = theOneProblem(config);
        assertTrue(problem.startsWith("KEYLEDGER_KEYS_HASH_PEPPERS: pepper p1"), problem);
        assertFalse(problem.contains("tooshort"), problem);
        config.put("keyledger.keys.hash-peppers", "p2:test-only-pepper-0123456789abcdefghijklmnop");
        assertEquals(List.of(
                "KEYLEDGER_KEYS_HASH_PEPPERS holds a development value; set a secret of at least 32 random characters"),
                problems(config));
    }
}
