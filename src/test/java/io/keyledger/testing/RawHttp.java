package io.keyledger.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes on a socket, for what an HTTP client library will not send: malformed requests, slow
 * bodies, or a request from another loopback address (127.0.0.2) than the rest of the suite.
 */
public final class RawHttp {

    /** A response as read off the wire. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    public static Response send(String fromAddress, int port, String request) throws IOException {
        return send(fromAddress, port, request.getBytes(StandardCharsets.ISO_8859_1), 0);
    }

    /**
     * {@code GET /api/v2/service-accounts/<org>} with {@code bearer}, from {@code fromAddress}: how the throttle tests
     * knock. Any extra header lines go after {@code Host}.
     */
    public static Response listAccounts(String fromAddress, int port, String org, String bearer, String... headerLines)
            throws IOException {
        StringBuilder request = new StringBuilder("GET " + Api.ACCOUNTS.replace("{org}", org) + " HTTP/1.1\r\n")
                .append("Host: localhost\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("Authorization: Bearer ").append(bearer).append("\r\nConnection: close\r\n\r\n");
        return send(fromAddress, port, request.toString());
    }

    /** Sends the bytes, then keeps the connection open until the server answers (or closes). */
    public static Response send(String fromAddress, int port, byte[] request, int readTimeoutMillis)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(readTimeoutMillis > 0 ? readTimeoutMillis : 60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] sofar = head.toByteArray();
            int n = sofar.length;
            if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r'
                    && sofar[n - 1] == '\n') {
                break;
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || lines[0].isEmpty()) {
            throw new IOException("connection closed without a response");
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in).trim();
                int n = Integer.parseInt(size.isEmpty() ? "0" : size, 16);
                if (n == 0) {
                    break;
                }
                chunks.write(in.readNBytes(n));
                readLine(in);
            }
            body = chunks.toByteArray();
        } else {
            body = new byte[0];
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
