package jpmacct.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;


/**
 * One of pmacct's upstream flow cases (e2e/src/test/resources/upstream, see its README), or one scenario of it:
 * the steps its NNN_test.py takes (transcribed in {@code cases.txt}), the files a scenario overrides, and the
 * rewrites that put it on this machine, as pmacct's framework puts it on its own: paths into a working directory,
 * the broker, registry and redis-server the test runs, the port, the exporters' framework addresses onto loopback
 * ones.
 */
final class UpstreamCase {
    /** The map file each key points at once the framework has set the case up (setup_test.py). */
    private static final Map<String, String> MAP_FILES = Map.of("aggregate_primitives", "custom-primitives-00.map",
            "flow_to_rd_map", "f2rd-00.map", "sampling_map", "sampling-00.map");
    private static final Pattern LINE = Pattern.compile("^(\\s*)([A-Za-z0-9_]+)(?:\\[([^\\]]+)\\])?\\s*:\\s*(.*?)\\s*$");
    private static final Pattern V4_SOURCE = Pattern.compile("172\\.21\\.1\\.10(\\d)");
    private static final Pattern V6_SOURCE = Pattern.compile("fd25::10(\\d)");
    private static final Pattern DEVIATION_TAG = Pattern.compile("^# .*: ([A-Z][0-9]+)$");

    final String id;
    final Path dir;
    /** The scenario directory, or null for the default scenario. */
    final Path scenario;
    final List<String> subnets = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();
    final List<String[]> steps = new ArrayList<>();
    /** Per kafka plugin (null: the key without a plugin name): its kafka_output as written (pmacct's default json). */
    final Map<String, String> outputs = new LinkedHashMap<>();
    /** Per kafka plugin: the topic it writes to (the case's, with the run's suffix). */
    final Map<String, String> topics = new LinkedHashMap<>();
    /** The deviation files applied so far. */
    private final Set<Path> deviationsApplied = new HashSet<>();
    /** What each applied deviation did, for the report. */
    final List<String> deviationNotes = new ArrayList<>();

    private UpstreamCase(String id, Path dir, Path scenario) {
        this.id = id;
        this.dir = dir;
        this.scenario = scenario;
    }

    static Path root() {
        try {
            return Path.of(UpstreamCase.class.getResource("/upstream").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A case as {@code cases.txt} describes it; {@code id} is the case directory, or it and a scenario. */
    static UpstreamCase load(String id) throws IOException {
        String name = id.contains("/") ? id.substring(0, id.indexOf('/')) : id;
        Path dir = root().resolve("tests").resolve(name);
        UpstreamCase c = new UpstreamCase(id, dir, id.contains("/") ? dir.resolve(id.substring(name.length() + 1)) : null);
        boolean inCase = false;
        for (String line : Files.readAllLines(root().resolve("cases.txt"), StandardCharsets.UTF_8)) {
            String[] w = line.strip().split("\\s+");
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (w[0].equals("case")) {
                inCase = w[1].equals(name);
                continue;
            }
            if (!inCase) {
                continue;
            }
            switch (w[0]) {
                case "subnet" -> c.subnets.add(w[1]);
                case "ignore" -> c.ignored.addAll(List.of(w).subList(1, w.length));
                default -> c.steps.add(w);
            }
        }
        if (c.steps.isEmpty()) {
            throw new IllegalArgumentException("cases.txt has no steps for " + name);
        }
        return c;
    }

    /** Every case and scenario directory, as test ids. */
    static List<String> all() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> cases = Files.list(root().resolve("tests")).sorted()) {
            for (Path c : (Iterable<Path>) cases::iterator) {
                out.add(c.getFileName().toString());
                try (Stream<Path> s = Files.list(c).filter(p -> p.getFileName().toString().startsWith("scenario-")).sorted()) {
                    s.forEach(p -> out.add(c.getFileName() + "/" + p.getFileName()));
                }
            }
        }
        return out;
    }

    /**
     * A file of the case as its scenario sees it: the framework takes the scenario's configurations, outputs and
     * logs when the scenario has any of that kind (test_params.build_dynamic_params), the case's otherwise.
     */
    Path file(String glob, String name) throws IOException {
        if (scenario != null) {
            try (Stream<Path> s = Files.list(scenario)) {
                if (s.anyMatch(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))) {
                    return scenario.resolve(name);
                }
            }
        }
        return dir.resolve(name);
    }

    Path conf() throws IOException {
        return file("nfacctd-*.conf", "nfacctd-00.conf");
    }

    Path expectedRows(String tag) throws IOException {
        return file("output*-*.json", "output-" + tag + ".json");
    }

    Path expectedLog(String tag) throws IOException {
        return file("output*-*.txt", "output-" + tag + ".txt");
    }

    /** How many times the output is compared: more than once, the daemon must purge between the phases. */
    long phases() {
        return steps.stream().filter(s -> s[0].equals("compare")).count();
    }

    /** The mount folder's maps (the case's pmacct_mount, then the scenario's *.map), addresses rewritten. */
    void mount(Path mount) throws IOException {
        Files.createDirectories(mount);
        List<Path> maps = new ArrayList<>();
        if (Files.isDirectory(dir.resolve("pmacct_mount"))) {
            try (Stream<Path> s = Files.list(dir.resolve("pmacct_mount"))) {
                s.sorted().forEach(maps::add);
            }
        }
        if (scenario != null) {
            try (Stream<Path> s = Files.list(scenario)) {
                s.filter(p -> p.toString().endsWith(".map")).sorted().forEach(maps::add);
            }
        }
        for (Path m : maps) {
            Files.writeString(mount.resolve(m.getFileName()), addresses(Files.readString(m, StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
        }
    }

    /**
     * The case's subnet replaced by the framework's (helpers.replace_ips), then the framework's exporter addresses
     * by this test's loopback ones: 172.21.1.10N is 127.100.0.N, fd25::101 is ::1.
     */
    String addresses(String text) {
        String t = text;
        for (String s : subnets) {
            t = t.replace(s, s.contains(":") ? "fd25::10" : "172.21.1.10");
        }
        t = V4_SOURCE.matcher(t).replaceAll("127.100.0.$1");
        Matcher v6 = V6_SOURCE.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (v6.find()) {
            if (!v6.group(1).equals("1")) {
                // a second IPv6 exporter would need an address of its own (a namespace): no case has one
                throw new IllegalArgumentException(id + ": IPv6 exporter " + v6.group() + " has no loopback address");
            }
            v6.appendReplacement(sb, "::1");
        }
        v6.appendTail(sb);
        return sb.toString();
    }

    /** The loopback address a reproducer's {@code repro_ip} sends from. */
    InetAddress loopback(String reproIp) {
        try {
            return InetAddress.getByName(addresses(reproIp)); // a literal address: no lookup
        } catch (IOException e) {
            throw new IllegalArgumentException(reproIp, e);
        }
    }

    /**
     * Where the framework points a case's daemon (setup_test.py): the librdkafka.conf it mounts, its schema registry,
     * its redis-server.
     */
    record Framework(Path librdkafkaConf, String registry, String redisHost) {
    }

    /**
     * The case's configuration for this machine, every key as written but those the framework itself sets
     * (setup_test.py, documented in the upstream README): map, log, pid and Avro schema paths into {@code work} and
     * {@code mount}, {@code kafka_config_file} on the framework's librdkafka.conf, {@code kafka_avro_schema_registry}
     * and {@code redis_host} on the framework's, each kafka_topic with a random suffix; and the port.
     */
    String configuration(Path work, Path mount, int port, Framework fw) throws IOException {
        StringBuilder sb = new StringBuilder();
        outputs.clear();
        topics.clear();
        String suffix = "." + UUID.randomUUID().toString().substring(0, 8);
        for (String line : Files.readAllLines(conf(), StandardCharsets.UTF_8)) {
            Matcher m = LINE.matcher(line);
            if (line.strip().startsWith("!") || line.strip().startsWith("#") || !m.matches()) {
                sb.append(line).append('\n');
                continue;
            }
            String key = m.group(2);
            String scope = m.group(3) == null ? "" : "[" + m.group(3) + "]";
            String value = m.group(4);
            switch (key) {
                case "logfile" -> value = work.resolve("nfacctd.log").toString();
                case "pidfile" -> value = work.resolve("nfacctd.pid").toString();
                case "nfacctd_port" -> value = Integer.toString(port);
                case "redis_host" -> value = fw.redisHost();
                case "kafka_output" -> outputs.put(m.group(3), value);
                default -> {
                    if (MAP_FILES.containsKey(key)) {
                        value = mount.resolve(MAP_FILES.get(key)).toString();
                    } else if (key.endsWith("_tag_map")) {
                        value = mount.resolve("pretag-00.map").toString();
                    } else if (key.endsWith("kafka_config_file")) {
                        value = fw.librdkafkaConf().toString();
                    } else if (key.endsWith("kafka_avro_schema_registry")) {
                        value = fw.registry();
                    } else if (key.endsWith("avro_schema_file") || key.endsWith("avro_schema_output_file")) {
                        Files.createDirectories(work.resolve("avsc"));
                        value = work.resolve("avsc/nfacctd_msglog_avroschema.avsc").toString();
                    } else if (key.endsWith("kafka_topic")) {
                        value = value + suffix;
                        if (key.equals("kafka_topic")) {
                            topics.put(m.group(3), value);
                        }
                    }
                }
            }
            sb.append(m.group(1)).append(key).append(scope).append(": ").append(value).append('\n');
        }
        return sb.toString();
    }

    /**
     * The expected rows of a tag as lines, with this project's deviation from them applied when the case has one:
     * {@code deviations/<case id>/output-<tag>.json.diff}, whose first line names its docs/COMPATIBILITY.md row
     * ({@code # ...: N14}), whose {@code -} lines are pmacct's rows it replaces, each of which must be there, and
     * whose {@code +} lines are the rows that take their place.
     *
     * @throws BrokenDeviation when the deviation no longer applies
     */
    List<String> expectedRowLines(String tag) throws IOException {
        List<String> rows = new ArrayList<>(Files.readAllLines(expectedRows(tag), StandardCharsets.UTF_8));
        Path diff = deviations().resolve("output-" + tag + ".json.diff");
        if (!Files.exists(diff)) {
            return rows;
        }
        Path name = root().relativize(diff);
        List<String> lines = Files.readAllLines(diff, StandardCharsets.UTF_8);
        Matcher tagLine = DEVIATION_TAG.matcher(lines.isEmpty() ? "" : lines.get(0));
        if (!tagLine.matches()) {
            throw new BrokenDeviation(name + ": the first line must name its docs/COMPATIBILITY.md row: '# ...: N14'");
        }
        String docs = Files.readString(E2e.root().resolve("docs/COMPATIBILITY.md"), StandardCharsets.UTF_8);
        if (!docs.contains("\n| " + tagLine.group(1) + " |")) {
            throw new BrokenDeviation(name + ": docs/COMPATIBILITY.md has no row " + tagLine.group(1));
        }
        int replaced = 0;
        for (String l : lines.subList(1, lines.size())) {
            if (l.startsWith("-")) {
                if (!rows.remove(l.substring(1))) {
                    throw new BrokenDeviation(name + ": no longer applies: pmacct's expected rows have no "
                            + l.substring(1));
                }
                replaced++;
            } else if (l.startsWith("+")) {
                rows.add(l.substring(1));
            }
        }
        deviationsApplied.add(diff);
        deviationNotes.add("output-" + tag + ".json: deviation " + tagLine.group(1) + " applied (" + replaced
                + " of pmacct's rows replaced)");
        return rows;
    }

    /** The case's deviation files that no comparison applied (a stale or misnamed file is a broken deviation). */
    List<Path> deviationsNotApplied() throws IOException {
        if (!Files.isDirectory(deviations())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(deviations())) {
            return s.filter(p -> p.toString().endsWith(".diff") && !deviationsApplied.contains(p)).sorted().toList();
        }
    }

    private Path deviations() {
        return root().resolve("deviations").resolve(id);
    }

    /** A deviation file that does not apply: the test fails, whatever the case's expected outcome. */
    static final class BrokenDeviation extends IllegalStateException {
        BrokenDeviation(String message) {
            super(message);
        }
    }
}
