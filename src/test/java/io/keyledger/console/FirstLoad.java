package io.keyledger.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The budget: what the sign-in page loads transfers at most 250 KB compressed (here: gzip of each file). */
final class FirstLoad {

    static final long BUDGET_BYTES = 250 * 1024;

    private FirstLoad() {
    }

    static long assertWithinBudget(Browser browser) {
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) browser.script("return [location.href.split('#')[0],"
                + " ...performance.getEntriesByType('resource').map(e => e.name)]");
        HttpClient http = HttpClient.newHttpClient();
        long total = 0;
        for (String url : loaded.stream().distinct().toList()) {
            total += gzipped(http, url);
        }
        System.out.printf("[console] first load: %d files, %d bytes gzip%n", loaded.size(), total);
        assertTrue(total <= BUDGET_BYTES, "first load " + total + " bytes gzip: " + loaded);
        return total;
    }

    private static long gzipped(HttpClient http, String url) {
        try {
            byte[] body = http
                    .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .body();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(body);
            }
            return out.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
