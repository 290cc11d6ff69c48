package jpmacct.plugins.print;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.output.DynamicName;
import jpmacct.core.output.OutputFormat;
import jpmacct.core.output.TableRow;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.Preprocess;
import jpmacct.core.runtime.FilePermissions;
import jpmacct.core.runtime.TriggerExec;

/**
 * Writes one purged cache: leaves out what print_preprocess fails, groups rows by output file name, writes each
 * file, links the latest, runs the trigger.
 */
final class PurgeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeWriter.class);
    private static final long PID = ProcessHandle.current().pid();
    private static final int WRITE_CHUNK = 1 << 15;

    private final String id;
    private final String pluginName;
    private final OutputFormat format;
    private final DynamicName fileName;
    private final DynamicName latestName;
    private final ZoneId zone;
    private final Aggregator aggregator;
    private final boolean append;
    private final boolean markers;
    private final boolean writeEmpty;
    /** print_preprocess, or null. */
    private final Preprocess preprocess;
    private final TriggerExec trigger;
    private final Writer stdout;
    private final FilePermissions permissions;
    private boolean stdoutHeaderPending = true;

    PurgeWriter(String id, OutputFormat format, DynamicName fileName, DynamicName latestName, ZoneId zone,
                Aggregator aggregator, boolean append, boolean markers, boolean writeEmpty, Preprocess preprocess,
                TriggerExec trigger, Writer stdout, PluginContext ctx) {
        this.id = id;
        this.pluginName = ctx.config().name();
        this.format = format;
        this.fileName = fileName;
        this.latestName = latestName;
        this.zone = zone;
        this.aggregator = aggregator;
        this.append = append;
        this.markers = markers;
        this.writeEmpty = writeEmpty;
        this.preprocess = preprocess;
        this.trigger = trigger;
        this.stdout = stdout;
        this.permissions = ctx.files();
    }

    /** Growable int list of slots. */
    private static final class Slots {
        int[] a = new int[64];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /**
     * @param cutoff rows whose history bin starts at or after it are not written (still open); nor are those failing
     *               print_preprocess, which the figures of the purge (QN, purged_entries) leave out as pmacct does
     */
    synchronized void write(AggregationTable table, long purgeTime, long cutoff) {
        long start = System.currentTimeMillis();
        TableRow row = new TableRow(table, aggregator.layout(), aggregator.labels(), aggregator.classes());
        boolean history = aggregator.layout().has(KeyField.BIN);
        Map<String, Slots> groups = new LinkedHashMap<>();
        int total = table.size();
        int written = 0;
        String single = fileName == null ? null : (fileName.isDynamic() ? null : fileName.template());
        while (row.next()) {
            long bin = history ? row.field(KeyField.BIN) : 0;
            if (history && bin >= cutoff || preprocess != null && !preprocess.passes(table, row.slot())) {
                continue;
            }
            String name = single != null || fileName == null ? single : fileName.resolve(row, history ? bin : purgeTime, zone);
            groups.computeIfAbsent(name, k -> new Slots()).add(row.slot());
            written++;
        }
        LOG.info("*** Purging cache - START (PID: {}) ***", PID);
        if (written == 0 && !writeEmpty) {
            LOG.info("*** Purging cache - END (PID: {}, QN: 0/{}, ET: X) ***", PID, total);
            return;
        }
        if (written == 0 && fileName != null) {
            groups.put(fileName.resolve(null, purgeTime, zone), new Slots());
        } else if (written == 0) {
            groups.put(null, new Slots());
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        for (Map.Entry<String, Slots> g : groups.entrySet()) {
            try {
                if (g.getKey() == null) {
                    writeStdout(row, g.getValue(), purgeTime, sb, total);
                } else {
                    writeFile(Path.of(g.getKey()), row, g.getValue(), purgeTime, sb, total);
                }
            } catch (IOException e) {
                LOG.error("cannot write {}: {}", g.getKey() == null ? "stdout" : g.getKey(), e.getMessage());
            }
        }
        long et = (System.currentTimeMillis() - start) / 1000;
        LOG.info("*** Purging cache - END (PID: {}, QN: {}/{}, ET: {}) ***", PID, written, total, et);
        if (trigger != null && written > 0) {
            trigger.run();
        }
    }

    private void writeRows(Writer w, TableRow row, Slots slots, long now, StringBuilder sb, boolean header, int total)
            throws IOException {
        if (markers) {
            w.write(startMarker());
        }
        if (header) {
            String h = format.header();
            if (h != null) {
                w.write(h);
            }
        }
        // rows go out in 32 KiB chunks, not one Writer call and one String per row
        sb.setLength(0);
        for (int i = 0; i < slots.n; i++) {
            row.moveTo(slots.a[i]);
            format.appendRow(sb, row, now);
            if (sb.length() >= WRITE_CHUNK) {
                w.append(sb);
                sb.setLength(0);
            }
        }
        w.append(sb);
        sb.setLength(0);
        if (markers) {
            w.write(endMarker(slots.n, total));
        }
    }

    private String startMarker() {
        if (format.style() == OutputFormat.Style.JSON) {
            return "{\"event_type\": \"purge_init\", \"writer_id\": \"" + pluginName + "/" + PID + "\"}\n";
        }
        return "--START (" + PID + ")--\n";
    }

    private String endMarker(int purged, int total) {
        if (format.style() == OutputFormat.Style.JSON) {
            return "{\"event_type\": \"purge_close\", \"writer_id\": \"" + pluginName + "/" + PID
                    + "\", \"purged_entries\": " + purged + ", \"total_entries\": " + total + ", \"duration\": 0}\n";
        }
        return "--END (" + PID + ")--\n";
    }

    private void writeStdout(TableRow row, Slots slots, long now, StringBuilder sb, int total) throws IOException {
        writeRows(stdout, row, slots, now, sb, stdoutHeaderPending, total);
        stdout.flush();
        if (slots.n > 0) {
            stdoutHeaderPending = false;
        }
    }

    private void writeFile(Path target, TableRow row, Slots slots, long now, StringBuilder sb, int total) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        if (append) {
            boolean existed = Files.exists(target);
            try (Writer w = open(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                if (!existed) {
                    permissions.apply(target);
                }
                writeRows(w, row, slots, now, sb, !existed, total);
            }
        } else if (Files.exists(target) && !Files.isRegularFile(target)) {
            // a FIFO or device: write in place, as pmacct does
            try (Writer w = open(target, StandardOpenOption.WRITE)) {
                writeRows(w, row, slots, now, sb, true, total);
            }
        } else {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + PID);
            try (Writer w = open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writeRows(w, row, slots, now, sb, true, total);
            }
            permissions.apply(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        if (latestName != null) {
            if (slots.n > 0) {
                row.moveTo(slots.a[0]);
            }
            link(Path.of(latestName.resolve(slots.n > 0 ? row : null, now, zone)), target);
        }
    }

    private static Writer open(Path p, StandardOpenOption... options) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(p, options), StandardCharsets.UTF_8), 1 << 16);
    }

    /** Points the latest-file symlink at {@code target}, replacing it atomically. */
    private void link(Path link, Path target) {
        try {
            Path dir = link.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            Path tmp = link.resolveSibling("." + link.getFileName() + ".lnk-" + PID);
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, target.toAbsolutePath());
            Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot update print_latest_file {}: {}", link, e.getMessage());
        }
    }

    void awaitTriggers() {
        if (trigger != null) {
            trigger.awaitAtShutdown();
        }
    }
}
