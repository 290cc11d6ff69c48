package jpmacct.plugins.print;

import static jpmacct.core.config.KeyDef.key;

import java.util.List;
import java.util.Locale;

import jpmacct.core.config.KeyDef;
import jpmacct.core.config.ValueType;
import jpmacct.core.config.ValueTypes;

/** Keys of the print plugin (those it shares with other plugins, print_markers and the like, are core keys). */
final class PrintKeys {
    private PrintKeys() {
    }

    static final ValueType<String> OUTPUT_TYPE = new ValueType<>() {
        @Override
        public String parse(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            switch (t) {
                case "formatted":
                case "csv":
                case "json":
                case "event_formatted":
                case "event_csv":
                    return t;
                case "avro":
                case "avro_bin":
                case "avro_json":
                case "custom":
                    throw new IllegalArgumentException("output '" + t + "' is not supported yet");
                default:
                    throw new IllegalArgumentException("unknown output");
            }
        }

        @Override
        public String expected() {
            return "one of formatted, csv, json, event_formatted, event_csv";
        }
    };

    static final KeyDef<String> OUTPUT = key("print_output", OUTPUT_TYPE).pluginTypes("print")
            .defaultValue("formatted").doc("Output format.").build();
    static final KeyDef<String> OUTPUT_FILE = key("print_output_file", ValueTypes.PATH).pluginTypes("print")
            .defaultText("stdout")
            .doc("File to write at each purge; strftime escapes (%Y%m%d-%H%M, bin start with print_history, else "
                    + "the purge time) and $ref, $hst, $tag, $tag2, $peer_src_ip, $post_tag, $post_tag2 select one "
                    + "file per value. Missing directories are created.")
            .differs("Files are written to a temporary name and renamed into place, so readers never see a "
                    + "partial file; without print_history the time escapes use the purge time (pmacct uses "
                    + "the epoch); an entry without exporter (every pmacctd entry) gives $peer_src_ip 0_0_0_0 "
                    + "where pmacct writes null or an empty string.").build();
    static final KeyDef<Boolean> OUTPUT_FILE_APPEND = key("print_output_file_append", ValueTypes.BOOLEAN)
            .pluginTypes("print").defaultValue(false).doc("Append to print_output_file instead of rewriting it.").build();
    static final KeyDef<String> OUTPUT_SEPARATOR = key("print_output_separator", ValueTypes.TEXT)
            .pluginTypes("print").defaultValue(",").doc("CSV separator; \\s is a space, \\t a tab.").build();
    static final KeyDef<String> LATEST_FILE = key("print_latest_file", ValueTypes.PATH).pluginTypes("print")
            .doc("Symbolic link kept pointing at the latest file written (same $-variables as print_output_file).").build();
    static final KeyDef<Boolean> WRITE_EMPTY_FILE = key("print_write_empty_file", ValueTypes.BOOLEAN)
            .pluginTypes("print").defaultValue(false).doc("Write the output file (header only) even when nothing "
                    + "was accounted.").build();

    static List<KeyDef<?>> all() {
        return List.of(OUTPUT, OUTPUT_FILE, OUTPUT_FILE_APPEND, OUTPUT_SEPARATOR, LATEST_FILE, WRITE_EMPTY_FILE);
    }
}
