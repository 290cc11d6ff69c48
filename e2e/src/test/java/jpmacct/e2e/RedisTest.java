package jpmacct.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.redis.RedisServer;
import jpmacct.core.redis.RespClient;

/**
 * pmacct's upstream test 901-redis-connection-loss, in spirit: nfacctd with {@code redis_host} and
 * {@code cluster_name}, its core and its plugin each connect (output-log-00.txt) and keep their keys alive without
 * a warning; then Redis goes away and each says so (output-log-01.txt). pmacct's test has a kafka plugin and stops
 * a Redis container; here a print plugin (its lines say {@code /print/redis} where pmacct's say
 * {@code /kafka/redis}) and a redis-server of the test's own, killed and started again. Beyond 901: the keys
 * themselves, the daemon accounting through the outage, and the keys back once Redis is.
 */
class RedisTest {
    private static final String CISCO_IPFIX = "100-IPFIXv10-CISCO";
    /** pmacct's log timestamp (as test_tools.transform_log_file has it). */
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}";

    private static String conf(int port, String redisHost) {
        return "core_proc_name: nfacctd_core\ndaemonize: false\nlogfile: nfacctd.log\n"
                + "nfacctd_ip: 127.0.0.1\nnfacctd_port: " + port + "\n"
                + "plugins: print[nfacctd_print]\nprint_refresh_time: 3600\n"
                + "aggregate: peer_src_ip, export_proto_version, export_proto_sysid, flows\n"
                + "print_output: csv\nprint_output_file: totals.csv\n"
                + "cluster_id: 0\ncluster_name: nfacctd\nredis_host: " + redisHost + "\n";
    }

    /** A line of 901's output-log files as a regular expression: the timestamp, then the line as given. */
    private static Pattern line(String text) {
        return Pattern.compile("(?m)^" + TIMESTAMP + " " + Pattern.quote(text));
    }

    private static boolean logged(Path dir, String text) {
        return line(text).matcher(log(dir)).find();
    }

    private static String log(Path dir) {
        return Daemon.read(dir.resolve("nfacctd.log"));
    }

    /** The value of a key and its TTL, {null, -2} when it is not there. */
    private static Object[] read(RedisServer redis, String key) throws Exception {
        try (RespClient c = RespClient.connect(redis.address(), 3000)) {
            return new Object[] {c.call("GET", key), c.call("TTL", key)};
        }
    }

    private static boolean announced(RedisServer redis) {
        try {
            return "nfacctd".equals(read(redis, "nfacctd+0+daemon_type")[0])
                    && "1".equals(read(redis, "nfacctd+0+process+nfacctd_core+core")[0])
                    && "1".equals(read(redis, "nfacctd+0+process+nfacctd_print+print")[0]);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void coreAndPluginAnnounceThemselvesAndSayWhenRedisIsLost(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        try (RedisServer redis = RedisServer.start()) {
            Files.writeString(dir.resolve("nfacctd.conf"), conf(port, redis.hostPort()), StandardCharsets.UTF_8);
            try (Daemon d = Daemon.program("nfacctd", dir, NfacctdConformanceTest.UTC, "-f", "nfacctd.conf")) {
                // output-log-00.txt (the core's line), and the plugin's as well: each process connects
                for (String process : List.of("nfacctd_core/core", "nfacctd_print/print")) {
                    String connecting = "INFO ( " + process + "/redis ): connecting to redis server " + redis.hostPort();
                    d.await(connecting, 60, () -> logged(dir, connecting));
                }
                d.await("the keys of the core and the plugin", 60, () -> announced(redis));
                for (String key : List.of("nfacctd+0+daemon_type", "nfacctd+0+process+nfacctd_core+core",
                        "nfacctd+0+process+nfacctd_print+print")) {
                    long ttl = (Long) read(redis, key)[1];
                    assertTrue(ttl >= 1 && ttl <= 3, key + " TTL " + ttl);
                }
                d.await("the socket", 60, () -> log(dir).contains("waiting for NetFlow/IPFIX"));
                assertTrue(!log(dir).contains("ERROR") && !log(dir).contains("WARN"), log(dir));

                redis.kill();
                // output-log-01.txt: the plugin's and the core's warnings (their order is the threads')
                for (String process : List.of("nfacctd_print/print", "nfacctd_core/core")) {
                    String lost = "WARN ( " + process + "/redis ): Can't connect to redis server: Connection refused";
                    d.await(lost, 60, () -> logged(dir, lost));
                }
                // accounting goes on without Redis
                Replayer.replay(NfacctdConformanceTest.capture(CISCO_IPFIX), "127.0.0.2", port);

                redis.restart();
                for (String process : List.of("nfacctd_core/core", "nfacctd_print/print")) {
                    String back = "INFO ( " + process + "/redis ): connection to redis server " + redis.hostPort()
                            + " restored";
                    d.await(back, 60, () -> logged(dir, back));
                }
                d.await("the keys again", 60, () -> announced(redis));
                d.signal("INT");
                assertEquals(0, d.waitFor(60), d.stderr());
            }
        }
        String log = log(dir);
        assertEquals(2, log.lines().filter(l -> l.contains("WARN")).count(), "one warning per process:\n" + log);
        assertTrue(!log.contains("ERROR"), log);
        assertEquals(NfacctdTest.sorted(NfacctdConformanceTest.vectors().resolve(CISCO_IPFIX).resolve("golden/totals.csv")),
                NfacctdTest.sorted(dir.resolve("totals.csv")));
    }

    /** A daemon started while Redis is down runs, says so once per process, and joins once Redis is up. */
    @Test
    void aDaemonStartedWithoutRedisJoinsLater(@TempDir Path dir) throws Exception {
        int port = NfacctdConformanceTest.freePort();
        try (RedisServer redis = RedisServer.start()) {
            redis.kill();
            Files.writeString(dir.resolve("nfacctd.conf"), conf(port, redis.hostPort()), StandardCharsets.UTF_8);
            try (Daemon d = Daemon.program("nfacctd", dir, NfacctdConformanceTest.UTC, "-f", "nfacctd.conf")) {
                d.await("the socket", 60, () -> log(dir).contains("waiting for NetFlow/IPFIX"));
                for (String process : List.of("nfacctd_core/core", "nfacctd_print/print")) {
                    String refused = "WARN ( " + process + "/redis ): Can't connect to redis server: Connection refused";
                    d.await(refused, 60, () -> logged(dir, refused));
                }
                redis.restart();
                d.await("the keys", 60, () -> announced(redis));
                d.signal("INT");
                assertEquals(0, d.waitFor(60), d.stderr());
            }
        }
    }
}
