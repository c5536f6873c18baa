package io.keyledger.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.LongStream;

/**
 * Histogram buckets for the HTTP server timer, so the dashboard and alerts can compute a p99 per route across
 * replicas ({@code histogram_quantile} over {@code http_server_requests_seconds_bucket}). A fixed, short list of
 * bounds (11 buckets per route, method and status) rather than Micrometer's ~70 percentile-histogram buckets.
 */
@Singleton
public class HttpServerHistogram {

    static final long[] BOUNDS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

    @Produces
    @Singleton
    MeterFilter httpServerBuckets() {
        double[] bounds = LongStream.of(BOUNDS_MS).mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(bounds).build().merge(config);
            }
        };
    }
}
