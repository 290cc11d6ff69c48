package jpmacct.plugins.avro;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.Schema;

/**
 * A client of a Confluent schema registry's REST API, as far as pmacct uses one ({@code kafka_avro_schema_registry},
 * through libserdes): registering a schema under a subject ({@code POST /subjects/<subject>/versions} with
 * {@code {"schema": "<schema JSON>"}}, content type {@code application/vnd.schemaregistry.v1+json}) and keeping the
 * id the registry answers ({@code {"id": N}}).
 *
 * <p>The value is libserdes' {@code schema.registry.url}: one URL or several separated by commas, tried in turn until
 * one answers (an HTTP error from the one that answered is final, as in libserdes), starting with the one that
 * answered last; trailing slashes are dropped;
 * {@code user:password@} in a URL is sent as HTTP basic authentication. A registration is attempted once: this is
 * called when a plugin starts, and a registry that cannot be reached then stops the start with the error.
 */
public final class SchemaRegistry {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The answer's "id" (not one inside an escaped string: a registry may echo the schema beside it). */
    private static final Pattern ID = Pattern.compile("(?<!\\\\)\"id\"\\s*:\\s*(-?\\d+)");
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One registry: its URL without credentials, and the basic authentication header value if it had some. */
    private record Endpoint(URI base, String authorization) {
    }

    private final String urls;
    private final List<Endpoint> endpoints;
    private final HttpClient http;
    /** The registry that answered last: asked first next time (libserdes keeps its place in the list too). */
    private int current;

    /**
     * @param urls the key's value
     * @throws IllegalArgumentException naming what is wrong with a URL (not http or https, no host, bad syntax)
     */
    public SchemaRegistry(String urls) {
        this.urls = urls;
        this.endpoints = parse(urls);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The URLs as configured. */
    public String urls() {
        return urls;
    }

    /** Checks a {@code kafka_avro_schema_registry} value; the parsed URLs (credentials left in). */
    public static List<URI> check(String urls) {
        List<URI> out = new ArrayList<>();
        for (Endpoint e : parse(urls)) {
            out.add(e.base);
        }
        return out;
    }

    private static List<Endpoint> parse(String urls) {
        List<Endpoint> out = new ArrayList<>();
        for (String part : urls.split(",")) {
            String u = part.strip();
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            if (u.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = new URI(u);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + u + "' is not a URL: " + e.getReason());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("'" + u + "' is not an http:// or https:// URL");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("'" + u + "' names no host");
            }
            String auth = null;
            if (uri.getRawUserInfo() != null) {
                String user = uri.getRawUserInfo();
                int colon = user.indexOf(':');
                String name = decode(colon < 0 ? user : user.substring(0, colon));
                String password = colon < 0 ? "" : decode(user.substring(colon + 1));
                auth = "Basic " + Base64.getEncoder().encodeToString((name + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
                try {
                    uri = new URI(scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("'" + u + "': " + e.getReason());
                }
            }
            out.add(new Endpoint(uri, auth));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no URL");
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * Registers {@code schema} under {@code subject} (a schema the subject already has is answered with its
     * existing id).
     *
     * @return the schema's id in the registry
     * @throws SchemaRegistryException saying which subject, at which URL, and what went wrong
     */
    public int register(String subject, Schema schema) throws SchemaRegistryException {
        Bytes body = new Bytes(1024);
        Sink json = new Sink.Json(body);
        json.beginRecord();
        json.field("schema");
        json.string(schema.toString());
        json.endRecord();
        byte[] payload = body.copy();
        String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20")
                + "/versions";
        String failures = null;
        for (int tried = 0; tried < endpoints.size(); tried++) {
            Endpoint e = endpoints.get((current + tried) % endpoints.size());
            URI uri = URI.create(e.base + path);
            HttpRequest.Builder rq = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", CONTENT_TYPE).header("Accept", CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
            if (e.authorization != null) {
                rq.header("Authorization", e.authorization);
            }
            HttpResponse<String> rs;
            try {
                rs = http.send(rq.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException ex) {
                String why = e.base + ": " + reason(ex);
                failures = failures == null ? why : failures + "; " + why;
                continue; // as libserdes: a registry that does not answer, the next one
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("registering schema subject '" + subject + "' at " + e.base
                        + " was interrupted");
            }
            current = (current + tried) % endpoints.size();
            return id(subject, e.base, rs);
        }
        throw new SchemaRegistryException("cannot register schema subject '" + subject + "': " + failures);
    }

    private static int id(String subject, URI base, HttpResponse<String> rs) throws SchemaRegistryException {
        String body = rs.body() == null ? "" : rs.body();
        if (rs.statusCode() / 100 != 2) {
            Matcher m = MESSAGE.matcher(body);
            String detail = m.find() ? m.group(1) : body.strip();
            if (detail.length() > 200) {
                detail = detail.substring(0, 200) + "...";
            }
            throw new SchemaRegistryException("schema subject '" + subject + "' refused by " + base + ": HTTP "
                    + rs.statusCode() + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new SchemaRegistryException("schema subject '" + subject + "' at " + base
                    + ": the answer has no \"id\": " + body.strip());
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException ex) {
            throw new SchemaRegistryException("schema subject '" + subject + "' at " + base + ": bad id " + m.group(1));
        }
    }

    /** A short reason for a failed request: the JDK's exceptions often carry no message. */
    private static String reason(IOException ex) {
        if (ex instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (ex instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        if (ex instanceof ConnectException) {
            return "cannot connect" + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
