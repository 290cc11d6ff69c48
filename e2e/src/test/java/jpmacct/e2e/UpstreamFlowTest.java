package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import jpmacct.collector.KernelUdpSockets;
import jpmacct.core.redis.RedisServer;
import jpmacct.kafkabroker.BrokerProcess;
import jpmacct.plugins.avro.StandInRegistry;

/**
 * pmacct's own upstream flow tests (tests/1xx of its repository) run against bin/nfacctd: each case, and each of
 * its scenarios, takes the steps of its NNN_test.py (upstream/cases.txt) with the case's configuration, maps,
 * captures and expected rows, adapted as upstream/README.md says: the kafka plugin writes to a real broker (its
 * address in the framework's librdkafka.conf), Avro through a schema registry the test runs, messages read back
 * by a consumer as the framework's; loopback exporters. {@code upstream/expected-outcomes.txt} says per case whether it
 * must pass or is a known failure (the reason recorded there): a known failure that fails is reported as skipped
 * with its first differences, one that passes fails the test until the table says {@code pass}. Where this project
 * deviates from pmacct on purpose, {@code upstream/deviations/} changes the expected rows first (each change tied to
 * a row of docs/COMPATIBILITY.md); one that no longer applies fails the test.
 * {@code -Djpmacct.upstream.lenient=true} also drops the keys and primitives the daemon refuses and compares the
 * fields our output has, to show what else differs (reported, never failing).
 */
class UpstreamFlowTest {
    private static final boolean LENIENT = Boolean.getBoolean("jpmacct.upstream.lenient");
    private static final String OUTCOMES = "expected-outcomes.txt";
    /** pmacct's log timestamp (test_tools.transform_log_file). */
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}";
    private static final Pattern TOKEN = Pattern.compile("\\$\\{(TIMESTAMP|RANDOM|IGNORE_REST|repro_ip)\\}");
    /** The primitive an aggregate line is refused for (unknown, or not supported yet): the first one named. */
    private static final Pattern REFUSED_PRIMITIVE = Pattern.compile("primitive '([a-z0-9_-]+)'");
    /**
     * Expected log lines about pmacct's internals, which this project has no counterpart of and does not imitate:
     * the names of pmacct's C functions building the Avro schemas (here one line says where the schemas went) and
     * the index pmacct builds over a map (maps_index; here maps are indexed always, without a word).
     */
    private static final List<String> PMACCT_INTERNALS = List.of("p_avro_schema_build_", "maps_index: destroying index",
            "maps_index: creating index", "pretag_index_report()");
    private static final Pattern LOADED_WITH = Pattern.compile("map successfully \\(re\\)loaded with (\\d+) entries\\.$");
    private static final Pattern RULE_WITH_IP = Pattern.compile("(^|\\s)ip=");
    /** The messages a purge sent (the daemon's own count, pmacct's line). */
    private static final Pattern PURGE_SENT = Pattern.compile("\\*\\*\\* Purging cache - END \\(PID: \\d+, QN: (\\d+)/");
    /** How long a comparison waits for the messages the daemon says it sent (the framework's wait_time). */
    private static final long MESSAGES_WAIT_SECONDS = 120;
    /** pmacct's framework's librdkafka.conf, whose broker the runner points at the test's. */
    private static final String FRAMEWORK_BROKER = "broker:29092";

    static Path report() {
        return E2e.root().resolve("e2e/target/upstream-flow-report.txt");
    }

    @BeforeAll
    static void freshReport() throws IOException {
        // the Kafka client's own chatter stays out of the test's output
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.WARN);
        Files.deleteIfExists(report());
    }

    static Stream<Arguments> cases() throws IOException {
        Pattern only = Pattern.compile(System.getProperty("jpmacct.upstream.only", ".*"));
        return outcomes().entrySet().stream().filter(e -> only.matcher(e.getKey()).find())
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** The table: case id, then "pass" or "known-fail: reason". */
    static Map<String, String> outcomes() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(UpstreamCase.root().resolve(OUTCOMES), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] w = line.strip().split("\\s+", 2);
                out.put(w[0], w[1]);
            }
        }
        return out;
    }

    @Test
    void everyCaseAndScenarioHasAnExpectedOutcome() throws IOException {
        assertEquals(new TreeSet<>(UpstreamCase.all()), new TreeSet<>(outcomes().keySet()), OUTCOMES);
        for (String outcome : outcomes().values()) {
            assertTrue(outcome.equals("pass") || outcome.startsWith("known-fail: "), outcome);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void upstreamCase(String id, String outcome, @TempDir Path dir) throws Exception {
        Run run = new Run(UpstreamCase.load(id), dir);
        List<String> failures = run.execute();
        String report = id + (failures.isEmpty() && run.brokenDeviations.isEmpty() ? ": pass" : ": FAIL")
                + (failures.isEmpty() ? "" : "\n  " + String.join("\n  ", failures))
                + (run.brokenDeviations.isEmpty() ? "" : "\n  BROKEN DEVIATION: " + String.join("\n  BROKEN DEVIATION: ",
                        run.brokenDeviations))
                + (run.c.deviationNotes.isEmpty() ? "" : "\n  " + String.join("\n  ", run.c.deviationNotes))
                + (run.lenientNotes.isEmpty() ? "" : "\n  lenient, dropped: " + String.join(", ", run.lenientNotes));
        Files.createDirectories(report().getParent());
        Files.writeString(report(), report + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        // a deviation that no longer applies fails whatever the case's outcome: its table row would be untrue
        assertTrue(run.brokenDeviations.isEmpty(), report);
        if (LENIENT) {
            Assumptions.abort("lenient run (reported only): " + report);
        }
        if (outcome.equals("pass")) {
            assertTrue(failures.isEmpty(), report);
        } else if (failures.isEmpty()) {
            fail(id + " passes now: mark it 'pass' in upstream/" + OUTCOMES + " (was " + outcome + ")");
        } else {
            Assumptions.abort(outcome + "\n" + report);
        }
    }

    /** One case run: the daemon, the steps, what went wrong (empty: the case passes). */
    private static final class Run {
        private final UpstreamCase c;
        private final Path dir;
        private final Path mount;
        private final Path conf;
        private final List<String> failures = new ArrayList<>();
        private final List<String> lenientNotes = new ArrayList<>();
        private final List<String> brokenDeviations = new ArrayList<>();
        private final Set<Path> swapped = new LinkedHashSet<>();
        private Daemon daemon;
        private BrokerProcess broker;
        private boolean ownBroker;
        private StandInRegistry registry;
        private RedisServer redis;
        private UpstreamTopic topic;
        private int port;
        private int casePort;
        private InetAddress bound;
        private long phasesDone;

        Run(UpstreamCase c, Path dir) throws IOException {
            this.c = c;
            this.dir = dir;
            this.mount = dir.resolve("mount");
            this.conf = dir.resolve("nfacctd-00.conf");
        }

        List<String> execute() throws Exception {
            c.mount(mount);
            try {
                if (!start()) {
                    return failures;
                }
                boolean allSteps = true;
                for (String[] step : c.steps) {
                    try {
                        step(step);
                    } catch (UpstreamCase.BrokenDeviation e) {
                        brokenDeviations.add(e.getMessage());
                        allSteps = false;
                        break;
                    } catch (AssertionError | Exception e) {
                        // a wait that timed out, a daemon that died: the case stops at its first broken step
                        failures.add(String.join(" ", step) + ": " + e.getMessage());
                        allSteps = false;
                        break;
                    }
                }
                if (allSteps) {
                    c.deviationsNotApplied().forEach(p -> brokenDeviations.add(UpstreamCase.root().relativize(p)
                            + ": no comparison of the case uses it"));
                }
            } finally {
                if (daemon != null) {
                    daemon.close();
                }
                if (topic != null) {
                    topic.close();
                }
                if (registry != null) {
                    registry.close();
                }
                if (ownBroker && broker != null) {
                    broker.close();
                }
                if (redis != null) {
                    redis.close();
                }
            }
            return failures;
        }

        /**
         * The framework's infrastructure (a broker, the case's own when it stops it; a schema registry; a
         * redis-server when the case names one), then the daemon on the case's configuration; false (and why) when
         * it refuses it.
         */
        private boolean start() throws Exception {
            try (DatagramSocket s = new DatagramSocket(0)) {
                port = s.getLocalPort();
            }
            String written = Files.readString(c.conf());
            Matcher p = Pattern.compile("(?m)^nfacctd_port:\\s*(\\d+)").matcher(written);
            casePort = p.find() ? Integer.parseInt(p.group(1)) : 2100;
            ownBroker = c.steps.stream().anyMatch(s -> s[0].equals("stop-kafka"));
            broker = ownBroker ? BrokerProcess.start(dir.resolve("broker"), BrokerProcess.freePort()) : BrokerProcess.shared();
            registry = new StandInRegistry();
            if (Pattern.compile("(?m)^redis_host:").matcher(written).find()) {
                redis = RedisServer.start();
            }
            Path librdkafka = mount.resolve("librdkafka.conf");
            Files.writeString(librdkafka, Files.readString(UpstreamCase.root().resolve("librdkafka.conf"))
                    .replace(FRAMEWORK_BROKER, broker.bootstrap()), StandardCharsets.UTF_8);
            UpstreamCase.Framework fw = new UpstreamCase.Framework(librdkafka, registry.url(),
                    redis == null ? "" : redis.hostPort());
            List<String> lines = new ArrayList<>(c.configuration(dir, mount, port, fw).lines().toList());
            Matcher ip = Pattern.compile("(?m)^nfacctd_ip:\\s*(\\S+)").matcher(String.join("\n", lines));
            bound = InetAddress.getByName(ip.find() ? ip.group(1) : "0.0.0.0");
            for (int attempt = 0; attempt < 60; attempt++) {
                Files.write(conf, lines, StandardCharsets.UTF_8);
                Daemon d = Daemon.program("nfacctd", dir, NfacctdConformanceTest.UTC, "-f", conf.getFileName().toString());
                Daemon.awaitCondition("the daemon to listen or stop", 60,
                        () -> log().contains("waiting for NetFlow/IPFIX") || !d.alive(), d::stderr);
                if (d.alive()) {
                    daemon = d;
                    return true;
                }
                String refusal = d.stderr().lines().filter(l -> l.contains("ERROR")).findFirst().orElse(d.stderr());
                refusal = refusal.substring(refusal.indexOf("): ") < 0 ? 0 : refusal.indexOf("): ") + 3);
                if (!LENIENT || !dropRefused(lines, refusal)) {
                    failures.add("config refused: " + refusal);
                    return false;
                }
            }
            failures.add("config refused: too many refusals");
            return false;
        }

        /** Lenient runs: the refused primitive out of its aggregate line, or the refused line out. */
        private boolean dropRefused(List<String> lines, String refusal) {
            Matcher at = Pattern.compile("^" + Pattern.quote(conf.getFileName().toString()) + ":(\\d+): ").matcher(refusal);
            if (!at.find()) {
                return false;
            }
            int n = Integer.parseInt(at.group(1)) - 1;
            Matcher primitive = REFUSED_PRIMITIVE.matcher(refusal);
            boolean aggregate = lines.get(n).strip().startsWith("aggregate");
            if (aggregate && primitive.find()) {
                lines.set(n, lines.get(n).replaceAll("(,\\s*)?\\b" + primitive.group(1) + "\\b", "").replace(": ,", ":"));
                lenientNotes.add("primitive " + primitive.group(1));
            } else if (aggregate) {
                return false; // without its aggregate the case would compare nothing
            } else {
                lenientNotes.add(lines.get(n).strip().replaceFirst("\\s*:.*", ""));
                lines.set(n, "! " + lines.get(n));
            }
            return true;
        }

        private void step(String[] s) throws Exception {
            switch (s[0]) {
                case "replay" -> replay(List.of(s).subList(1, s.length));
                case "compare" -> compare(s[1]);
                case "log" -> checkLog(s[1], s.length > 2 ? s[2] : null);
                case "no-error-log" -> noErrorLog();
                case "swap-maps" -> {
                    for (String name : List.of(s).subList(1, s.length)) {
                        Path to = mount.resolve(name + "-00.map");
                        Files.move(mount.resolve(name + "-01.map"), to, StandardCopyOption.REPLACE_EXISTING);
                        swapped.add(to);
                    }
                }
                case "signal" -> signal(s[1]);
                case "wait-log" -> awaitLog(s[1], s.length > 2 ? s[2] : null);
                case "stop-kafka" -> broker.stop();
                case "stop-redis" -> redis.kill();
                default -> throw new IllegalArgumentException("cases.txt: unknown step " + s[0]);
            }
        }

        private void replay(List<String> containers) throws Exception {
            if (checksPurgeCounts()) {
                // the expected log holds one purge's count of everything replayed: start right after a purge, so the
                // next one (kafka_refresh_time later) does not fall inside the replay and split it
                awaitPurges(1);
            }
            KernelUdpSockets socket = new KernelUdpSockets(bound, port);
            Runnable drained = () -> {
                try {
                    Daemon.awaitCondition("the socket read", 60, () -> socket.unread() <= 0, daemon::stderr);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            for (String container : containers) {
                for (UpstreamTraffic.Reproducer r : UpstreamTraffic.container(c.dir, container)) {
                    UpstreamTraffic.send(UpstreamTraffic.select(r), c::loopback, port, drained);
                }
            }
            drained.run();
        }

        /** Whether an expected log line of the case is a purge's count (101's "QN: 51/51"). */
        private boolean checksPurgeCounts() throws IOException {
            try (Stream<Path> files = Files.list(c.dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.startsWith("output-log-") && Files.readString(f, StandardCharsets.UTF_8).contains("Purging cache")) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The rows of this phase against the expected ones, as pmacct's framework compares them. */
        private void compare(String tag) throws Exception {
            phasesDone++;
            if (phasesDone == c.phases()) {
                daemon.signal("INT"); // the last purge sends everything, delivered before the daemon exits
                int exit = daemon.waitFor(60);
                if (exit != 0) {
                    failures.add("exit status " + exit + ": " + daemon.stderr());
                }
            } else {
                awaitPurges(2); // the records decoded after the socket was read are in the second purge at the latest
            }
            String plugin = c.topics.keySet().iterator().next();
            if (topic == null) {
                topic = new UpstreamTopic(broker.bootstrap(), c.topics.get(plugin), c.outputs.getOrDefault(plugin, "json"),
                        registry);
            }
            long sent = sent(plugin);
            List<Map<String, Object>> ours = topic.readUpTo(sent, MESSAGES_WAIT_SECONDS);
            if (topic.read() < sent) {
                failures.add("output-" + tag + ".json: " + topic.read() + " messages read in " + MESSAGES_WAIT_SECONDS
                        + " s, the daemon says it sent " + sent);
                return;
            }
            ours = UpstreamJson.merged(ours, c.ignored);
            List<Map<String, Object>> expected = UpstreamJson.rows(c.addresses(String.join("\n", c.expectedRowLines(tag))));
            Set<String> ourFields = new TreeSet<>();
            ours.forEach(r -> ourFields.addAll(r.keySet()));
            Set<String> notCompared = new TreeSet<>();
            for (Map<String, Object> e : expected) {
                if (LENIENT) {
                    e.keySet().stream().filter(k -> !ourFields.contains(k)).forEach(notCompared::add);
                    e.keySet().retainAll(ourFields);
                }
            }
            if (!notCompared.isEmpty()) {
                lenientNotes.add("from output-" + tag + " the fields we lack: " + String.join(", ", notCompared));
            }
            String diff = UpstreamJson.compare(ours, expected, c.ignored);
            if (diff != null) {
                failures.add("output-" + tag + ".json: " + diff);
            }
        }

        /** The messages plugin {@code name} says it sent so far: the sum of its purges' counts. */
        private long sent(String name) {
            String end = "( " + name + "/kafka ): ";
            long n = 0;
            for (String l : (Iterable<String>) log().lines()::iterator) {
                Matcher m = PURGE_SENT.matcher(l);
                if (l.contains(end) && m.find()) {
                    n += Long.parseLong(m.group(1));
                }
            }
            return n;
        }

        /** Waits for {@code n} more purges of the (first) kafka plugin than the log shows now. */
        private void awaitPurges(int n) throws Exception {
            String plugin = c.topics.keySet().iterator().next();
            String end = "( " + plugin + "/kafka ): *** Purging cache - END";
            long target = count(log(), end) + n;
            daemon.await(n + " purges of " + plugin, 60, () -> count(log(), end) >= target);
        }

        /** SIGUSR2 reloads the maps: waits until each map swapped in was read again (or refused). */
        private void signal(String name) throws Exception {
            int from = log().length();
            daemon.signal(name.replace("SIG", ""));
            for (Path map : swapped) {
                String loaded = "[" + map + "] map successfully (re)loaded";
                daemon.await("the reload of " + map.getFileName(), 60, () -> log().substring(from).lines().anyMatch(
                        l -> l.contains(loaded) || (l.contains(map.toString()) && l.contains("ERROR"))));
            }
            swapped.clear();
        }

        /**
         * The expected log lines, in order, as regular expressions (test_tools.transform_log_file), the case's
         * container paths, port and redis-server replaced by this run's; left out, the lines about pmacct's internals ({@link #PMACCT_INTERNALS}) and
         * pmacct's second start-up load of a pre_tag_map, and a pre_tag_map's count taken as its rules
         * ({@link #preTagMapLoads}).
         */
        private void checkLog(String tag, String container) throws IOException {
            String missing = missingLogLine(tag, container);
            if (missing != null) {
                failures.add(missing);
            }
        }

        /** The expected lines, waited for (test_helper.wait_and_check_logs: 90 s at most in the cases). */
        private void awaitLog(String tag, String container) throws Exception {
            String[] missing = {null};
            try {
                daemon.await("the lines of output-" + tag + ".txt", 120, () -> {
                    try {
                        missing[0] = missingLogLine(tag, container);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return missing[0] == null;
                });
            } catch (AssertionError | Exception e) {
                failures.add(missing[0] == null ? e.getMessage() : missing[0]);
            }
        }

        /** The first expected line of output-{@code tag}.txt the log lacks (in order); null when none. */
        private String missingLogLine(String tag, String container) throws IOException {
            String log = log();
            String repro = container == null ? null
                    : c.loopback(UpstreamTraffic.container(c.dir, container).get(0).sources().values().iterator().next())
                    .getHostAddress();
            int pos = 0;
            List<String> expected = new ArrayList<>();
            for (String line : Files.readAllLines(c.expectedLog(tag), StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#") && PMACCT_INTERNALS.stream().noneMatch(line::contains)) {
                    expected.add(line.replace("port=" + casePort + "/", "port=" + port + "/")
                            .replace("${redis_ip}:${redis_port}", redis == null ? "${redis_ip}:${redis_port}"
                                    : redis.hostPort())
                            .replace("/etc/pmacct/nfacctd.conf", conf.toRealPath().toString())
                            .replaceAll("/etc/pmacct/([A-Za-z0-9_-]+)\\.map",
                                    Matcher.quoteReplacement(mount.toString()) + "/$1-00.map"));
                }
            }
            for (String adapted : preTagMapLoads(expected)) {
                Matcher m = Pattern.compile(regex(adapted, repro, TIMESTAMP)).matcher(log);
                if (m.find(pos)) {
                    pos = m.end();
                    continue;
                }
                boolean onlyTheTimestamp = Pattern.compile(regex(adapted, repro, "\\S+")).matcher(log).find(pos);
                return "output-" + tag + ".txt: no log line (after the previous one) like: " + adapted
                        + (onlyTheTimestamp ? " [only the timestamp's form differs: pmacct 1.8 writes +00:00, 1.7.7 Z]" : "");
            }
            return null;
        }

        private static String regex(String line, String repro, String timestamp) {
            StringBuilder sb = new StringBuilder();
            Matcher t = TOKEN.matcher(line);
            int last = 0;
            while (t.find()) {
                sb.append(Pattern.quote(line.substring(last, t.start())));
                switch (t.group(1)) {
                    case "TIMESTAMP" -> sb.append(timestamp);
                    case "RANDOM" -> sb.append(".+");
                    case "repro_ip" -> sb.append(Pattern.quote(repro == null ? "${repro_ip}" : repro));
                    default -> {
                        // IGNORE_REST: the rest of the line is not compared
                    }
                }
                last = t.end();
            }
            return sb.append(Pattern.quote(line.substring(last))).toString();
        }

        /**
         * pmacct's pre_tag_map loads as this project logs them. pmacct loads a pre_tag_map at start-up once for each
         * entry of its plugin list, the core's own included, so one plugin gives two identical loads; here a map
         * file is loaded once, whatever uses it: a load repeating the one just before is dropped. pmacct counts a
         * rule without {@code ip} twice (it stores it for IPv4 and for IPv6 exporters); the count expected is the
         * map's rules, as here.
         */
        private List<String> preTagMapLoads(List<String> lines) throws IOException {
            Path preTagMap = mount.resolve("pretag-00.map");
            String loading = "[" + preTagMap + "] (re)loading map.";
            List<String> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                boolean repeat = l.endsWith(loading) && i >= 2 && i + 1 < lines.size()
                        && lines.get(i - 2).equals(l) && lines.get(i - 1).equals(lines.get(i + 1));
                if (repeat) {
                    i++;
                    continue;
                }
                Matcher count = LOADED_WITH.matcher(l);
                if (l.contains("[" + preTagMap + "]") && count.find()) {
                    long withoutIp = Files.readAllLines(preTagMap, StandardCharsets.UTF_8).stream()
                            .filter(r -> !r.isBlank() && !r.strip().startsWith("!") && !r.strip().startsWith("#"))
                            .filter(r -> !RULE_WITH_IP.matcher(r).find()).count();
                    l = l.substring(0, count.start(1)) + (Long.parseLong(count.group(1)) - withoutIp)
                            + l.substring(count.end(1));
                }
                out.add(l);
            }
            return out;
        }

        private void noErrorLog() {
            log().lines().filter(l -> l.contains("ERROR") || l.contains("WARN")).findFirst()
                    .ifPresent(l -> failures.add("log has ERROR|WARN: " + l));
        }

        private String log() {
            return Daemon.read(dir.resolve("nfacctd.log"));
        }

        private static long count(String text, String what) {
            long n = 0;
            for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
                n++;
            }
            return n;
        }
    }
}
