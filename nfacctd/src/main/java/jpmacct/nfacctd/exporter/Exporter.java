package jpmacct.nfacctd.exporter;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jpmacct.collector.ExporterCounters;
import jpmacct.core.record.Addr;
import jpmacct.nfacctd.template.HeldSet;
import jpmacct.nfacctd.template.TemplateCache;

/**
 * One exporting device, known by the datagrams' source address (pmacct's peer_src_ip): its domains, its health
 * counters, and the bound on the data sets its domains hold for a late template. Callers hold the exporter's
 * monitor while decoding one of its datagrams (and for everything below that changes state); with SO_REUSEPORT
 * an exporter's datagrams stay on one thread, so the lock is uncontended.
 */
public final class Exporter {
    private final InetAddress address;
    private final String name;
    private final String label;
    private final int family;
    private final long hi;
    private final long lo;
    private final ExporterCounters counters;
    private final Map<Long, Domain> domainsById = new HashMap<>();
    private final List<Domain> domains = new ArrayList<>();
    /** Bytes of held data sets over all domains. */
    private long heldBytes;
    /** Options data scoped to the whole exporter (a v9 System scope), and the entries of all its option tables. */
    private final OptionTables options = new OptionTables(this);
    private int optionEntries;
    private Domain last;

    public Exporter(InetAddress address, ExporterCounters counters) {
        this.address = address;
        this.name = Addr.toString(address);
        this.label = "exporter " + name;
        this.counters = counters;
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) {
            family = Addr.V4;
            hi = 0;
            lo = ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8) | (a[3] & 0xFFL);
        } else {
            family = Addr.V6;
            hi = Addr.word(a, 0);
            lo = Addr.word(a, 8);
        }
    }

    public InetAddress address() {
        return address;
    }

    /** The address as text. */
    public String name() {
        return name;
    }

    /** "exporter ADDRESS", as log lines name it. */
    public String label() {
        return label;
    }

    /** The address as records carry it (peer_src_ip): {@link Addr} family and two words. */
    public int family() {
        return family;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    public ExporterCounters counters() {
        return counters;
    }

    /** Entries the option tables of an exporter hold together, over its domains; new ids beyond are refused. */
    public static final int MAX_OPTION_ENTRIES = 65536;

    /** Options data scoped to the whole exporter; domains' own tables are looked up first. */
    public OptionTables options() {
        return options;
    }

    /** Takes room for one more option table entry; false (and counted) when the exporter's tables are full. */
    boolean learn() {
        if (optionEntries >= MAX_OPTION_ENTRIES) {
            counters.optionEntriesRefused.inc();
            return false;
        }
        optionEntries++;
        return true;
    }

    /** The domain of this version and id, created on first use (the last one is cached: no boxing per datagram). */
    public Domain domain(int version, long id) {
        Domain d = last;
        if (d != null && d.version() == version && d.id() == id) {
            return d;
        }
        d = domainsById.get(((long) version << 32) | (id & 0xFFFFFFFFL));
        if (d == null) {
            d = new Domain(this, version, id);
            domainsById.put(((long) version << 32) | (id & 0xFFFFFFFFL), d);
            domains.add(d);
        }
        last = d;
        return d;
    }

    /** A copy of the domains. */
    public List<Domain> domains() {
        return new ArrayList<>(domains);
    }

    /** Bytes held over all domains, bookkeeping included. */
    public long heldBytes() {
        return heldBytes;
    }

    /**
     * Keeps a copy of {@code b[from, to)}, a data set of {@code d} that came before its template, with what its
     * message header said; then drops the oldest held sets (of any domain) while over {@code boundBytes}. A set
     * that cannot fit the bound at all (or a bound of 0) is dropped at once.
     */
    public void hold(Domain d, int templateId, byte[] b, int from, int to, long unixSecs, long sysUptimeMillis,
                     long sequence, long arrivalMicros, long boundBytes, HeldSetDrops drops) {
        int bytes = to - from;
        if (boundBytes <= 0 || bytes + 64 > boundBytes) {
            noTemplate(templateId, bytes, drops);
            return;
        }
        byte[] copy = new byte[bytes];
        System.arraycopy(b, from, copy, 0, bytes);
        HeldSet s = new HeldSet(templateId, copy, unixSecs, sysUptimeMillis, sequence, arrivalMicros,
                System.nanoTime());
        d.templates().hold(s);
        heldBytes += s.cost();
        counters.setsHeld.inc();
        while (heldBytes > boundBytes) {
            drop(pollOldestHeld(), drops);
        }
    }

    /** Drops the sets {@code d} has held longer than {@code waitMillis}. */
    public void expireHeld(Domain d, long waitMillis, HeldSetDrops drops) {
        TemplateCache t = d.templates();
        if (!t.hasHeld()) {
            return;
        }
        long now = System.nanoTime();
        long limit = waitMillis * 1_000_000L;
        while (t.hasHeld() && now - t.oldestHeld().heldAtNanos() > limit) {
            drop(t.pollOldestHeld(), drops);
        }
    }

    /** Moves the sets {@code d} holds for this template to {@code into} (oldest first): they leave the bound. */
    public void takeHeld(Domain d, int templateId, ArrayDeque<HeldSet> into) {
        if (d.templates().hasHeld()) {
            heldBytes -= d.templates().takeHeld(templateId, into);
        }
    }

    /** At shutdown: everything held is lost; counts it and returns how many sets. */
    public long dropAllHeld(HeldSetDrops drops) {
        long n = 0;
        for (Domain d : domains) {
            HeldSet s;
            while ((s = d.templates().pollOldestHeld()) != null) {
                drop(s, drops);
                n++;
            }
        }
        return n;
    }

    private HeldSet pollOldestHeld() {
        Domain from = null;
        long oldest = 0;
        for (int i = 0; i < domains.size(); i++) {
            HeldSet s = domains.get(i).templates().oldestHeld();
            if (s != null && (from == null || s.heldAtNanos() < oldest)) {
                oldest = s.heldAtNanos();
                from = domains.get(i);
            }
        }
        return from.templates().pollOldestHeld();
    }

    private void drop(HeldSet s, HeldSetDrops drops) {
        heldBytes -= s.cost();
        noTemplate(s.templateId(), s.body().length, drops);
    }

    private void noTemplate(int templateId, int bytes, HeldSetDrops drops) {
        counters.setsNoTemplate.inc();
        counters.bytesNoTemplate.add(bytes);
        drops.dropped(this, templateId);
    }
}
