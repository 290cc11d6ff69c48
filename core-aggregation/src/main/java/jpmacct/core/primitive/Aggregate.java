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
    private final Set<Primitive> primitives;

    public Aggregate(Set<Primitive> primitives) {
        this.primitives = primitives.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Primitive.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(primitives));
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
        return String.join(", ", names);
    }

    /** Value type of {@code aggregate} (and {@code -c}). */
    public static final ValueType<Aggregate> TYPE = new ValueType<>() {
        @Override
        public Aggregate parse(String text) {
            EnumSet<Primitive> set = EnumSet.noneOf(Primitive.class);
            for (String part : text.split(",")) {
                String name = part.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                Primitive p = Primitive.byName(name);
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
            if (set.isEmpty()) {
                throw new IllegalArgumentException("empty list");
            }
            return new Aggregate(set);
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
