package jpmacct.core.capture;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.runtime.Input;

/**
 * pcap_savefile read as pmacct reads it, for every daemon: pcap_savefile_delay seconds of sleep before each
 * round, pcap_savefile_replay rounds (0: until stopped), the file reopened for each round after the first.
 */
public final class SavefileReplay {
    private static final Logger LOG = LoggerFactory.getLogger(SavefileReplay.class);

    /** One round over an open reader. */
    @FunctionalInterface
    public interface Round {
        /** Reads until the end of the file or a stop; publishes what it holds before returning. */
        void read(SavefileReader reader) throws IOException, InterruptedException;
    }

    private final String path;
    private final long replays;
    private final long delaySeconds;
    private SavefileReader next;

    /** @param first the reader opened at start-up (its errors reached the terminal); used for the first round */
    public SavefileReplay(String path, SavefileReader first, long replays, long delaySeconds) {
        this.path = path;
        this.next = first;
        this.replays = replays;
        this.delaySeconds = delaySeconds;
    }

    /** Opens the savefile (for the first round); a bad file fails with its name and what is wrong. */
    public static SavefileReader open(String path) throws IOException {
        try {
            return new SavefileReader(Path.of(path));
        } catch (SavefileException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /** Runs every round; returns the exit status (1 when the file could not be read to its end). */
    public int run(Input.CoreThread core, Round round) throws InterruptedException {
        try {
            for (long n = 1; replays == 0 || n <= replays; n++) {
                if (delaySeconds > 0) {
                    LOG.info("PCAP capture file, sleeping for {} seconds", delaySeconds);
                    core.pause(delaySeconds * 1000);
                }
                if (core.stopRequested()) {
                    return 0;
                }
                SavefileReader reader = next != null ? next : new SavefileReader(Path.of(path));
                next = null;
                try {
                    round.read(reader);
                } finally {
                    closeQuietly(reader);
                }
                if (core.stopRequested()) {
                    return 0;
                }
            }
            return 0;
        } catch (SavefileException e) {
            LOG.error("{}; accounting what was read before it", e.getMessage());
            return 1;
        } catch (IOException e) {
            LOG.error("{}: {}", path, e.getMessage());
            return 1;
        }
    }

    /** Closes the reader of a round never run (a daemon stopped or detached before reading). */
    public void close() {
        closeQuietly(next);
        next = null;
    }

    private static void closeQuietly(SavefileReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                // read-only file: nothing is lost
            }
        }
    }
}
