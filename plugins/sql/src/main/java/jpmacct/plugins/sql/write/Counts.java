package jpmacct.plugins.sql.write;

/** What the strategies did with the rows of one purge. */
final class Counts {
    int inserted;
    int updated;
    /** Refused as data and left out (row by row only). */
    int skipped;

    /** One row written, inserted or added to the existing one. */
    void row(boolean wasInserted) {
        if (wasInserted) {
            inserted++;
        } else {
            updated++;
        }
    }
}
