package io.keyledger.auth;

import io.keyledger.testing.ShiftableClock;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;

/** For the failed-key throttle tests: the port their raw requests go to, and a clock each test may freeze. */
abstract class ThrottleTestSupport {

    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }
}
