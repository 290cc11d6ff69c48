package jpmacct.plugins.sql.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.plugin.PluginAggregation;

/**
 * Purged caches not yet written, oldest first: a purge that fails stays queued, in order, and is retried with a
 * back-off (sooner than the next purge, doubling up to sql_refresh_time); past sql_journal_threshold entries, and
 * at exit, they go to the recovery journal, which is written first once the database is back. A failed
 * transaction is rolled back whole, so nothing is lost or counted twice. Only the writer thread calls in.
 */
public final class PendingPurges {
    private static final Logger LOG = LoggerFactory.getLogger(PendingPurges.class);

    private final SqlWriter writer;
    private final Journal journal;
    private final long journalThreshold;
    private final PluginAggregation aggregation;
    private final int cacheEntries;
    private final ScheduledExecutorService writerThread;
    /** The plugin's log tag. */
    private final String id;
    private final Deque<AggregationTable> pending = new ArrayDeque<>();
    private final Backoff backoff;
    private ScheduledFuture<?> retry;
    private int failedAttempts;

    public PendingPurges(SqlWriter writer, Path journalFile, long journalThreshold, PluginAggregation aggregation,
                         int cacheEntries, long refreshMillis, ScheduledExecutorService writerThread, String id) {
        this.writer = writer;
        this.journal = new Journal(journalFile, aggregation);
        this.journalThreshold = journalThreshold;
        this.aggregation = aggregation;
        this.cacheEntries = cacheEntries;
        this.writerThread = writerThread;
        this.id = id;
        this.backoff = new Backoff(Math.max(100, Math.min(1000, refreshMillis / 4)), refreshMillis);
    }

    /** A previous run left a journal. */
    public boolean journalExists() {
        return journal.exists();
    }

    /**
     * Writes the journal (older), then the queued purges in order, stopping at the first failure; what fails stays
     * queued (past {@code sql_journal_threshold} entries it goes to the journal) and a retry is scheduled.
     * {@code full} is a new purge, or null for a retry; true when nothing is left.
     */
    public boolean write(AggregationTable full) {
        MDC.put("pm", id);
        if (full != null && full.size() > 0) {
            pending.addLast(full);
        }
        boolean ok = writeJournal();
        while (ok && !pending.isEmpty()) {
            ok = writer.write(pending.peekFirst(), System.currentTimeMillis() / 1000);
            if (ok) {
                pending.removeFirst();
            }
        }
        long held = entries();
        while (held > journalThreshold && !pending.isEmpty()) {
            AggregationTable oldest = pending.peekFirst();
            if (!spill(oldest)) {
                break;
            }
            held -= oldest.size();
            pending.removeFirst();
        }
        if (ok) {
            if (failedAttempts > 0) {
                LOG.info("the database took what was pending after {} failed attempts", failedAttempts);
            }
            failedAttempts = 0;
            backoff.reset();
            cancelRetry();
            retry = null;
        } else {
            failedAttempts++;
            scheduleRetry();
        }
        return ok;
    }

    /** One retry at a time, sooner than the next purge at first, then doubling up to sql_refresh_time. */
    private void scheduleRetry() {
        if (retry != null && !retry.isDone() || writerThread.isShutdown()) {
            return;
        }
        long delay = backoff.next();
        LOG.debug("retrying in {} ms ({} entries pending)", delay, entries());
        retry = writerThread.schedule(() -> {
            retry = null;
            if (!pending.isEmpty() || journal.exists()) {
                write(null);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The final purge comes: no retry after it. */
    public void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
        }
    }

    /** Entries queued in memory. */
    public long entries() {
        long n = 0;
        for (AggregationTable t : pending) {
            n += t.size();
        }
        return n;
    }

    /** At exit, the database away: what is queued goes to the journal, for the next start. */
    public void spillAll() {
        long held = 0;
        while (!pending.isEmpty() && spill(pending.peekFirst())) {
            held += pending.removeFirst().size();
        }
        if (held > 0) {
            LOG.warn("the database is away: {} entries are in the journal {}, written when it is back (at the "
                    + "next start)", held, journal.file());
        }
    }

    /** Writes the whole journal in one transaction (merged), then removes it; true when there is none left. */
    private boolean writeJournal() {
        if (!journal.exists()) {
            return true;
        }
        AggregationTable merged;
        try {
            List<AggregationTable> chunks = journal.read();
            merged = aggregation.newTable(cacheEntries, 0);
            for (AggregationTable t : chunks) {
                for (int s = 0, cap = t.capacity(); s < cap; s++) {
                    if (t.used(s)) {
                        merged.addFrom(t, s);
                    }
                }
            }
        } catch (IOException e) {
            // a journal this plugin cannot read must not stop it writing: set it aside for a person to look at
            Path aside = journal.file().resolveSibling(journal.file().getFileName() + ".rejected-" + System.currentTimeMillis());
            try {
                Files.move(journal.file(), aside);
                LOG.error("{}; moved to {}", e.getMessage(), aside);
                return true;
            } catch (IOException moveFailure) {
                LOG.error("{}; and it cannot be moved aside ({})", e.getMessage(), moveFailure.getMessage());
                return false;
            }
        }
        if (!writer.write(merged, System.currentTimeMillis() / 1000)) {
            return false;
        }
        try {
            journal.delete();
            LOG.info("journal {} written to the database ({} entries)", journal.file(), merged.size());
        } catch (IOException e) {
            LOG.error("journal {} was written but cannot be removed ({}): remove it by hand, or it is written again",
                    journal.file(), e.getMessage());
        }
        return true;
    }

    private boolean spill(AggregationTable t) {
        try {
            journal.append(t);
            LOG.warn("{} entries the database could not take went to the journal {}", t.size(), journal.file());
            return true;
        } catch (IOException e) {
            LOG.error("cannot write the journal {}: {}; {} entries stay in memory", journal.file(), e.getMessage(), t.size());
            return false;
        }
    }
}
