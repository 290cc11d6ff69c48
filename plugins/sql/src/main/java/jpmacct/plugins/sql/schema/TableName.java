package jpmacct.plugins.sql.schema;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jpmacct.core.aggregate.AggregationTable;
import jpmacct.core.aggregate.KeyField;
import jpmacct.core.output.DynamicName;
import jpmacct.core.output.TableRow;

/**
 * {@code sql_table}: one name, or pmacct's dynamic name (strftime escapes, {@code $tag}, {@code $tag2},
 * {@code $peer_src_ip}, {@code $post_tag}, {@code $ref}, {@code $hst}) resolved per entry with the start of its
 * history bin (the write time without sql_history). Every resolved name is checked before it reaches a statement,
 * so neither a value nor an escape can change the SQL.
 */
public final class TableName {
    public static final int MAX_LENGTH = 64;
    /** The key fields a dynamic name can depend on; entries equal on all of them share a table. */
    private static final KeyField[] NAME_FIELDS = {KeyField.BIN, KeyField.TAG, KeyField.TAG2, KeyField.PEER_SRC_FAMILY,
            KeyField.PEER_SRC_HI, KeyField.PEER_SRC_LO};

    private final DynamicName name;
    private final ZoneId zone;
    private final boolean history;

    public TableName(DynamicName name, ZoneId zone, boolean history) {
        this.name = name;
        this.zone = zone;
        this.history = history;
    }

    public String template() {
        return name.template();
    }

    public boolean isDynamic() {
        return name.isDynamic();
    }

    /** The name for the entry under {@code row} (null: no entry, e.g. a check at start-up). */
    public String resolve(TableRow row, long nowSeconds) {
        long stamp = history && row != null ? row.binStart() : nowSeconds;
        return name.resolve(row, stamp, zone);
    }

    /** A letter or '_', then letters, digits, '_' or '$': usable unquoted in every database. */
    public static boolean plainIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) && s.charAt(0) < 128 || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code resolved} cannot be a table name, or null when it can: at most {@value #MAX_LENGTH} characters per
     * part, parts (schema.table) of ASCII letters, digits, '_', '$' and '-' only.
     */
    public static String invalid(String resolved) {
        String[] parts = resolved.split("\\.", -1);
        if (parts.length > 2) {
            return "more than one '.'";
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                return "an empty name";
            }
            if (p.length() > MAX_LENGTH) {
                return "longer than " + MAX_LENGTH + " characters";
            }
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-'))) {
                    return "the character '" + c + "' (only letters, digits, '_', '$', '-' and one '.' are taken)";
                }
            }
        }
        return null;
    }

    /** The entries of one purge that go to one table, as slots of the purged cache. */
    public static final class Group {
        private final String table;
        private int[] slots = new int[64];
        private int size;

        Group(String table) {
            this.table = table;
        }

        public String table() {
            return table;
        }

        /** The slots, in {@code slots()[0..size())}. */
        public int[] slots() {
            return slots;
        }

        public int size() {
            return size;
        }

        void add(int slot) {
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size * 2);
            }
            slots[size++] = slot;
        }
    }

    /**
     * Splits a purged cache by table. A name is resolved once per distinct combination of the fields it can use
     * (not per entry), so a purge allocates per table, not per row.
     */
    public List<Group> group(AggregationTable t, TableRow row, long nowSeconds) {
        if (!name.isDynamic()) {
            Group all = new Group(name.template());
            all.slots = new int[Math.max(1, t.size())];
            while (row.next()) {
                all.add(row.slot());
            }
            return List.of(all);
        }
        Map<String, Group> byName = new HashMap<>();
        Map<NameKey, Group> byKey = new HashMap<>();
        List<Group> out = new ArrayList<>();
        NameKey probe = new NameKey();
        NameKey lastKey = new NameKey();
        Group last = null;
        while (row.next()) {
            probe.fill(row);
            if (last != null && probe.equals(lastKey)) {
                last.add(row.slot());
                continue;
            }
            Group g = byKey.get(probe);
            if (g == null) {
                String table = resolve(row, nowSeconds);
                g = byName.get(table);
                if (g == null) {
                    g = new Group(table);
                    byName.put(table, g);
                    out.add(g);
                }
                byKey.put(probe.copy(), g);
            }
            g.add(row.slot());
            last = g;
            System.arraycopy(probe.v, 0, lastKey.v, 0, probe.v.length);
        }
        return out;
    }

    /** The fields a name can depend on, as a hash key; one is reused as the probe of lookups. */
    private static final class NameKey {
        final long[] v = new long[NAME_FIELDS.length];

        void fill(TableRow row) {
            for (int i = 0; i < v.length; i++) {
                v[i] = row.field(NAME_FIELDS[i]);
            }
        }

        NameKey copy() {
            NameKey k = new NameKey();
            System.arraycopy(v, 0, k.v, 0, v.length);
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NameKey k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }
}
