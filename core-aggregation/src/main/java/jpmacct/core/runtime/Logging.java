package jpmacct.core.runtime;

import java.nio.charset.StandardCharsets;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;

/**
 * Daemon logging in pmacct's shape: {@code INFO ( csv/print ): message} on stderr, the same lines prefixed with an
 * RFC 3339 time in {@code logfile}, or syslog(3) with {@code syslog}. The {@code ( name/type )} tag comes from the
 * thread's MDC, so operators' greps keep working.
 */
public final class Logging {
    private static final String TAG = "%X{pm:-%s}";
    private static FileAppender<ILoggingEvent> fileAppender;

    private Logging() {
    }

    /** Whether log lines also go to stderr. */
    public enum Console {
        /** Only when neither logfile nor syslog is set (pmacct's rule). */
        AUTO,
        /** Also to stderr (a detached daemon starting up: its parent relays start-up problems). */
        ALSO,
        /** Never (a detached daemon once running). */
        NONE,
        /** Only warnings and errors, to stderr (the foreground process of a daemon that detaches). */
        WARNINGS
    }

    /** Tags ({@code name/type}) of the plugins whose own {@code debug[name]} is true while the daemon's is not. */
    public static java.util.Set<String> debugTags(jpmacct.core.config.DaemonConfig config) {
        java.util.Set<String> tags = new java.util.HashSet<>();
        for (jpmacct.core.config.PluginConfig p : config.plugins()) {
            if (p.get(jpmacct.core.config.CoreKeys.DEBUG)) {
                tags.add(p.id());
            }
        }
        return tags;
    }

    /** stderr at INFO, before the configuration is known. */
    public static void early(String coreTag) {
        configure(coreTag, false, null, null, Console.AUTO);
    }

    /**
     * @param coreTag  tag for threads without their own, e.g. {@code default/core}
     * @param logfile  path or null
     * @param syslog   facility or null
     */
    public static synchronized void configure(String coreTag, boolean debug, String logfile, String syslog, Console console) {
        configure(coreTag, debug, java.util.Set.of(), logfile, syslog, console);
    }

    /**
     * @param debugTags tags ({@code name/type}) of the plugins with a scoped {@code debug[name]: true}; their
     *                  threads log at DEBUG while the rest stays at INFO
     */
    public static synchronized void configure(String coreTag, boolean debug, java.util.Set<String> debugTags,
                                              String logfile, String syslog, Console console) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(debug || !debugTags.isEmpty() ? Level.DEBUG : Level.INFO);
        if (!debug && !debugTags.isEmpty()) {
            ctx.addTurboFilter(new ch.qos.logback.classic.turbo.TurboFilter() {
                @Override
                public ch.qos.logback.core.spi.FilterReply decide(org.slf4j.Marker marker, ch.qos.logback.classic.Logger logger,
                        Level level, String format, Object[] params, Throwable t) {
                    if (level != null && level.toInt() < Level.INFO_INT && !debugTags.contains(org.slf4j.MDC.get("pm"))) {
                        return ch.qos.logback.core.spi.FilterReply.DENY;
                    }
                    return ch.qos.logback.core.spi.FilterReply.NEUTRAL;
                }
            });
        }
        // chatty libraries stay at INFO even with debug
        ctx.getLogger("io.netty").setLevel(Level.INFO);
        ctx.getLogger("com.zaxxer.hikari").setLevel(Level.INFO);
        ctx.getLogger("org.pcap4j").setLevel(Level.WARN);
        String tag = TAG.replace("%s", coreTag);
        fileAppender = null;
        if (logfile != null) {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setContext(ctx);
            f.setName("logfile");
            f.setFile(logfile);
            f.setAppend(true);
            f.setEncoder(encoder(ctx, "%d{yyyy-MM-dd'T'HH:mm:ssXXX} %level \\( " + tag + " \\): %msg%n"));
            f.start();
            root.addAppender(f);
            fileAppender = f;
        }
        if (syslog != null) {
            SyslogAppender s = new SyslogAppender(syslog, "jpmacct");
            s.setContext(ctx);
            s.setName("syslog");
            s.setEncoder(encoder(ctx, "%level \\( " + tag + " \\): %msg"));
            s.start();
            root.addAppender(s);
        }
        if (console == Console.ALSO || console == Console.WARNINGS
                || (console == Console.AUTO && logfile == null && syslog == null)) {
            ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
            c.setContext(ctx);
            if (console == Console.WARNINGS) {
                ThresholdFilter warn = new ThresholdFilter();
                warn.setLevel("WARN");
                warn.start();
                c.addFilter(warn);
            }
            c.setName("stderr");
            c.setTarget("System.err");
            c.setEncoder(encoder(ctx, "%level \\( " + tag + " \\): %msg%n"));
            c.start();
            root.addAppender(c);
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(pattern);
        e.setCharset(StandardCharsets.UTF_8);
        e.start();
        return e;
    }

    /** SIGHUP: reopen the log file (after logrotate moved it). */
    public static synchronized void reopen() {
        FileAppender<ILoggingEvent> f = fileAppender;
        if (f != null) {
            f.stop();
            f.start();
        }
    }

    /** For tests: the current appenders of the root logger. */
    static java.util.List<Appender<ILoggingEvent>> appenders() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        java.util.List<Appender<ILoggingEvent>> out = new java.util.ArrayList<>();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(out::add);
        return out;
    }
}
