package jpmacct.plugins.sql.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableNameTest {

    @Test
    void namesThatCannotChangeAStatementPass() {
        assertNull(TableName.invalid("acct_v9"));
        assertNull(TableName.invalid("acct_v4_20240101_1200"));
        assertNull(TableName.invalid("pmacct.acct"));
        assertNull(TableName.invalid("acct-0-$x"));
    }

    @Test
    void anythingElseIsRefusedWithTheReason() {
        assertTrue(TableName.invalid("acct; DROP TABLE x").contains("';'"));
        assertTrue(TableName.invalid("acct x").contains("' '"));
        assertTrue(TableName.invalid("acct`").contains("'`'"));
        assertTrue(TableName.invalid("a\"b").contains("'\"'"));
        assertTrue(TableName.invalid("a'b").contains("'''"));
        assertTrue(TableName.invalid("a.b.c").contains("more than one '.'"));
        assertTrue(TableName.invalid("a.").contains("empty"));
        assertTrue(TableName.invalid("x".repeat(65)).contains("longer than 64"));
        assertTrue(TableName.invalid("acct\u00e9").contains("'\u00e9'"));
    }

    @Test
    void plainIdentifiers() {
        assertFalse(TableName.plainIdentifier("0acct"));
        assertTrue(TableName.plainIdentifier("_acct$1"));
    }
}
