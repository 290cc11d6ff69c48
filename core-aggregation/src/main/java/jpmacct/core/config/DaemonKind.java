package jpmacct.core.config;

import java.util.Locale;

/** The daemons sharing the core; pmacct's acct types. */
public enum DaemonKind {
    PMACCTD, NFACCTD, SFACCTD;

    public String programName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
