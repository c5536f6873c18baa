package io.keyledger.auth;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * A real HTTP server (the JDK's) publishing a JWKS as an IdP does: the public key of
 * test-jwt/test-only-jwks-private-key.pem as {@value #KID}, beside a second key nobody in the test holds (the IdP's
 * next one). keyledger is pointed at it with mp.jwt.verify.publickey.location.
 */
public class JwksServer implements QuarkusTestResourceLifecycleManager {

    static final String KID = "jwks-test-1";
    static final String PRIVATE_KEY = "test-jwt/test-only-jwks-private-key.pem";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            RSAPrivateCrtKey issuer = (RSAPrivateCrtKey) KeyUtils.readPrivateKey(PRIVATE_KEY);
            RSAPublicKey current = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(issuer.getModulus(), issuer.getPublicExponent()));
            RSAPublicKey next = (RSAPublicKey) KeyUtils.generateKeyPair(2048).getPublic();
            byte[] jwks = ("{\"keys\":[" + jwk(KID, current) + "," + jwk("jwks-test-2", next) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(jwks);
                }
            });
            server.start();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("could not start the JWKS server", e);
        }
        return Map.of("mp.jwt.verify.publickey.location", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks",
                // fetching remote keys must not block an event loop
                "quarkus.smallrye-jwt.blocking-authentication", "true");
    }

    private static String jwk(String kid, RSAPublicKey key) {
        return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + unsigned(key.getModulus()) + "\",\"e\":\"" + unsigned(key.getPublicExponent()) + "\"}";
    }

    /** RFC 7518 6.3.1: base64url of the unsigned big-endian value, no sign byte. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
