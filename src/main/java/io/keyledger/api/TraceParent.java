package io.keyledger.api;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The W3C trace context ({@code traceparent}) a request runs in, for the event metadata and the Kafka record's
 * {@code ce_traceparent}. With the OpenTelemetry SDK on, it is the request's server span (same trace id as the
 * caller's {@code traceparent}, the span that caused the event as parent). With the SDK off (the default), it is
 * the caller's own {@code traceparent} when well formed, so the trace id still travels; otherwise none.
 */
public final class TraceParent {

    public static final String HEADER = "traceparent";
    /** MDC key OpenTelemetry uses for the trace id; set here only when the SDK has not set it. */
    static final String MDC_TRACE_ID = "traceId";

    private static final Pattern W3C = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

    private TraceParent() {
    }

    /** The current span's context as a traceparent, or the given header when there is no valid span; null if neither. */
    static String of(String header) {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
        }
        return valid(header);
    }

    /** The header, lower-cased, when it is a W3C traceparent (version not ff, ids not all zeros); otherwise null. */
    static String valid(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim().toLowerCase(Locale.ROOT);
        var m = W3C.matcher(value);
        if (!m.matches() || value.startsWith("ff") || m.group(1).chars().allMatch(c -> c == '0')
                || m.group(2).chars().allMatch(c -> c == '0')) {
            return null;
        }
        return value;
    }

    /** The trace id of a valid traceparent. */
    static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }
}
