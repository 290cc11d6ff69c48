package jpmacct.core.runtime;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** POSIX signal handlers through the JDK's (unsupported but long-standing) sun.misc.Signal. */
@SuppressWarnings("restriction")
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);
    /** Linux numbers of the signals a shell may leave ignored for a background job. */
    private static final Map<String, Integer> NUMBERS = Map.of("HUP", 1, "INT", 2, "TERM", 15);

    private Signals() {
    }

    public static void handle(String name, Runnable action) {
        try {
            Signal sig = new Signal(name);
            SignalHandler old = Signal.handle(sig, s -> action.run());
            if (old == SignalHandler.SIG_IGN && NUMBERS.containsKey(name) && restoreDefault(NUMBERS.get(name))) {
                // a daemon started with "&" from a script inherits SIGINT ignored, and the JVM then refuses to
                // handle it: "kill -INT" would do nothing. Back to the default, the handler can be installed.
                Signal.handle(sig, s -> action.run());
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }

    private static boolean restoreDefault(int number) {
        try {
            CLib libc = Native.load("c", CLib.class);
            libc.signal(number, null); // SIG_DFL
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("SIG{} is ignored by the parent and cannot be restored ({})", number, e.getMessage());
            return false;
        }
    }

    interface CLib extends Library {
        Pointer signal(int signum, Pointer handler);
    }
}
