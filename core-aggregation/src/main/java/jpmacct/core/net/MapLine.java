package jpmacct.core.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jpmacct.core.config.ConfigException;

/**
 * One rule of pmacct's key-based map files (sampling_map, pre_tag_map, ...): {@code key=value} words separated by
 * blanks, values optionally quoted with ' or " (for filters with blanks), {@code !} or {@code #} starting a comment.
 */
public final class MapLine {
    private MapLine() {
    }

    /** One rule of a map file: its line number, "file:line" for messages, and its keys in the order written. */
    public record Entry(int line, String where, Map<String, String> keys) {
    }

    /**
     * The rules of a key-based map file, blank and comment lines left out.
     *
     * @param kind the key that named the file, for the message when it cannot be read
     */
    public static List<Entry> readEntries(Path file, String kind) throws ConfigException {
        List<String> lines = readLines(file, kind);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Map<String, String> kv = parse(file.toString(), i + 1, lines.get(i));
            if (!kv.isEmpty()) {
                out.add(new Entry(i + 1, file + ":" + (i + 1), kv));
            }
        }
        return out;
    }

    /**
     * The lines of a map file, read whole so a reload never sees half a file.
     *
     * @param kind the key that named the file (networks_file, pre_tag_map, ...), for the message
     * @throws ConfigException naming the file and the key when it is missing or unreadable
     */
    public static List<String> readLines(Path file, String kind) throws ConfigException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": " + kind + " not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read " + kind + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return keys (lower case) to values in the order written, or an empty map for blank and comment lines
     * @throws ConfigException naming file and line, for a word without '=' or an unclosed quote
     */
    public static Map<String, String> parse(String file, int lineNo, String line) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n || line.charAt(i) == '!' || line.charAt(i) == '#') {
                return out;
            }
            int eq = line.indexOf('=', i);
            int blank = i;
            while (blank < n && !Character.isWhitespace(line.charAt(blank))) {
                blank++;
            }
            if (eq < 0 || eq > blank) {
                throw new ConfigException(file + ":" + lineNo + ": expected key=value, found '"
                        + line.substring(i, blank) + "'");
            }
            String key = line.substring(i, eq).toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < n && (line.charAt(i) == '\'' || line.charAt(i) == '"')) {
                char q = line.charAt(i);
                int close = line.indexOf(q, i + 1);
                if (close < 0) {
                    throw new ConfigException(file + ":" + lineNo + ": unclosed quote in the value of '" + key + "'");
                }
                value = line.substring(i + 1, close);
                i = close + 1;
            } else {
                int end = i;
                while (end < n && !Character.isWhitespace(line.charAt(end))) {
                    end++;
                }
                value = line.substring(i, end);
                i = end;
            }
            if (out.put(key, value) != null) {
                throw new ConfigException(file + ":" + lineNo + ": key '" + key + "' given twice");
            }
        }
    }
}
