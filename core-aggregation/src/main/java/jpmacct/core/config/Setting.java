package jpmacct.core.config;

/** A parsed value with the directive it came from. */
record Setting(Object value, ConfigLine line, int precedence) {
    static final int UNSCOPED = 1;
    static final int SCOPED = 2;
    static final int COMMAND_LINE = 3;
}
