package jpmacct.plugins.sql.write;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.plugin.PluginAggregation;

/**
 * The recovery journal: purged caches the database could not take, kept in a local file so they survive memory
 * bounds and daemon restarts, and written to the database (then the file removed) once it is back. Each chunk is
 * one cache: a header naming the aggregation it was keyed with (a journal of another configuration is refused,
 * not misread), then the entries' counters (and times, with stitching) and key words.
 */
final class Journal {
    private static final int MAGIC = 0x4A504D4A; // "JPMJ"
    private static final int VERSION = 1;

    private final Path file;
    private final String signature;
    private final PluginAggregation aggregation;

    Journal(Path file, PluginAggregation aggregation) {
        this.file = file;
        this.aggregation = aggregation;
        // entries with stitching carry two times more: a journal of the other kind must not be misread
        this.signature = aggregation.aggregate() + "|history=" + (aggregation.bins() != null) + "|words="
                + aggregation.layout().words() + (aggregation.stitching() ? "|stitching" : "");
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** Appends a cache; it is on disk (fsync'd) when this returns. */
    void append(AggregationTable t) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC),
                1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(signature);
            out.writeInt(t.size());
            int words = t.keyWords();
            long[] keys = t.keyArray();
            for (int s = 0, cap = t.capacity(); s < cap; s++) {
                if (!t.used(s)) {
                    continue;
                }
                out.writeLong(t.packets(s));
                out.writeLong(t.bytes(s));
                out.writeLong(t.flows(s));
                out.writeInt(t.tcpFlags(s));
                if (t.stitching()) {
                    out.writeLong(t.timestampMin(s));
                    out.writeLong(t.timestampMax(s));
                }
                int base = t.keyBase(s);
                for (int w = 0; w < words; w++) {
                    out.writeLong(keys[base + w]);
                }
            }
        }
    }

    /** The caches in the journal, oldest first; a cut-off last chunk (a crash while appending) is dropped. */
    List<AggregationTable> read() throws IOException {
        List<AggregationTable> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            while (true) {
                int magic;
                try {
                    magic = in.readInt();
                } catch (EOFException e) {
                    return out;
                }
                if (magic != MAGIC || in.readInt() != VERSION) {
                    throw new IOException(file + ": not a jpmacct SQL journal (or a newer one)");
                }
                String sig = in.readUTF();
                if (!sig.equals(signature)) {
                    throw new IOException(file + ": written for aggregate '" + sig + "', this plugin has '" + signature
                            + "'; move it away or restore that configuration to write it");
                }
                int n = in.readInt();
                AggregationTable t = aggregation.newTable(Math.max(16, n), 0);
                long[] key = new long[t.keyWords()];
                try {
                    for (int i = 0; i < n; i++) {
                        long packets = in.readLong();
                        long bytes = in.readLong();
                        long flows = in.readLong();
                        int flags = in.readInt();
                        long timeMin = t.stitching() ? in.readLong() : 0;
                        long timeMax = t.stitching() ? in.readLong() : 0;
                        for (int w = 0; w < key.length; w++) {
                            key[w] = in.readLong();
                        }
                        t.add(key, packets, bytes, flows, flags, timeMin, timeMax);
                    }
                } catch (EOFException e) {
                    return out; // the chunk being appended when the daemon died: never acknowledged
                }
                out.add(t);
            }
        }
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
