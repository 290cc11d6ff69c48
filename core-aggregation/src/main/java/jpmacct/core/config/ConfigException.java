package jpmacct.core.config;

/** A configuration problem the user has to fix; the message names where (file:line), the key and the expected form. */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Prefixes the message with where the offending line came from. */
    public static ConfigException at(ConfigLine line, String message) {
        return new ConfigException(line.where() + ": " + message);
    }
}
