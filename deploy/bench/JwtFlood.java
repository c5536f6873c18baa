// Sends N requests, each with a distinct valid JWT, to a running keyledger and reports its heap
// (from jcmd) before and after: the attack of the security review, against the identity cache.
//
//   java deploy/bench/JwtFlood.java <base-url> <private-key.pem> <issuer> <pid> [count=50000] [concurrency=16]
//
// Uses only the JDK: RS256 signatures with java.security, requests with java.net.http.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

public class JwtFlood {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        PrivateKey key = privateKey(Path.of(args[1]));
        String issuer = args[2];
        String pid = args[3];
        int count = args.length > 4 ? Integer.parseInt(args[4]) : 50_000;
        int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        HttpClient http = HttpClient.newHttpClient();
        System.out.println("before: " + heap(pid));
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String token = jwt(key, issuer, "flood-" + i + "-" + UUID.randomUUID());
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v2/service-accounts/flood"))
                    .header("Authorization", "Bearer " + token).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure == null && response.statusCode() == 200) {
                    ok.incrementAndGet();
                } else {
                    other.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        System.out.printf("%d requests in %.1f s: %d answered 200, %d otherwise%n", count,
                (System.nanoTime() - start) / 1e9, ok.get(), other.get());
        System.out.println("after: " + heap(pid));
        String probe = jwt(key, issuer, "probe");
        int status = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/service-accounts/flood"))
                .header("Authorization", "Bearer " + probe).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        System.out.println("still answering: " + status);
    }

    static String heap(String pid) throws Exception {
        new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true).start().waitFor();
        Process p = new ProcessBuilder("jcmd", pid, "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.contains("used")) {
                return line.trim();
            }
        }
        return out.trim();
    }

    static String jwt(PrivateKey key, String issuer, String subject) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"" + issuer + "\",\"aud\":\"keyledger\",\"sub\":\"" + subject
                + "\",\"groups\":[\"org:flood:member\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static PrivateKey privateKey(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
