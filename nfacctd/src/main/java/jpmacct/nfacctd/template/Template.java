package jpmacct.nfacctd.template;

import java.util.Arrays;

import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.primitive.CustomPrimitives;

/**
 * A NetFlow v9 or IPFIX (options) template, compiled once when it arrives: per field its information element,
 * enterprise, length (or variable) and the action the decoder takes. Immutable, so a redefinition replaces the
 * whole object and data is never read with half of an old layout.
 */
public final class Template {
    /** IPFIX's marker for a variable-length field (RFC 7011, 7). */
    public static final int VARIABLE = 0xFFFF;
    /** pmacct keeps elements below this id in its legacy per-element table, others by occurrence. */
    private static final int LEGACY_ELEMENTS = 384;

    private final int id;
    private final int version;
    private final int scopeCount;
    private final boolean options;
    private final int[] types;
    private final long[] enterprises;
    private final int[] lengths;
    private final int[] actions;
    /** The daemon's custom primitives, and per primitive (by slot) the field it reads, or -1. */
    private final CustomPrimitives custom;
    private final int[] customFields;
    private final boolean anyCustom;
    /** Options data of this template is the exporter's, not its domain's (pmacct: a field of id 1). */
    private final boolean systemScope;
    private final int fixedLength;
    private final int minLength;
    /** For fixed-length templates: each field's offset in the record. */
    private final int[] offsets;
    private volatile RecordPlan plan;

    /**
     * @param scopeCount scope fields at the start (options templates); for v9 they are scope types, not IEs
     */
    public Template(int version, int id, boolean options, int scopeCount, int[] types, long[] enterprises, int[] lengths,
                    FieldMapping mapping) {
        this.version = version;
        this.id = id;
        this.options = options;
        this.scopeCount = scopeCount;
        this.types = types.clone();
        this.enterprises = enterprises.clone();
        this.lengths = lengths.clone();
        this.actions = new int[types.length];
        int fixed = 0;
        int min = 0;
        boolean variable = false;
        for (int i = 0; i < types.length; i++) {
            boolean v9Scope = version == 9 && i < scopeCount;
            actions[i] = v9Scope ? Fields.SKIP : mapping.action(enterprises[i], types[i], lengths[i]);
            if (lengths[i] == VARIABLE) {
                variable = true;
                min += 1;
            } else {
                fixed += lengths[i];
                min += lengths[i];
            }
        }
        this.custom = mapping.custom();
        this.customFields = new int[custom.all().size()];
        boolean any = false;
        for (CustomPrimitive c : custom.all()) {
            customFields[c.slot()] = fieldOf(c);
            any |= customFields[c.slot()] >= 0;
        }
        this.anyCustom = any;
        boolean system = false;
        for (int i = 0; i < types.length; i++) {
            system |= types[i] == Fields.SCOPE_SYSTEM && enterprises[i] == 0;
        }
        this.systemScope = options && system;
        this.fixedLength = variable ? -1 : fixed;
        this.minLength = min;
        this.offsets = new int[variable ? 0 : types.length];
        for (int i = 0, off = 0; !variable && i < types.length; i++) {
            offsets[i] = off;
            off += lengths[i];
        }
    }

    public int id() { return id; }
    public int version() { return version; }
    public boolean options() { return options; }
    public int scopeCount() { return scopeCount; }
    public int fieldCount() { return types.length; }
    public int type(int i) { return types[i]; }
    public long enterprise(int i) { return enterprises[i]; }
    public int length(int i) { return lengths[i]; }
    public int action(int i) { return actions[i]; }
    /** The daemon's custom primitives. */
    public CustomPrimitives custom() { return custom; }
    /** The field custom primitive {@code slot} reads, or -1 when the template lacks it. */
    public int customField(int slot) { return customFields[slot]; }
    /** Options templates: whether their data is scoped to the whole exporter (a v9 System scope). */
    public boolean systemScope() { return systemScope; }
    /** Whether any field feeds a custom primitive (a fast path skips the check otherwise). */
    public boolean hasCustom() { return anyCustom; }

    /**
     * pmacct's choice of field for a custom primitive: an IANA element of its legacy range (below 384) is read
     * from its last occurrence; any other from the occurrence matching the primitive's rank among those defined
     * on the same element. NetFlow v9 scope fields are not elements.
     */
    private int fieldOf(CustomPrimitive c) {
        boolean legacy = c.enterprise() == 0 && c.type() < LEGACY_ELEMENTS;
        int found = -1;
        int seen = 0;
        for (int i = version == 9 ? scopeCount : 0; i < types.length; i++) {
            if (types[i] != c.type() || enterprises[i] != c.enterprise()) {
                continue;
            }
            if (legacy) {
                found = i;
            } else if (seen++ == c.repeat()) {
                return i;
            }
        }
        return found;
    }

    /** Fixed-length templates: field offsets from the record's start (empty for variable-length ones). */
    public int[] offsets() { return offsets; }

    /** The lengths of the fields (the variable-length marker where a field has none). */
    public int[] lengths() { return lengths; }

    /** Which field feeds which primitive; computed on first use (a race computes the same plan twice). */
    public RecordPlan plan(boolean useIpNextHop) {
        RecordPlan p = plan;
        if (p == null) {
            p = new RecordPlan(this, useIpNextHop);
            plan = p;
        }
        return p;
    }

    /** Record length, or -1 when a field is variable-length. */
    public int fixedLength() { return fixedLength; }

    /** The shortest record (variable-length fields empty); anything shorter left in a set is padding. */
    public int minLength() { return minLength; }

    /** Same layout (a refresh of a known template, not a redefinition). */
    public boolean sameLayout(Template o) {
        return o != null && sameLayout(o.version, o.options, o.scopeCount, o.types, o.enterprises, o.lengths,
                o.types.length);
    }

    /** Same layout as the first {@code count} fields of these arrays (a template just read, before it is built). */
    public boolean sameLayout(int version, boolean options, int scopeCount, int[] types, long[] enterprises,
                              int[] lengths, int count) {
        return this.version == version && this.options == options && this.scopeCount == scopeCount
                && this.types.length == count && Arrays.equals(this.types, 0, count, types, 0, count)
                && Arrays.equals(this.enterprises, 0, count, enterprises, 0, count)
                && Arrays.equals(this.lengths, 0, count, lengths, 0, count);
    }

    /** Recompiles the actions (custom primitives changed), same layout. */
    public Template remap(FieldMapping mapping) {
        return new Template(version, id, options, scopeCount, types, enterprises, lengths, mapping);
    }
}
