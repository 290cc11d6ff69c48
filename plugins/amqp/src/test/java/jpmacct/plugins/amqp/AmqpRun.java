package jpmacct.plugins.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import jpmacct.pmacctd.DaemonRun;

/**
 * What the amqp plugin's daemon tests share besides {@link DaemonRun}: waits on the log, and print's JSON rows to
 * compare the messages with.
 */
final class AmqpRun {
    private static final Pattern DIFFERING_FIELDS = Pattern.compile(", \"(stamp_updated|writer_id)\": \"[^\"]*\"");

    private AmqpRun() {
    }

    /** Runs pmacctd to the end of its savefile; checks it exits 0 without a stack trace; returns what it said. */
    static String run(Path dir, String conf) throws Exception {
        return DaemonRun.ended(DaemonRun.start(dir, conf), dir);
    }

    /** SIGTERM, then a clean end. */
    static String stop(Process p, Path dir) throws Exception {
        p.destroy();
        return DaemonRun.ended(p, dir);
    }

    /** Waits until the daemon's log holds {@code text}. */
    static void awaitLog(Path dir, String text) throws InterruptedException {
        TestBroker.await(() -> DaemonRun.log(dir).contains(text), "'" + text + "' in the log of " + dir);
    }

    /** A JSON object without what differs between two plugins of one run: stamp_updated and writer_id. */
    static String comparable(String json) {
        return DIFFERING_FIELDS.matcher(json).replaceAll("");
    }

    /** The objects of a print plugin's JSON file. */
    static List<String> printed(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{")).toList();
    }
}
