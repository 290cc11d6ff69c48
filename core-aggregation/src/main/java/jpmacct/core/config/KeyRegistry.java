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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key this build understands, plus the names of all pmacct 1.7.7 keys so that a pmacct key we do not
 * implement yet is refused as such instead of being reported as a typo.
 */
public final class KeyRegistry {
    private static final String PMACCT_KEYS = "pmacct-1.7.7-keys.txt";

    private final Map<String, KeyDef<?>> byName = new LinkedHashMap<>();
    private final List<KeyDef<?>> defs = new ArrayList<>();
    private final Set<String> pmacctKeys;

    public KeyRegistry(Collection<? extends KeyDef<?>> keys) {
        for (KeyDef<?> k : keys) {
            register(k.name(), k);
            for (String alias : k.aliases()) {
                register(alias, k);
            }
            defs.add(k);
        }
        pmacctKeys = loadPmacctKeys();
    }

    private void register(String name, KeyDef<?> k) {
        KeyDef<?> prev = byName.putIfAbsent(name, k);
        if (prev != null && prev != k) {
            throw new IllegalStateException("config key '" + name + "' declared twice");
        }
    }

    private static Set<String> loadPmacctKeys() {
        Set<String> keys = new TreeSet<>();
        try (InputStream in = KeyRegistry.class.getResourceAsStream(PMACCT_KEYS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PMACCT_KEYS);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty()) {
                    keys.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableSet(keys);
    }

    public KeyDef<?> find(String name) {
        return byName.get(name);
    }

    public List<KeyDef<?>> all() {
        return Collections.unmodifiableList(defs);
    }

    /** True when pmacct 1.7.7 has a key of this name. */
    public boolean isPmacctKey(String name) {
        return pmacctKeys.contains(name);
    }

    /** The closest known key name, or null when nothing is close enough to be a likely typo. */
    public String suggest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        Set<String> candidates = new TreeSet<>(byName.keySet());
        candidates.addAll(pmacctKeys);
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
