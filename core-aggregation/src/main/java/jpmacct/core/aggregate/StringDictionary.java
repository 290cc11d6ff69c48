package jpmacct.core.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns variable-length values (labels, classes) to small ids so keys stay fixed-width. Id 0 is "absent". */
public final class StringDictionary {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> values = new ArrayList<>();
    private final String absent;

    public StringDictionary(String absent) {
        this.absent = absent;
        values.add(absent);
    }

    public int id(String value) {
        if (value == null) {
            return 0;
        }
        Integer id = ids.get(value);
        if (id != null) {
            return id;
        }
        int next = values.size();
        values.add(value);
        ids.put(value, next);
        return next;
    }

    /** The id of a value already known, without adding it; -1 when unknown. */
    public int find(String value) {
        if (value == null || value.equals(absent)) {
            return 0;
        }
        Integer id = ids.get(value);
        return id == null ? -1 : id;
    }

    /** Every value, indexed by id (a copy, for readers on other threads). */
    public String[] values() {
        return values.toArray(new String[0]);
    }

    public String value(int id) {
        return id >= 0 && id < values.size() ? values.get(id) : absent;
    }
}
