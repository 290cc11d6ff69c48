package jpmacct.plugins.sql.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.PluginConfig;
import jpmacct.plugins.sql.SqlKeys;
import jpmacct.plugins.sql.dialect.Dialect;

/**
 * {@code sql_table_schema}: the CREATE TABLE statement of a file, run with the name of a table that does not exist
 * yet. Only that statement runs (a DROP or GRANT beside it, as in the scripts of sql/, is left out), and the name
 * it creates, with names that start with it (a constraint {@code acct_v9_pk}), becomes the table's.
 */
public final class TableSchema {
    private static final Pattern CREATE = Pattern.compile(
            "^\\s*CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([`\"]?)([^\\s(`\"]+)\\1\\s*\\(",
            Pattern.CASE_INSENSITIVE);

    private final Path file;
    private final String create;
    private final Pattern nameUse;
    private final List<String> leftOut;

    private TableSchema(Path file, String create, String name, List<String> leftOut) {
        this.file = file;
        this.create = create;
        // the name where it stands alone or starts a longer name, quoted or not
        this.nameUse = Pattern.compile("(?<![A-Za-z0-9_$%])([`\"]?)" + Pattern.quote(name) + "([A-Za-z0-9_]*)\\1");
        this.leftOut = leftOut;
    }

    public static TableSchema read(PluginConfig cfg) throws ConfigException {
        Path file = Path.of(cfg.get(SqlKeys.TABLE_SCHEMA));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cfg.error(SqlKeys.TABLE_SCHEMA, "cannot read " + file + ": " + e.getMessage());
        }
        text = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)--.*$", "");
        String create = null;
        String name = null;
        List<String> leftOut = new ArrayList<>();
        for (String statement : text.split(";")) {
            if (statement.isBlank()) {
                continue;
            }
            Matcher m = CREATE.matcher(statement);
            if (!m.find()) {
                String[] words = statement.strip().split("\\s+", 3);
                leftOut.add(words.length > 1 ? words[0] + " " + words[1] : words[0]);
                continue;
            }
            if (create != null) {
                throw cfg.error(SqlKeys.TABLE_SCHEMA, file + " has more than one CREATE TABLE statement");
            }
            create = statement.strip();
            name = m.group(2);
        }
        if (create == null) {
            throw cfg.error(SqlKeys.TABLE_SCHEMA, file + " has no CREATE TABLE statement");
        }
        return new TableSchema(file, create, name, leftOut);
    }

    public Path file() {
        return file;
    }

    /** Statements of the file that are not run, for a note at start-up ("DROP TABLE", "GRANT SELECT"). */
    public List<String> leftOut() {
        return leftOut;
    }

    /** The CREATE TABLE statement for {@code table} (checked by {@link TableName#invalid}). */
    public String createFor(String table, Dialect dialect) {
        String bare = table.substring(table.lastIndexOf('.') + 1);
        Matcher m = nameUse.matcher(create);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String suffix = m.group(2);
            // a longer name (constraint, index) belongs to the table's schema: only the table part is extended
            String replacement = suffix.isEmpty() ? dialect.quoteTable(table) : dialect.quoteTable(bare + suffix);
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
