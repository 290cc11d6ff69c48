package jpmacct.plugins.sql.pmacctd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fresh database for one test, with a table created by this project's script from sql/: a SQLite file, or a
 * database of its own on this machine's MariaDB (127.0.0.1:3306, root) or PostgreSQL (127.0.0.1:5432, trust).
 */
final class SqlTestDb implements AutoCloseable {
    static final String MYSQL = "jdbc:mysql://127.0.0.1:3306/";
    static final String MYSQL_AUTH = "?user=root&password=";
    static final String PGSQL = "jdbc:postgresql://127.0.0.1:5432/";
    static final String PGSQL_AUTH = "?user=postgres";

    final String type;
    final String name;
    /** JDBC URL of the test database. */
    final String url;
    /** Configuration lines pointing plugin {@code q} at it. */
    final String conf;

    private SqlTestDb(String type, String name, String url, String conf) {
        this.type = type;
        this.name = name;
        this.url = url;
        this.conf = conf + "sql_journal[q]: q.journal\n"; // in the test's directory, not the shared tmpdir default
    }

    static Path sqlDir() {
        return Path.of(System.getProperty("jpmacct.root", "../..")).resolve("sql");
    }

    /** A database with the table of {@code version} from sql/ (or none when {@code version} is 0). */
    static SqlTestDb create(String type, int version, Path dir) throws Exception {
        String name = "jpmacct_t_" + Long.toHexString(System.nanoTime());
        switch (type) {
            case "mysql": {
                run(MYSQL + MYSQL_AUTH, "CREATE DATABASE " + name + ";");
                SqlTestDb db = new SqlTestDb(type, name, MYSQL + name + MYSQL_AUTH, "sql_db[q]: " + name
                        + "\nsql_host[q]: 127.0.0.1\nsql_user[q]: root\nsql_passwd[q]:\n");
                return db.withTable(version);
            }
            case "pgsql": {
                run(PGSQL + "postgres" + PGSQL_AUTH, "CREATE DATABASE " + name + ";");
                SqlTestDb db = new SqlTestDb(type, name, PGSQL + name + PGSQL_AUTH, "sql_db[q]: " + name
                        + "\nsql_host[q]: 127.0.0.1\nsql_user[q]: postgres\nsql_passwd[q]:\n");
                return db.withTable(version);
            }
            default: {
                SqlTestDb db = new SqlTestDb(type, name, "jdbc:sqlite:" + dir.resolve("pmacct.db"), "sql_db[q]: pmacct.db\n");
                return db.withTable(version);
            }
        }
    }

    private SqlTestDb withTable(int version) throws Exception {
        if (version > 0) {
            load(scriptName("v" + version));
        }
        return this;
    }

    /** Runs a script of sql/ in this database: its tables, not the database and user statements around them. */
    void load(String file) throws Exception {
        String text = script(file);
        text = switch (type) {
            case "mysql" -> text.replaceAll("(?m)^(DROP DATABASE|CREATE DATABASE|USE).*$", "");
            case "pgsql" -> text.replaceAll("(?m)^GRANT.*$", "");
            default -> text;
        };
        run(url, text);
    }

    /** The script of sql/ for this database type: {@code v9} gives the version 9 table, {@code bgp_v1} the BGP one. */
    String scriptName(String version) {
        return switch (type) {
            case "mysql" -> "pmacct-create-db_" + version + ".mysql";
            case "pgsql" -> "pmacct-create-table_" + (version.equals("v7") || version.equals("v8") ? "v7_v8" : version) + ".pgsql";
            default -> "pmacct-create-table_" + version + ".sqlite3";
        };
    }

    /** The tables of this database whose names start with {@code prefix}, sorted. */
    List<String> tables(String prefix) throws Exception {
        String sql = switch (type) {
            case "mysql" -> "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + name + "'";
            case "pgsql" -> "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'";
            default -> "SELECT name FROM sqlite_master WHERE type = 'table'";
        };
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getString(1).startsWith(prefix)) {
                    out.add(rs.getString(1));
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    static String script(String file) throws Exception {
        return Files.readString(sqlDir().resolve(file), StandardCharsets.UTF_8);
    }

    /** Runs ';'-terminated statements ('--' comments) over JDBC. */
    static void run(String url, String script) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String stmt : script.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!stmt.isBlank()) {
                    s.execute(stmt);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        switch (type) {
            case "mysql" -> run(MYSQL + MYSQL_AUTH, "DROP DATABASE " + name + ";");
            case "pgsql" -> run(PGSQL + "postgres" + PGSQL_AUTH, "DROP DATABASE " + name + " WITH (FORCE);");
            default -> {
            }
        }
    }
}
