package jpmacct.core.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.spi.FilterReply;

import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.PluginConfig;

/**
 * Daemon logging in pmacct's shape: {@code INFO ( csv/print ): message} on stderr, the same lines prefixed with the
 * local time in {@code logfile} as pmacct 1.8 writes it (RFC 9557: the offset always as {@code +hh:mm}, UTC too,
 * where 1.7.7 wrote {@code Z}), or syslog(3) with {@code syslog}. The {@code ( name/type )} tag comes from the
 * thread's MDC, so operators' greps keep working. What to log where comes from the resolved configuration
 * ({@link Settings}); the only state is logback's own context, as SLF4J has it.
 */
public final class Logging {
    private static final String TAG = "%X{pm:-%s}";
    private static final String LOGFILE_APPENDER = "logfile";

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

    /**
     * What a daemon's configuration says of logging.
     *
     * @param coreTag   tag for threads without their own, e.g. {@code default/core}
     * @param debugTags tags ({@code name/type}) of the plugins with a scoped {@code debug[name]: true}; their
     *                  threads log at DEBUG while the rest stays at INFO
     * @param logfile   path or null
     * @param syslog    facility or null
     */
    public record Settings(String coreTag, boolean debug, Set<String> debugTags, String logfile, String syslog) {
        /** stderr at INFO. */
        public static Settings plain(String coreTag) {
            return new Settings(coreTag, false, Set.of(), null, null);
        }

        /** debug, debug[name], logfile and syslog of a resolved configuration. */
        public static Settings of(DaemonConfig config) {
            Set<String> tags = new HashSet<>();
            for (PluginConfig p : config.plugins()) {
                if (p.get(CoreKeys.DEBUG)) {
                    tags.add(p.id());
                }
            }
            return new Settings(config.coreName() + "/core", config.get(CoreKeys.DEBUG), Set.copyOf(tags),
                    config.get(CoreKeys.LOGFILE), config.get(CoreKeys.SYSLOG));
        }
    }

    /** stderr at INFO, before the configuration is known. */
    public static void early(String coreTag) {
        configure(Settings.plain(coreTag), Console.AUTO);
    }

    public static synchronized void configure(Settings settings, Console console) {
        String logfile = settings.logfile();
        String syslog = settings.syslog();
        boolean debug = settings.debug();
        Set<String> debugTags = settings.debugTags();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(debug || !debugTags.isEmpty() ? Level.DEBUG : Level.INFO);
        if (!debug && !debugTags.isEmpty()) {
            ctx.addTurboFilter(new TurboFilter() {
                @Override
                public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger,
                        Level level, String format, Object[] params, Throwable t) {
                    if (level != null && level.toInt() < Level.INFO_INT && !debugTags.contains(MDC.get("pm"))) {
                        return FilterReply.DENY;
                    }
                    return FilterReply.NEUTRAL;
                }
            });
        }
        // chatty libraries stay at INFO even with debug
        ctx.getLogger("io.netty").setLevel(Level.INFO);
        // the SQL plugins report what fails in their pool themselves, once per interval and without stack traces
        ctx.getLogger("com.zaxxer.hikari").setLevel(Level.OFF);
        ctx.getLogger("org.pcap4j").setLevel(Level.WARN);
        // the Kafka client repeats each connection failure every second; the kafka plugin reports them itself
        ctx.getLogger("org.apache.kafka").setLevel(debug || !debugTags.isEmpty() ? Level.WARN : Level.ERROR);
        String tag = TAG.replace("%s", settings.coreTag());
        if (logfile != null) {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setContext(ctx);
            f.setName(LOGFILE_APPENDER);
            f.setFile(logfile);
            f.setAppend(true);
            f.setEncoder(encoder(ctx, "%d{yyyy-MM-dd'T'HH:mm:ssxxx} %level \\( " + tag + " \\): %msg%n"));
            f.start();
            root.addAppender(f);
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
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> f = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(LOGFILE_APPENDER);
        if (f != null) {
            f.stop();
            f.start();
        }
    }

    /** For tests: the current appenders of the root logger. */
    static List<Appender<ILoggingEvent>> appenders() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        List<Appender<ILoggingEvent>> out = new ArrayList<>();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(out::add);
        return out;
    }
}
