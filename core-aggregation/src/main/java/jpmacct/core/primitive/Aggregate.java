package jpmacct.core.primitive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jpmacct.core.config.KeyRegistry;
import jpmacct.core.config.ValueType;

/** The parsed {@code aggregate} list of one plugin. */
public final class Aggregate {
    /** pmacct's room for one plugin's fixed-length custom primitives (a raw one takes 3 bytes per byte). */
    public static final int MAX_CUSTOM_BYTES = 65535;

    private final Set<Primitive> primitives;
    private final List<CustomPrimitive> custom;

    public Aggregate(Set<Primitive> primitives) {
        this(primitives, List.of());
    }

    /** @param custom custom primitives (aggregate_primitives) in the order the aggregate names them */
    public Aggregate(Set<Primitive> primitives, List<CustomPrimitive> custom) {
        this.primitives = primitives.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Primitive.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(primitives));
        this.custom = List.copyOf(custom);
    }

    /** Custom primitives, printed after the built-in ones in this order. */
    public List<CustomPrimitive> custom() {
        return custom;
    }

    public Set<Primitive> primitives() {
        return primitives;
    }

    public boolean has(Primitive p) {
        return primitives.contains(p);
    }

    /** The output columns, in pmacct's print order. */
    public List<Column> columns() {
        EnumSet<Column> cols = EnumSet.noneOf(Column.class);
        for (Primitive p : primitives) {
            if (p.column() != null) {
                cols.add(p.column());
            }
        }
        return new ArrayList<>(cols);
    }

    /** The sum primitive, if any ({@code sum_host} etc.). */
    public Primitive sum() {
        for (Primitive p : primitives) {
            if (p.isSum()) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Primitive p : primitives) {
            names.add(p.configName());
        }
        for (CustomPrimitive c : custom) {
            names.add(c.name());
        }
        return String.join(", ", names);
    }

    /** Value type of {@code aggregate} (and {@code -c}). */
    public static final ValueType<Aggregate> TYPE = new ValueType<>() {
        @Override
        public Aggregate parse(String text) {
            return parse(text, CustomPrimitives.NONE);
        }

        @Override
        public Aggregate parse(String text, CustomPrimitives defined) {
            EnumSet<Primitive> set = EnumSet.noneOf(Primitive.class);
            List<CustomPrimitive> custom = new ArrayList<>();
            for (String part : text.split(",")) {
                String name = part.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                Primitive p = Primitive.byName(name);
                CustomPrimitive c = p == null ? defined.byName(name) : null;
                if (c != null) {
                    if (!custom.contains(c)) {
                        custom.add(c);
                    }
                    continue;
                }
                if (p == null) {
                    if (PmacctPrimitives.NAMES.contains(name)) {
                        throw new IllegalArgumentException("primitive '" + name + "' is not supported yet");
                    }
                    String hint = closest(name);
                    throw new IllegalArgumentException("unknown primitive '" + name + "'"
                            + (hint != null ? ", did you mean '" + hint + "'?" : ""));
                }
                set.add(p);
            }
            if (set.isEmpty() && custom.isEmpty()) {
                throw new IllegalArgumentException("empty list");
            }
            int reserved = 0;
            for (CustomPrimitive c : custom) {
                if (!c.variable() && reserved + c.length() >= MAX_CUSTOM_BYTES) {
                    throw new IllegalArgumentException("custom primitive '" + c.name() + "' does not fit pmacct's "
                            + MAX_CUSTOM_BYTES + " bytes for the custom primitives of a plugin");
                }
                reserved += c.reserved();
            }
            return new Aggregate(set, custom);
        }

        @Override
        public String expected() {
            return "a comma-separated list of primitives (see -a), e.g. src_host, dst_host, proto";
        }
    };

    private static String closest(String name) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (Primitive p : Primitive.values()) {
            int d = KeyRegistry.distance(name, p.configName());
            if (d < bestD) {
                bestD = d;
                best = p.configName();
            }
        }
        return bestD <= Math.max(2, name.length() / 4) ? best : null;
    }
}
