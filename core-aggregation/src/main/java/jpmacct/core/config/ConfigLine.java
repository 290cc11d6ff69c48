package jpmacct.core.config;

/**
 * One {@code key[scope]: value} directive, as written in a file or derived from a command-line option.
 *
 * @param source   file name, or {@code "command line"}
 * @param line     1-based line number in the file; 0 for command-line options
 * @param option   the command-line option that produced this line (e.g. {@code "-c"}), or null
 * @param key      lower-cased key
 * @param scope    plugin name from {@code key[name]}, or null when the directive applies to all
 * @param value    trimmed value
 */
public record ConfigLine(String source, int line, String option, String key, String scope, String value) {

    public boolean fromCommandLine() {
        return option != null;
    }

    /** Where the directive came from, for messages: {@code pmacctd.conf:12} or {@code command line (-c)}. */
    public String where() {
        return option != null ? "command line (" + option + ")" : source + ":" + line;
    }

    /** The key as written with its scope, for messages: {@code aggregate[csv]}. */
    public String displayKey() {
        return scope == null ? key : key + "[" + scope + "]";
    }
}
