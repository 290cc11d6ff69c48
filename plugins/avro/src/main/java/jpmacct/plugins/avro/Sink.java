package jpmacct.plugins.avro;

/**
 * One record written field by field in schema order, in one of Avro's two encodings: {@link Binary} (the binary
 * datum) or {@link Json} (Avro's JSON encoding, as libavro's avro_value_to_json writes it one-line). The encoders
 * walk their record once and the sink decides the bytes, so both encodings carry the same values by construction.
 */
abstract class Sink {
    final Bytes out;

    Sink(Bytes out) {
        this.out = out;
    }

    abstract void beginRecord();

    abstract void endRecord();

    /** Names the next field (JSON only: binary records are positional). */
    abstract void field(String name);

    abstract void longValue(long v);

    abstract void string(CharSequence s, int from, int to);

    final void string(CharSequence s) {
        string(s, 0, s.length());
    }

    /** A ["null", T] union holding null. */
    abstract void nullBranch();

    /** A ["null", "long"] union holding a long. */
    abstract void longBranch(long v);

    /** A ["null", "string"] union holding a string. */
    abstract void stringBranch(CharSequence s);

    /** An array of {@code count} items; {@link #item} each, then {@link #endArray}. */
    abstract void beginArray(int count);

    abstract void item(CharSequence s, int from, int to);

    final void item(CharSequence s) {
        item(s, 0, s.length());
    }

    abstract void endArray(int count);

    /** A map of {@code count} entries; {@link #key} and a {@link #string} value each, then {@link #endMap}. */
    abstract void beginMap(int count);

    abstract void key(CharSequence k);

    abstract void endMap(int count);

    /** Avro binary: fields in order, no names; blocks of arrays and maps as one block and the end marker. */
    static final class Binary extends Sink {
        Binary(Bytes out) {
            super(out);
        }

        @Override
        void beginRecord() {
        }

        @Override
        void endRecord() {
        }

        @Override
        void field(String name) {
        }

        @Override
        void longValue(long v) {
            out.putLong(v);
        }

        @Override
        void string(CharSequence s, int from, int to) {
            out.putString(s, from, to);
        }

        @Override
        void nullBranch() {
            out.putLong(0);
        }

        @Override
        void longBranch(long v) {
            out.putLong(1);
            out.putLong(v);
        }

        @Override
        void stringBranch(CharSequence s) {
            out.putLong(1);
            out.putString(s);
        }

        @Override
        void beginArray(int count) {
            if (count > 0) {
                out.putLong(count);
            }
        }

        @Override
        void item(CharSequence s, int from, int to) {
            out.putString(s, from, to);
        }

        @Override
        void endArray(int count) {
            out.putLong(0);
        }

        @Override
        void beginMap(int count) {
            beginArray(count);
        }

        @Override
        void key(CharSequence k) {
            out.putString(k);
        }

        @Override
        void endMap(int count) {
            out.putLong(0);
        }
    }

    /**
     * Avro's JSON encoding as libavro writes it (jansson, one line): {@code ", "} and {@code ": "} separators, a
     * union's value as {@code {"long": 5}}, null as {@code null}, only ASCII (the rest escaped).
     */
    static final class Json extends Sink {
        /** Whether the next element at each depth is the first of its object or array. */
        private final boolean[] first = new boolean[8];
        private int depth;

        Json(Bytes out) {
            super(out);
        }

        private void open(char bracket) {
            out.ascii(bracket);
            first[++depth] = true;
        }

        private void close(char bracket) {
            out.ascii(bracket);
            depth--;
        }

        private void separate() {
            if (!first[depth]) {
                out.ascii(", ");
            }
            first[depth] = false;
        }

        @Override
        void beginRecord() {
            depth = 0;
            open('{');
        }

        @Override
        void endRecord() {
            close('}');
        }

        @Override
        void field(String name) {
            key(name);
        }

        @Override
        void longValue(long v) {
            out.decimal(v);
        }

        @Override
        void string(CharSequence s, int from, int to) {
            out.jsonString(s, from, to);
        }

        @Override
        void nullBranch() {
            out.ascii("null");
        }

        @Override
        void longBranch(long v) {
            out.ascii("{\"long\": ");
            out.decimal(v);
            out.ascii('}');
        }

        @Override
        void stringBranch(CharSequence s) {
            out.ascii("{\"string\": ");
            out.jsonString(s);
            out.ascii('}');
        }

        @Override
        void beginArray(int count) {
            open('[');
        }

        @Override
        void item(CharSequence s, int from, int to) {
            separate();
            out.jsonString(s, from, to);
        }

        @Override
        void endArray(int count) {
            close(']');
        }

        @Override
        void beginMap(int count) {
            open('{');
        }

        @Override
        void key(CharSequence k) {
            separate();
            out.jsonString(k);
            out.ascii(": ");
        }

        @Override
        void endMap(int count) {
            close('}');
        }
    }
}
