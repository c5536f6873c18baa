package io.keyledger.serviceaccount;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeppersTest {

    static final String ONE = "first-secret-0123456789abcdef0123456789";
    static final String TWO = "second-secret-0123456789abcdef012345678";

    @Test
    void theFirstListedPepperIsCurrent_andTheOthersAreOlder_inOrder() {
        Peppers peppers = Peppers.parse("p2:" + TWO + ", p1:" + ONE);
        assertEquals("p2", peppers.currentId());
        assertEquals(List.of("p1"), peppers.olderIds());
        assertEquals(List.of("p2", "p1"), peppers.ids());
        assertEquals(new KeyHasher(TWO).hash("kl_x"), peppers.current().hash("kl_x"));
        assertEquals(new KeyHasher(ONE).hash("kl_x"), peppers.hasher("p1").hash("kl_x"));
    }

    @Test
    void theSinglePepperOfEarlierReleases_isTheOneElementListP0() {
        Peppers peppers = Peppers.single(ONE);
        assertEquals(Peppers.LEGACY_ID, peppers.currentId());
        assertEquals(List.of(), peppers.olderIds());
        assertEquals(new KeyHasher(ONE).hash("kl_x"), peppers.current().hash("kl_x"));
    }

    @Test
    void aSecretMayHoldAColon() {
        assertEquals(new KeyHasher("a:b" + ONE).hash("kl_x"), Peppers.parse("p1:a:b" + ONE).current().hash("kl_x"));
    }

    @Test
    void badLists_areRefusedWithAReason_thatNeverQuotesASecret() {
        for (String bad : List.of("", "p1", "p1:short", "p1:" + ONE + ",p1:" + TWO, "p1:" + ONE + ",p2:" + ONE,
                "bad id:" + ONE, "p1:" + ONE + ",", ":" + ONE)) {
            String problem = Peppers.problem(bad);
            assertNotNull(problem, bad);
            assertFalse(problem.contains(ONE) || problem.contains(TWO) || problem.contains("short"), problem);
            assertThrows(IllegalArgumentException.class, () -> Peppers.parse(bad), bad);
        }
        assertNull(Peppers.problem("p2:" + TWO + ",p1:" + ONE));
    }

    @Test
    void toString_namesIdsOnly() {
        assertEquals("Peppers[p2, p1]", Peppers.parse("p2:" + TWO + ",p1:" + ONE).toString());
    }
}
