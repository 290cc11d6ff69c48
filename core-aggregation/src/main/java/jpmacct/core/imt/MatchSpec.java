package jpmacct.core.imt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jpmacct.core.aggregate.KeyField;
import jpmacct.core.aggregate.KeyLayout;
import jpmacct.core.aggregate.StringDictionary;
import jpmacct.core.output.Protocols;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.Addr;

/**
 * One {@code -N}/{@code -M} request: a value per {@code -c} primitive, turned into the key fields an entry must
 * carry. A primitive the table does not aggregate reads as zero, as in pmacct ({@code -c tos -N 0} matches all).
 */
public final class MatchSpec {
    private final KeyField[] fields;
    private final long[] values;
    private final String label;
    private final String classLabel;

    private MatchSpec(KeyField[] fields, long[] values, String label, String classLabel) {
        this.fields = fields;
        this.values = values;
        this.label = label;
        this.classLabel = classLabel;
    }

    /** Parses {@code values} (comma-separated, one per primitive); {@link IllegalArgumentException} says why not. */
    public static MatchSpec parse(List<Primitive> primitives, String values) {
        String[] v = values.split(",", -1);
        if (v.length != primitives.size()) {
            throw new IllegalArgumentException("'" + ImtQuery.abbreviate(values) + "' has " + v.length + " value"
                    + (v.length == 1 ? "" : "s") + " for " + primitives.size() + " primitive"
                    + (primitives.size() == 1 ? "" : "s") + " of -c");
        }
        List<KeyField> f = new ArrayList<>();
        List<Long> x = new ArrayList<>();
        String label = null;
        String classLabel = null;
        for (int i = 0; i < v.length; i++) {
            Primitive p = primitives.get(i);
            String s = v[i].strip();
            switch (p) {
                case SRC_HOST, SUM_HOST -> addr(p, s, f, x, KeyField.SRC_FAMILY, KeyField.SRC_HI, KeyField.SRC_LO);
                case DST_HOST -> addr(p, s, f, x, KeyField.DST_FAMILY, KeyField.DST_HI, KeyField.DST_LO);
                case SRC_NET, SUM_NET -> addr(p, s, f, x, KeyField.SRC_NET_FAMILY, KeyField.SRC_NET_HI, KeyField.SRC_NET_LO);
                case DST_NET -> addr(p, s, f, x, KeyField.DST_NET_FAMILY, KeyField.DST_NET_HI, KeyField.DST_NET_LO);
                case PEER_SRC_IP -> addr(p, s, f, x, KeyField.PEER_SRC_FAMILY, KeyField.PEER_SRC_HI, KeyField.PEER_SRC_LO);
                case PEER_DST_IP -> addr(p, s, f, x, KeyField.PEER_DST_FAMILY, KeyField.PEER_DST_HI, KeyField.PEER_DST_LO);
                case SRC_MAC, SUM_MAC -> mac(p, s, f, x, KeyField.SRC_MAC);
                case DST_MAC -> mac(p, s, f, x, KeyField.DST_MAC);
                case VLAN -> number(p, s, 4095, f, x, KeyField.VLAN);
                case COS -> number(p, s, 7, f, x, KeyField.COS);
                case SRC_MASK -> number(p, s, 128, f, x, KeyField.SRC_MASK);
                case DST_MASK -> number(p, s, 128, f, x, KeyField.DST_MASK);
                case TOS -> number(p, s, 255, f, x, KeyField.TOS);
                case SRC_PORT, SUM_PORT -> number(p, s, 65535, f, x, KeyField.SRC_PORT);
                case DST_PORT -> number(p, s, 65535, f, x, KeyField.DST_PORT);
                case SRC_AS, SUM_AS -> number(p, s, 0xFFFFFFFFL, f, x, KeyField.SRC_AS);
                case DST_AS -> number(p, s, 0xFFFFFFFFL, f, x, KeyField.DST_AS);
                case IN_IFACE -> number(p, s, 0xFFFFFFFFL, f, x, KeyField.IN_IFACE);
                case OUT_IFACE -> number(p, s, 0xFFFFFFFFL, f, x, KeyField.OUT_IFACE);
                case SAMPLING_RATE -> number(p, s, 0xFFFFFFFFL, f, x, KeyField.SAMPLING_RATE);
                case EXPORT_PROTO_SEQNO -> number(p, s, 0xFFFFFFFFL, f, x, KeyField.EXPORT_SEQNO);
                case EXPORT_PROTO_VERSION -> number(p, s, 0xFFFF, f, x, KeyField.EXPORT_VERSION);
                case EXPORT_PROTO_SYSID -> number(p, s, 0xFFFFFFFFL, f, x, KeyField.EXPORT_SYSID);
                case TAG, TAG2 -> {
                    try {
                        x.add(Long.parseUnsignedLong(s));
                    } catch (NumberFormatException e) {
                        throw invalid(p, "number", s);
                    }
                    f.add(p == Primitive.TAG ? KeyField.TAG : KeyField.TAG2);
                }
                case PROTO -> {
                    int proto = Protocols.parse(s);
                    if (proto < 0) {
                        throw new IllegalArgumentException("invalid protocol: '" + ImtQuery.abbreviate(s) + "'");
                    }
                    f.add(KeyField.PROTO);
                    x.add((long) proto);
                }
                case ETYPE -> {
                    try {
                        long e = Long.parseLong(s.startsWith("0x") ? s.substring(2) : s, 16);
                        if (e < 0 || e > 0xFFFF) {
                            throw new NumberFormatException();
                        }
                        f.add(KeyField.ETYPE);
                        x.add(e);
                    } catch (NumberFormatException e) {
                        throw invalid(p, "Ethertype (hex)", s);
                    }
                }
                case LABEL -> label = s;
                case CLASS -> classLabel = s;
                default -> throw new IllegalArgumentException("primitive '" + p.configName() + "' cannot be matched");
            }
        }
        long[] vals = new long[x.size()];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = x.get(i);
        }
        return new MatchSpec(f.toArray(new KeyField[0]), vals, label, classLabel);
    }

    private static void addr(Primitive p, String s, List<KeyField> f, List<Long> x, KeyField fam, KeyField hi, KeyField lo) {
        Addr.Parsed a = Addr.parse(s);
        if (a == null) {
            throw invalid(p, "IP address", s);
        }
        f.add(fam);
        x.add((long) a.family());
        f.add(hi);
        x.add(a.hi());
        f.add(lo);
        x.add(a.lo());
    }

    private static void mac(Primitive p, String s, List<KeyField> f, List<Long> x, KeyField field) {
        long mac = Addr.parseMac(s);
        if (mac < 0) {
            throw invalid(p, "MAC address", s);
        }
        f.add(field);
        x.add(mac);
    }

    private static void number(Primitive p, String s, long max, List<KeyField> f, List<Long> x, KeyField field) {
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw invalid(p, "number", s);
        }
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(p.configName() + ": " + n + " out of range 0-" + max);
        }
        f.add(field);
        x.add(n);
    }

    private static IllegalArgumentException invalid(Primitive p, String what, String s) {
        return new IllegalArgumentException(p.configName() + ": Invalid " + what + ": '" + ImtQuery.abbreviate(s) + "'");
    }

    /** This request against one table: label and class resolved to the table's ids. */
    public Bound bind(KeyLayout layout, StringDictionary labels, StringDictionary classes) {
        KeyField[] f = fields;
        long[] v = values;
        boolean never = false;
        if (label != null || classLabel != null) {
            List<KeyField> ff = new ArrayList<>(List.of(fields));
            List<Long> vv = new ArrayList<>();
            for (long l : values) {
                vv.add(l);
            }
            if (label != null) {
                int id = labels.find(label);
                never |= id < 0;
                ff.add(KeyField.LABEL);
                vv.add((long) id);
            }
            if (classLabel != null) {
                int id = classes.find(classLabel);
                never |= id < 0;
                ff.add(KeyField.CLASS);
                vv.add((long) id);
            }
            f = ff.toArray(new KeyField[0]);
            v = vv.stream().mapToLong(Long::longValue).toArray();
        }
        return new Bound(layout, f, v, never);
    }

    /** A request ready to test entries of one table. */
    public static final class Bound {
        private final KeyLayout layout;
        private final KeyField[] fields;
        private final long[] values;
        private final boolean never;

        Bound(KeyLayout layout, KeyField[] fields, long[] values, boolean never) {
            this.layout = layout;
            this.fields = fields;
            this.values = values;
            this.never = never;
        }

        /**
         * The one key this request can match when it gives every field of the layout (a lookup instead of a scan),
         * or null.
         */
        public long[] exactKey() {
            if (never || layout.fieldCount() != fields.length) {
                return null;
            }
            long[] key = new long[layout.words()];
            for (int i = 0; i < layout.fieldCount(); i++) {
                int at = Arrays.asList(fields).indexOf(layout.field(i));
                if (at < 0) {
                    return null;
                }
                layout.put(key, 0, i, values[at]);
            }
            return test(key, 0) ? key : null;
        }

        /** Whether the key stored at {@code words[base..]} matches. */
        public boolean test(long[] words, int base) {
            if (never) {
                return false;
            }
            for (int i = 0; i < fields.length; i++) {
                if (layout.get(words, base, fields[i]) != values[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
