package jpmacct.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** POSIX signal handlers through the JDK's (unsupported but long-standing) sun.misc.Signal. */
@SuppressWarnings("restriction")
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    public static void handle(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }
}
