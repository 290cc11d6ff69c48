package jpmacct.core.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** Logs through the C library's syslog(3), i.e. to /dev/log as pmacct does (logback's own appender speaks UDP). */
final class SyslogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private static final Map<String, Integer> FACILITIES = Map.ofEntries(
            Map.entry("kern", 0), Map.entry("user", 1 << 3), Map.entry("mail", 2 << 3), Map.entry("daemon", 3 << 3),
            Map.entry("auth", 4 << 3), Map.entry("local0", 16 << 3), Map.entry("local1", 17 << 3),
            Map.entry("local2", 18 << 3), Map.entry("local3", 19 << 3), Map.entry("local4", 20 << 3),
            Map.entry("local5", 21 << 3), Map.entry("local6", 22 << 3), Map.entry("local7", 23 << 3));
    private static final int LOG_PID = 0x01;

    interface CLib extends Library {
        void openlog(Pointer ident, int option, int facility);

        void syslog(int priority, String format, Object... args);
    }

    private final int facility;
    private final String ident;
    private CLib libc;
    /** openlog keeps the pointer, so the ident must outlive the call. */
    private Memory identMemory;
    private Encoder<ILoggingEvent> encoder;

    SyslogAppender(String facility, String ident) {
        this.facility = FACILITIES.getOrDefault(facility, 3 << 3);
        this.ident = ident;
    }

    void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        libc = Native.load("c", CLib.class);
        byte[] b = ident.getBytes(StandardCharsets.US_ASCII);
        identMemory = new Memory(b.length + 1L);
        identMemory.write(0, b, 0, b.length);
        identMemory.setByte(b.length, (byte) 0);
        libc.openlog(identMemory, LOG_PID, facility);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        int level = event.getLevel().toInt();
        int priority = level >= Level.ERROR_INT ? 3 : level >= Level.WARN_INT ? 4 : level >= Level.INFO_INT ? 6 : 7;
        String text = new String(encoder.encode(event), StandardCharsets.UTF_8);
        libc.syslog(facility | priority, "%s", text);
    }
}
