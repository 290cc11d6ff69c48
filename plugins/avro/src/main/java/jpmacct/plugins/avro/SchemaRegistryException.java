package jpmacct.plugins.avro;

/** A schema could not be registered: the message names the subject, the registry's URL and the reason. */
public final class SchemaRegistryException extends Exception {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryException(String message) {
        super(message);
    }
}
