package jpmacct.core.runtime;

/**
 * Where a daemon's records come from: a savefile, live interfaces, UDP sockets, later a netlink socket or a Kafka
 * topic. The assembly opens it before detaching (so its errors reach the terminal), starts it once the plugins
 * run, then lets it run on the core thread until it ends or the daemon is asked to stop.
 */
public interface Input extends AutoCloseable {
    /** Threads that will write records (each gets its own writer from {@link Writers}). */
    int producers();

    /**
     * Starts what must wait for running plugins (sockets, captures), taking a writer per producing thread. Runs on
     * the core thread with signals handled, so an input that waits (for an interface) can watch for a stop.
     *
     * @return false when it cannot start; the reason is logged
     */
    boolean start(Writers writers, CoreThread core) throws Exception;

    /**
     * Runs on the core thread until the input ends or a stop is requested; calls {@link CoreThread#chores()} often
     * (or waits through {@link CoreThread#awaitStop()}). Returns the exit status.
     */
    int run(CoreThread core) throws Exception;

    /** Whether the input ends by itself (a savefile): pcap_savefile_wait then keeps the daemon up. */
    default boolean finite() {
        return false;
    }

    /**
     * Whether a full plugin queue makes the producers wait instead of dropping the batch: what a savefile or a
     * Kafka topic holds is still there to be read later, so nothing read is lost (a socket or an interface drops).
     */
    default boolean waitsForPlugins() {
        return false;
    }

    /**
     * Logs what the input saw: every minute ({@code last} false; quiet intervals may say nothing) and once at the
     * end, after the input closed and the daemon's own shutdown steps ran ({@code last} true).
     */
    default void report(boolean last) {
    }

    /** Stops reading and publishes what the producing threads hold; safe to call twice. */
    @Override
    void close();

    /** Hands out one batch writer per producing thread, each with its own record stage. */
    @FunctionalInterface
    interface Writers {
        BatchWriter newWriter();
    }

    /** What an input sees of the core thread while it runs. */
    interface CoreThread {
        boolean stopRequested();

        /** Runs the periodic chores that are due (stats lines, templates file); cheap when none is. */
        void chores();

        /** Sleeps until SIGINT/SIGTERM, running the chores meanwhile. */
        void awaitStop() throws InterruptedException;

        /** Sleeps for the given time, or less when a stop is requested; runs the chores meanwhile. */
        void pause(long millis) throws InterruptedException;
    }
}
