package jpmacct.core.config;

import jpmacct.core.primitive.CustomPrimitives;

/**
 * Parses and validates the text of a configuration value.
 *
 * @param <T> the parsed representation
 */
public interface ValueType<T> {

    /** @throws IllegalArgumentException with a short reason when the text is not acceptable */
    T parse(String text);

    /**
     * Parses with what the rest of the configuration defined (aggregate_primitives for {@code aggregate}); types
     * that need nothing of it parse the text alone.
     */
    default T parse(String text, CustomPrimitives custom) {
        return parse(text);
    }

    /** The accepted form, for error messages and docs: {@code "true or false"}. */
    String expected();

    /** Renders a parsed value back for docs and debug output. */
    default String render(T value) {
        return String.valueOf(value);
    }
}
