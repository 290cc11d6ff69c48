package jpmacct.core.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key this build understands, plus the names of pmacct's keys (1.7.7's and those added or removed up to
 * 1.8.1-git, with the release that did it) so that a pmacct key we do not implement yet is refused as such instead
 * of being reported as a typo.
 */
public final class KeyRegistry {
    private static final String PMACCT_KEYS = "pmacct-keys.txt";
    /** pmacct's keys, name to the releases that added or removed it since 1.7.7 ("" when 1.7.7 has it unchanged). */
    private static final Map<String, String> PMACCT = loadPmacctKeys();

    private final Map<String, KeyDef<?>> byName = new LinkedHashMap<>();
    private final List<KeyDef<?>> defs = new ArrayList<>();

    public KeyRegistry(Collection<? extends KeyDef<?>> keys) {
        for (KeyDef<?> k : keys) {
            if (defs.contains(k)) {
                continue; // listed by several plugin factories (the message-broker plugins share the engine's)
            }
            register(k.name(), k);
            for (String alias : k.aliases()) {
                register(alias, k);
            }
            defs.add(k);
        }
    }

    private void register(String name, KeyDef<?> k) {
        KeyDef<?> prev = byName.putIfAbsent(name, k);
        if (prev != null && prev != k) {
            throw new IllegalStateException("config key '" + name + "' declared twice");
        }
    }

    /** Lines {@code name [+VERSION] [-VERSION]}: added in, removed in that release; {@code #} starts a comment. */
    private static Map<String, String> loadPmacctKeys() {
        Map<String, String> keys = new HashMap<>();
        try (InputStream in = KeyRegistry.class.getResourceAsStream(PMACCT_KEYS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PMACCT_KEYS);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.split("\\s+");
                List<String> history = new ArrayList<>();
                for (int i = 1; i < words.length; i++) {
                    char sign = words[i].charAt(0);
                    if (sign != '+' && sign != '-') {
                        throw new IllegalStateException(PMACCT_KEYS + ": bad line '" + line + "'");
                    }
                    history.add((sign == '+' ? "added in pmacct " : "removed in pmacct ") + words[i].substring(1));
                }
                keys.put(words[0], String.join(", ", history));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(keys);
    }

    public KeyDef<?> find(String name) {
        return byName.get(name);
    }

    public List<KeyDef<?>> all() {
        return Collections.unmodifiableList(defs);
    }

    /** True when pmacct has a key of this name: 1.7.7, or a release after it up to 1.8.1-git. */
    public boolean isPmacctKey(String name) {
        return PMACCT.containsKey(name);
    }

    /**
     * What happened to a pmacct key after 1.7.7 ("added in pmacct 1.7.9", "removed in pmacct 1.8.0"), or null when
     * 1.7.7 has it and 1.8.1-git still does (or it is no pmacct key).
     */
    public String pmacctHistory(String name) {
        String history = PMACCT.get(name);
        return history == null || history.isEmpty() ? null : history;
    }

    /** Whether pmacct removed the key after 1.7.7 (it may have been added after 1.7.7 as well). */
    public boolean removedByPmacct(String name) {
        String history = PMACCT.get(name);
        return history != null && history.contains("removed in");
    }

    /** The closest known key name, or null when nothing is close enough to be a likely typo. */
    public String suggest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        Set<String> candidates = new TreeSet<>(byName.keySet());
        candidates.addAll(PMACCT.keySet());
        for (String candidate : candidates) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, name.length() / 4);
        return bestDistance <= allowed ? best : null;
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    public static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
