package jpmacct.core.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * pmacct's configuration grammar: {@code key: value} or {@code key[name]: value}, one per line; lines whose first
 * non-blank character is {@code !} or {@code #} are comments; keys are case-insensitive, plugin names are not.
 * A trailing comment ({@code value   ! text}) is also accepted, see {@link #stripTrailingComment}.
 */
public final class ConfigParser {

    /** Keys whose values are filter expressions, where {@code !} is also the negation operator. */
    private static final Set<String> FILTER_KEYS = Set.of("pcap_filter", "aggregate_filter");

    private ConfigParser() {
    }

    public static List<ConfigLine> parse(Path file) throws ConfigException {
        List<String> raw;
        try {
            if (!Files.exists(file)) {
                throw new ConfigException(file + ": configuration file not found");
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(file + ": not a regular file");
            }
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": not a text file (invalid UTF-8)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration: " + e.getMessage(), e);
        }
        return parse(file.toString(), raw);
    }

    public static List<ConfigLine> parse(String source, List<String> rawLines) throws ConfigException {
        List<ConfigLine> out = new ArrayList<>();
        for (int i = 0; i < rawLines.size(); i++) {
            ConfigLine line = parseLine(source, i + 1, null, rawLines.get(i));
            if (line != null) {
                out.add(line);
            }
        }
        return out;
    }

    /** Parses one line; returns null for blank lines and comments. */
    public static ConfigLine parseLine(String source, int lineNo, String option, String text) throws ConfigException {
        String where = option != null ? "command line (" + option + ")" : source + ":" + lineNo;
        String s = text.strip();
        if (s.isEmpty() || s.charAt(0) == '!' || s.charAt(0) == '#') {
            return null;
        }
        int colon = -1;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                if (++depth > 1) {
                    throw new ConfigException(where + ": syntax error: nested '[' in key; expected 'key[plugin_name]: value'");
                }
            } else if (c == ']') {
                if (--depth < 0) {
                    throw new ConfigException(where + ": syntax error: ']' without '['; expected 'key[plugin_name]: value'");
                }
            } else if (c == ':' && depth == 0) {
                colon = i;
                break;
            }
        }
        if (depth != 0) {
            throw new ConfigException(where + ": syntax error: unbalanced '[' in key; expected 'key[plugin_name]: value'");
        }
        if (colon < 0) {
            throw new ConfigException(where + ": syntax error: missing ':'; expected 'key: value' in line '" + s + "'");
        }
        String keyPart = s.substring(0, colon).strip();
        String value = s.substring(colon + 1).strip();
        if (keyPart.isEmpty()) {
            throw new ConfigException(where + ": syntax error: missing key before ':'");
        }
        String scope = null;
        int bracket = keyPart.indexOf('[');
        if (bracket >= 0) {
            int close = keyPart.indexOf(']', bracket);
            if (close != keyPart.length() - 1) {
                throw new ConfigException(where + ": syntax error: text after ']' in '" + keyPart + "'; expected 'key[plugin_name]: value'");
            }
            scope = keyPart.substring(bracket + 1, close).strip();
            keyPart = keyPart.substring(0, bracket).strip();
            if (scope.isEmpty()) {
                throw new ConfigException(where + ": syntax error: empty plugin name in '" + keyPart + "[]'");
            }
            if (keyPart.isEmpty()) {
                throw new ConfigException(where + ": syntax error: '[" + scope + "]' does not follow a key");
            }
        }
        // pmacct drops blanks inside the key ("print_output [p]" works there too)
        String key = keyPart.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        if (option == null) {
            value = stripTrailingComment(key, value);
        }
        return new ConfigLine(source, lineNo, option, key, scope, value);
    }

    /**
     * pmacct only knows whole-line comments; users also write {@code interface: br0   ! uplink}. A {@code !} or
     * {@code #} preceded by a blank starts a comment, except in filter expressions where {@code !} negates: there a
     * comment needs two blanks before the {@code !} (or a {@code #}).
     */
    static String stripTrailingComment(String key, String value) {
        boolean filter = FILTER_KEYS.contains(key);
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == '!' || c == '#') && Character.isWhitespace(value.charAt(i - 1))) {
                if (filter && c == '!' && !(i >= 2 && Character.isWhitespace(value.charAt(i - 2)))) {
                    continue;
                }
                return value.substring(0, i).strip();
            }
        }
        return value;
    }
}
