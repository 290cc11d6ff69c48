package jpmacct.core.plugin;

import jpmacct.core.record.RecordBatch;

/**
 * A plugin instance. Every method runs on the plugin's own thread ({@code Print Plugin [csv]}), so a plugin owns
 * its state without locks. Lifecycle: {@link #start()}, then {@link #onBatch} and {@link #onTick} interleaved,
 * then {@link #close()} once the queue is drained.
 */
public interface Plugin extends AutoCloseable {

    /** Opens what the plugin needs (files, sockets); a failure stops the daemon at start-up. */
    default void start() throws Exception {
    }

    /**
     * Consumes a batch. Records whose {@code pluginMask} lacks this plugin's bit are not for it
     * ({@link PluginContext#accepts}). The batch is only valid during the call.
     */
    void onBatch(RecordBatch batch);

    /**
     * How many bytes of each captured packet the plugin needs in {@link jpmacct.core.record.FlowRecord#header}
     * (sfprobe exports them); 0, the default, spares the core the copy.
     */
    default int packetHeaderBytes() {
        return 0;
    }

    /**
     * Whether record batches are for this plugin; false for plugins that only take raw datagrams
     * ({@link DatagramConsumer}), so the dispatcher spares them the queue.
     */
    default boolean wantsRecords() {
        return true;
    }

    /** Milliseconds until {@link #onTick} should next run. */
    default long tickIntervalMillis() {
        return 1000;
    }

    /** Periodic work: purges, history rotation, housekeeping. */
    default void onTick(long nowMillis) {
    }

    /** Maps were reloaded (SIGUSR2); most plugins read maps through suppliers and need nothing here. */
    default void onMapsReloaded() {
    }

    /** Flushes everything (final purge) and releases resources; the daemon waits for it before exiting. */
    @Override
    void close();
}
