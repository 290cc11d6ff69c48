package jpmacct.plugins.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a Confluent schema registry (none can be installed here: it is not in Maven Central), a real HTTP
 * server on loopback implementing the two endpoints a producer and a consumer of pmacct's messages use:
 * {@code POST /subjects/<subject>/versions} (the body {@code {"schema": "..."}} must parse as an Avro schema, the
 * content type must be the registry's; the same schema gets the same id, as in the registry) and
 * {@code GET /schemas/ids/<id>} (what a consumer fetches to read a framed message). Errors are answered as the
 * registry answers them: {@code {"error_code": N, "message": "..."}}.
 */
public final class StandInRegistry implements AutoCloseable {
    /** One request as received. */
    public record Request(String method, String path, String contentType, String authorization, String body) {
    }

    private final HttpServer server;
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final Map<Integer, String> schemas = new LinkedHashMap<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** When set, every registration is refused with this status and message (e.g. 409, incompatible schema). */
    volatile int refuseWith;
    volatile String refusal;

    public StandInRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/subjects/", this::register);
        server.createContext("/schemas/ids/", this::schemaById);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized Map<String, List<Integer>> subjects() {
        return new LinkedHashMap<>(subjects);
    }

    public synchronized Schema schema(int id) {
        String s = schemas.get(id);
        return s == null ? null : new Schema.Parser().parse(s);
    }

    private Request received(HttpExchange x) throws IOException {
        String body;
        try (InputStream in = x.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Request r = new Request(x.getRequestMethod(), x.getRequestURI().getRawPath(),
                x.getRequestHeaders().getFirst("Content-Type"), x.getRequestHeaders().getFirst("Authorization"), body);
        requests.add(r);
        return r;
    }

    private void register(HttpExchange x) throws IOException {
        Request r = received(x);
        String[] parts = r.path().split("/"); // "", "subjects", subject, "versions"
        if (!r.method().equals("POST") || parts.length != 4 || !parts[3].equals("versions")) {
            answer(x, 404, error(404, "HTTP 404 Not Found"));
            return;
        }
        if (!SchemaRegistry.CONTENT_TYPE.equals(r.contentType())) {
            answer(x, 415, error(415, "HTTP 415 Unsupported Media Type"));
            return;
        }
        if (refuseWith != 0) {
            answer(x, refuseWith, error(refuseWith, refusal));
            return;
        }
        String subject = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
        JsonNode schemaText = Decoded.mapper().readTree(r.body()).get("schema");
        if (schemaText == null || !schemaText.isTextual()) {
            answer(x, 422, error(42201, "Either the input schema or one its references is invalid"));
            return;
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(schemaText.asText());
        } catch (SchemaParseException e) {
            answer(x, 422, error(42201, "Invalid schema: " + e.getMessage()));
            return;
        }
        int id;
        synchronized (this) {
            id = ids.computeIfAbsent(schema.toString(), s -> ids.size() + 1);
            schemas.put(id, schema.toString());
            List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
            if (!versions.contains(id)) {
                versions.add(id);
            }
        }
        answer(x, 200, "{\"id\":" + id + "}");
    }

    private void schemaById(HttpExchange x) throws IOException {
        Request r = received(x);
        String s;
        synchronized (this) {
            s = schemas.get(Integer.parseInt(r.path().substring("/schemas/ids/".length())));
        }
        if (s == null) {
            answer(x, 404, error(40403, "Schema not found"));
            return;
        }
        answer(x, 200, Decoded.mapper().writeValueAsString(Map.of("schema", s)));
    }

    private static String error(int code, String message) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error_code", code);
        m.put("message", message);
        return Decoded.mapper().writeValueAsString(m);
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", SchemaRegistry.CONTENT_TYPE);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    /** What a consumer does with a framed message: the schema by the id in its header, from the registry. */
    public Schema fetch(int id) throws IOException, InterruptedException {
        HttpResponse<String> rs = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url() + "/schemas/ids/" + id)).GET()
                        .header("Accept", SchemaRegistry.CONTENT_TYPE).build(), HttpResponse.BodyHandlers.ofString());
        if (rs.statusCode() != 200) {
            throw new IOException("HTTP " + rs.statusCode() + ": " + rs.body());
        }
        return new Schema.Parser().parse(Decoded.mapper().readTree(rs.body()).get("schema").asText());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
