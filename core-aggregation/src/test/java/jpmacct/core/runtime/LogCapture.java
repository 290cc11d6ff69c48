package jpmacct.core.runtime;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** Collects what one logger logs, as {@code LEVEL ( tag ): message} lines like the daemon prints them. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new ArrayList<>();

    public LogCapture(Class<?> type) {
        this.logger = (Logger) LoggerFactory.getLogger(type);
        logger.setLevel(Level.DEBUG);
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        String tag = e.getMDCPropertyMap().getOrDefault("pm", "-");
        lines.add(e.getLevel() + " ( " + tag + " ): " + e.getFormattedMessage());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines containing {@code text}. */
    public synchronized List<String> matching(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
