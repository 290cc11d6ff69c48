package jpmacct.sfacctd.agent;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.output.Timestamps;
import jpmacct.core.runtime.RateLimitedLog;

/**
 * sfacctd_counter_file: each generic interface counters record as one JSON line, with pmacct's field names and
 * order (a file starts with pmacct's log_init line; one sequence over every file). Counter samples are rare (one per interface every tens of seconds), so lines are written and flushed on
 * the receiving thread, under the agent's lock; a write that fails is logged (once a minute) and the file
 * reopened at the next line.
 */
public final class CounterLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CounterLog.class);
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 60_000);

    private final String pathTemplate;
    private final Timestamps timestamps;
    private final Map<String, BufferedWriter> files = new HashMap<>();
    private final StringBuilder line = new StringBuilder(512);
    private long seq;

    public CounterLog(String pathTemplate, Timestamps timestamps) {
        this.pathTemplate = pathTemplate;
        this.timestamps = timestamps;
    }

    /** The generic counters block at {@code c} (88 bytes: ifIndex ... ifPromiscuousMode) of a counter sample. */
    public synchronized void generic(Agent agent, String agentAddress, long arrivalMicros, long sourceIndex,
                                     long datagramSeq, long counterSeq, long[] c) {
        // pmacct's file names: 10_0_0_1, 2001_db8__1
        String path = pathTemplate.replace("$peer_src_ip", agentAddress.replace('.', '_').replace(':', '_'));
        try {
            BufferedWriter w = files.get(path);
            if (w == null) {
                w = open(path);
                start(arrivalMicros).append("\", \"peer_src_ip\": \"").append(agentAddress)
                        .append("\", \"event_type\": \"log_init\"}\n");
                w.append(line);
            }
            start(arrivalMicros).append("\", \"peer_ip_src\": \"").append(agentAddress).append("\", \"event_type\": \"log\"")
                    .append(", \"source_id_index\": ").append(sourceIndex).append(", \"sflow_seq\": ").append(datagramSeq)
                    .append(", \"sflow_cnt_seq\": ").append(counterSeq).append(", \"sf_cnt_type\": \"sflow_cnt_generic\"");
            for (int i = 0; i < FIELDS.length; i++) {
                line.append(", \"").append(FIELDS[i]).append("\": ").append(c[i]);
            }
            w.append(line.append("}\n"));
            w.flush();
        } catch (IOException e) {
            FAILURES.warn(path, "sfacctd_counter_file " + path + ": " + e.getMessage() + " (counters of agent "
                    + agent.name + " not written)");
            closeQuietly(files.remove(path));
        }
    }

    /** Starts a line: its sequence number and timestamp, up to the closing quote of the timestamp. */
    private StringBuilder start(long micros) {
        line.setLength(0);
        line.append("{\"seq\": ").append(seq++).append(", \"timestamp\": \"");
        timestamps.append(line, micros, true);
        return line;
    }

    private BufferedWriter open(String path) throws IOException {
        Path p = Path.of(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        files.put(path, w);
        return w;
    }

    /** The names of the 19 values of a generic counters block, in wire order (pmacct's JSON keys). */
    public static final String[] FIELDS = {"ifIndex", "ifType", "ifSpeed", "ifDirection", "ifStatus", "ifInOctets",
        "ifInUcastPkts", "ifInMulticastPkts", "ifInBroadcastPkts", "ifInDiscards", "ifInErrors", "ifInUnknownProtos",
        "ifOutOctets", "ifOutUcastPkts", "ifOutMulticastPkts", "ifOutBroadcastPkts", "ifOutDiscards", "ifOutErrors",
        "ifPromiscuousMode"};

    @Override
    public synchronized void close() {
        for (BufferedWriter w : files.values()) {
            closeQuietly(w);
        }
        files.clear();
    }

    private static void closeQuietly(BufferedWriter w) {
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                // the failure was reported
            }
        }
    }
}
