package jpmacct.core.primitive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.net.MapLine;

/**
 * The daemon's {@code aggregate_primitives} map: lines {@code name=NAME field_type=[PEN:]ID len=N|vlen
 * semantics=u_int|hex|str|ip|mac|raw}, at most {@link #MAX} of them. Loaded first when the configuration is
 * resolved, so that {@code aggregate} lines can name these primitives; the resolved configuration carries them
 * ({@code DaemonConfig.customPrimitives}).
 */
public final class CustomPrimitives {
    private static final Logger LOG = LoggerFactory.getLogger(CustomPrimitives.class);

    /** pmacct's limit: its table has 64 places and keeps the last one free. */
    public static final int MAX = 63;
    public static final CustomPrimitives NONE = new CustomPrimitives(List.of());
    private static final Set<String> KEYS = Set.of("name", "field_type", "len", "semantics");

    private final List<CustomPrimitive> all;
    private final Map<String, CustomPrimitive> byName = new LinkedHashMap<>();

    private CustomPrimitives(List<CustomPrimitive> all) {
        this.all = List.copyOf(all);
        for (CustomPrimitive p : all) {
            byName.put(p.name(), p);
        }
    }

    public List<CustomPrimitive> all() {
        return all;
    }

    public CustomPrimitive byName(String name) {
        return byName.get(name);
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    public static CustomPrimitives load(Path file) throws ConfigException {
        List<CustomPrimitive> out = new ArrayList<>();
        for (MapLine.Entry entry : MapLine.readEntries(file, "aggregate_primitives")) {
            String where = entry.where();
            Map<String, String> kv = entry.keys();
            if (kv.containsKey("packet_ptr")) {
                throw new ConfigException(where + ": packet_ptr (values from packet bytes in pmacctd and sfacctd) "
                        + "is not supported yet");
            }
            for (String k : kv.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new ConfigException(where + ": unknown key '" + k + "' (expected name, field_type, len, "
                            + "semantics)");
                }
            }
            String name = kv.get("name");
            String fieldType = kv.get("field_type");
            String len = kv.get("len");
            String semantics = kv.get("semantics");
            if (name == null || fieldType == null || len == null || semantics == null) {
                throw new ConfigException(where + ": expected name=NAME field_type=[PEN:]ID len=BYTES|vlen "
                        + "semantics=u_int|hex|str|ip|mac|raw");
            }
            name = name.toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9_-]+")) {
                throw new ConfigException(where + ": name '" + name + "' must be made of letters, digits, _ or -");
            }
            if (Primitive.byName(name) != null) {
                LOG.warn("{}: custom primitive '{}' has the name of a primitive of this build; aggregate: names the "
                        + "built-in one, as in pmacct", where, name);
            }
            for (CustomPrimitive p : out) {
                if (p.name().equals(name)) {
                    throw new ConfigException(where + ": name '" + name + "' is defined twice");
                }
            }
            long enterprise = 0;
            int type;
            try {
                int colon = fieldType.indexOf(':');
                if (colon >= 0) {
                    enterprise = Long.parseLong(fieldType.substring(0, colon));
                }
                type = Integer.parseInt(fieldType.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException(where + ": field_type '" + fieldType + "' is not ID or PEN:ID");
            }
            if (type <= 0 || type > 0x7FFF || enterprise < 0 || enterprise > 0xFFFFFFFFL) {
                throw new ConfigException(where + ": field_type '" + fieldType + "' is out of range");
            }
            CustomPrimitive.Semantics sem;
            try {
                sem = CustomPrimitive.Semantics.parse(semantics);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": semantics '" + semantics + "' is not one of u_int, hex, str, ip, mac, raw");
            }
            int length;
            if (len.equals("vlen")) {
                if (sem != CustomPrimitive.Semantics.STR && sem != CustomPrimitive.Semantics.RAW) {
                    throw new ConfigException(where + ": len=vlen is for str and raw semantics only");
                }
                length = CustomPrimitive.VARIABLE;
            } else {
                try {
                    length = Integer.parseInt(len);
                } catch (NumberFormatException e) {
                    throw new ConfigException(where + ": len '" + len + "' is not a number of bytes or vlen");
                }
                if (length < 1 || length > CustomPrimitive.MAX_LENGTH) {
                    throw new ConfigException(where + ": len " + length + " is out of range 1-"
                            + CustomPrimitive.MAX_LENGTH);
                }
            }
            if ((sem == CustomPrimitive.Semantics.U_INT || sem == CustomPrimitive.Semantics.HEX) && length > 8) {
                throw new ConfigException(where + ": a " + semantics + " value has at most 8 bytes");
            }
            if (out.size() == MAX) {
                throw new ConfigException(where + ": more than " + MAX + " custom primitives");
            }
            int repeat = 0;
            for (CustomPrimitive p : out) {
                if (p.enterprise() == enterprise && p.type() == type) {
                    repeat++;
                }
            }
            out.add(new CustomPrimitive(name, enterprise, type, length, sem, out.size(), repeat));
        }
        return new CustomPrimitives(out);
    }
}
