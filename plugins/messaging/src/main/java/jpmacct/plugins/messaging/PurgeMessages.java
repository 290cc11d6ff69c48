package jpmacct.plugins.messaging;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.Aggregator;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.output.TableRow;
import jpmacct.core.plugin.Preprocess;
import jpmacct.core.plugin.PurgeCycle;
import jpmacct.core.runtime.RateLimitedLog;
import jpmacct.core.runtime.TriggerExec;

/**
 * Turns one purged cache into messages, as pmacct's kafka and amqp plugins do: one per aggregate that passes
 * {@code *_preprocess} (or several joined, with {@code *_multi_values}), to the destination its variables name or the
 * next round-robin one, with the purge markers around them; then runs {@code *_trigger_exec}. Runs on the plugin's
 * writer thread.
 */
final class PurgeMessages implements PurgeCycle.Writer {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeMessages.class);
    private static final long PID = ProcessHandle.current().pid();

    /** Where messages go and with which key. */
    record Routing(NameTemplate destination, long roundRobin, NameTemplate key) {
    }

    private final MessageEncoder encoder;
    private final Delivery delivery;
    private final Routing routing;
    private final byte[] staticKey;
    private final boolean markers;
    private final long multiValues;
    private final String multiValuesKey;
    private final Aggregator aggregator;
    /** *_preprocess, or null. */
    private final Preprocess preprocess;
    private final TriggerExec trigger;
    private final RateLimitedLog limited = new RateLimitedLog(LOG, 60_000);
    private final MessageBuffer entry = new MessageBuffer();
    private final MessageBuffer held = new MessageBuffer();
    private final MessageBuffer marker = new MessageBuffer();

    // the purge being written
    private long rrNext;
    private boolean initPending;
    private String lastDestination;
    private byte[] lastKey;
    private int heldEntries;
    private byte[] heldKey;
    private int sent;

    PurgeMessages(MessageEncoder encoder, Delivery delivery, Routing routing, boolean markers, long multiValues,
                  String multiValuesKey, Aggregator aggregator, Preprocess preprocess, TriggerExec trigger) {
        this.encoder = encoder;
        this.delivery = delivery;
        this.routing = routing;
        NameTemplate key = routing.key();
        this.staticKey = key == null || key.hasVariables() ? null : key.text().getBytes(StandardCharsets.UTF_8);
        this.markers = markers;
        this.multiValues = multiValues;
        this.multiValuesKey = multiValuesKey;
        this.aggregator = aggregator;
        this.preprocess = preprocess;
        this.trigger = trigger;
    }

    @Override
    public synchronized void write(AggregationTable table, long purgeTime, long cutoff, boolean last) {
        long start = System.currentTimeMillis();
        LOG.info("*** Purging cache - START (PID: {}) ***", PID);
        TableRow row = new TableRow(table, aggregator.layout(), aggregator.labels(), aggregator.classes());
        boolean history = aggregator.layout().has(KeyField.BIN);
        int total = table.size();
        rrNext = 0;
        initPending = markers;
        lastDestination = null;
        lastKey = null;
        heldEntries = 0;
        held.reset();
        sent = 0;
        while (row.next()) {
            if (history && row.field(KeyField.BIN) >= cutoff
                    || preprocess != null && !preprocess.passes(table, row.slot())) {
                continue; // still open, or left out: not counted as purged, as in pmacct's purge_close
            }
            entry.reset();
            encoder.entry(row, purgeTime, entry);
            byte[] key = key(row);
            if (multiValues == 0) {
                if (send(destination(row), key, entry.toByteArray())) {
                    sent++;
                }
                continue;
            }
            if (heldEntries > 0 && !encoder.joins(heldEntries, held.size(), entry.size(), multiValues)) {
                sendHeld();
            }
            if (heldEntries == 0) {
                heldKey = key;
                if (!encoder.joins(0, 0, entry.size(), multiValues)) {
                    // pmacct's writer exits here ("not large enough to store JSON elements")
                    limited.warn("mv", multiValuesKey + " (" + multiValues + " bytes) is too small for an aggregate of "
                            + entry.size() + " bytes: sent in a message of its own");
                }
            }
            held.write(entry);
            encoder.endOfEntry(held);
            heldEntries++;
        }
        sendHeld();
        long duration = (System.currentTimeMillis() - start) / 1000;
        if (markers) {
            sendMarkers(total, duration);
        }
        LOG.info("*** Purging cache - END (PID: {}, QN: {}/{}, ET: {}) ***", PID, sent, total, duration);
        if (trigger != null && !last) {
            trigger.run();
        }
    }

    /** The joined entries as one message (multi-values). */
    private void sendHeld() {
        if (heldEntries == 0) {
            return;
        }
        if (send(destination(null), heldKey, held.toByteArray())) {
            sent += heldEntries;
        }
        heldEntries = 0;
        held.reset();
    }

    private String destination(TableRow row) {
        NameTemplate d = routing.destination();
        if (routing.roundRobin() > 0) {
            String name = d.text() + "_" + rrNext;
            rrNext = (rrNext + 1) % routing.roundRobin();
            return name;
        }
        return d.resolve(row);
    }

    private byte[] key(TableRow row) {
        NameTemplate k = routing.key();
        if (k == null || !k.hasVariables()) {
            return staticKey;
        }
        return k.resolve(row).getBytes(StandardCharsets.UTF_8);
    }

    /** Hands a message over; the purge_init marker goes first, where the first message goes. */
    private boolean send(String destination, byte[] key, byte[] payload) {
        if (initPending) {
            initPending = false;
            marker.reset();
            encoder.purgeInit(marker);
            offer(destination, key, marker.toByteArray());
        }
        lastDestination = destination;
        lastKey = key;
        return offer(destination, key, payload);
    }

    private boolean offer(String destination, byte[] key, byte[] payload) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {}", destination, encoder.text() ? new String(payload, StandardCharsets.UTF_8)
                    : payload.length + " bytes");
        }
        try {
            return delivery.offer(new Message(destination, key, payload));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * purge_close goes where the last message went. A purge without messages sends both markers to the
     * destination itself (the first round-robin one); with variables in the destination it has none to send to.
     */
    private void sendMarkers(int total, long duration) {
        if (initPending) {
            NameTemplate d = routing.destination();
            if (d.hasVariables()) {
                LOG.debug("no aggregate to name a destination: purge markers not sent");
                return;
            }
            lastDestination = routing.roundRobin() > 0 ? d.text() + "_0" : d.text();
            lastKey = staticKey;
            initPending = false;
            marker.reset();
            encoder.purgeInit(marker);
            offer(lastDestination, lastKey, marker.toByteArray());
        }
        marker.reset();
        encoder.purgeClose(sent, total, duration, marker);
        offer(lastDestination, lastKey, marker.toByteArray());
    }

    void awaitTriggers() {
        if (trigger != null) {
            trigger.awaitAtShutdown();
        }
    }
}
