package jpmacct.pmacctd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

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
        return Path.of(System.getProperty("jpmacct.root", "..")).resolve("sql");
    }

    /** A database with the table of {@code version} from sql/ (or none when {@code version} is 0). */
    static SqlTestDb create(String type, int version, Path dir) throws Exception {
        String name = "jpm_" + Long.toHexString(System.nanoTime());
        switch (type) {
            case "mysql": {
                run(MYSQL + MYSQL_AUTH, "CREATE DATABASE " + name + ";");
                SqlTestDb db = new SqlTestDb(type, name, MYSQL + name + MYSQL_AUTH, "sql_db[q]: " + name
                        + "\nsql_host[q]: 127.0.0.1\nsql_user[q]: root\nsql_passwd[q]:\n");
                if (version > 0) {
                    run(db.url, script("pmacct-create-db_v" + version + ".mysql").replaceAll("(?m)^(DROP DATABASE|CREATE DATABASE|USE).*$", ""));
                }
                return db;
            }
            case "pgsql": {
                run(PGSQL + "postgres" + PGSQL_AUTH, "CREATE DATABASE " + name + ";");
                SqlTestDb db = new SqlTestDb(type, name, PGSQL + name + PGSQL_AUTH, "sql_db[q]: " + name
                        + "\nsql_host[q]: 127.0.0.1\nsql_user[q]: postgres\nsql_passwd[q]:\n");
                if (version > 0) {
                    String file = "pmacct-create-table_v" + (version == 7 || version == 8 ? "7_v8" : version) + ".pgsql";
                    run(db.url, script(file).replaceAll("(?m)^GRANT.*$", ""));
                }
                return db;
            }
            default: {
                SqlTestDb db = new SqlTestDb(type, name, "jdbc:sqlite:" + dir.resolve("pmacct.db"), "sql_db[q]: pmacct.db\n");
                if (version > 0) {
                    run(db.url, script("pmacct-create-table_v" + version + ".sqlite3"));
                }
                return db;
            }
        }
    }

    private static String script(String file) throws Exception {
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
