package io.keyledger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which caller-sent traceparent headers are kept (OpenTelemetry's SDK off, no current span). */
class TraceParentTest {

    @Test
    void wellFormedW3cTraceparent_isKept_lowerCased() {
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                TraceParent.of("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
                TraceParent.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    @Test
    void missingOrMalformedTraceparent_isDropped() {
        assertNull(TraceParent.of(null));
        assertNull(TraceParent.of("garbage"));
        assertNull(TraceParent.of("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "all-zero trace id");
        assertNull(TraceParent.of("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"), "all-zero span id");
        assertNull(TraceParent.of("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "version ff");
        assertNull(TraceParent.of("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"), "short trace id");
        assertNull(TraceParent.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nx: y"),
                "injected header");
    }
}
