package jpmacct.core.capture;

import java.io.IOException;

/** Where frames come from: a savefile or a live interface. */
public interface PacketSource extends AutoCloseable {
    /** No packet now (live timeout); poll again. */
    int NONE = 0;
    /** End of input. */
    int END = -1;

    /**
     * Delivers up to {@code limit} frames to the handler.
     *
     * @return frames delivered, {@link #NONE}, or {@link #END}
     * @throws IOException when the input is unreadable or corrupt (frames before the problem were delivered)
     */
    int poll(PacketHandler handler, int limit) throws IOException, InterruptedException;

    /** For log lines: the file or interface name. */
    String describe();

    @Override
    void close() throws IOException;
}
