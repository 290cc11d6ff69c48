package jpmacct.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** The value types of configuration keys. Each rejects bad text with a short reason; the caller adds key and line. */
public final class ValueTypes {
    private ValueTypes() {
    }

    public static final ValueType<Boolean> BOOLEAN = new ValueType<>() {
        @Override
        public Boolean parse(String text) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "true":
                    return Boolean.TRUE;
                case "false":
                    return Boolean.FALSE;
                default:
                    throw new IllegalArgumentException("not a boolean");
            }
        }

        @Override
        public String expected() {
            return "true or false";
        }
    };

    /** A pmacct boolean of which this build implements only {@code false}, its default. */
    public static final ValueType<Boolean> FALSE_ONLY = new ValueType<>() {
        @Override
        public Boolean parse(String text) {
            if (BOOLEAN.parse(text)) {
                throw new UnsupportedValueException();
            }
            return Boolean.FALSE;
        }

        @Override
        public String expected() {
            return "false";
        }
    };

    public static final ValueType<String> STRING = new ValueType<>() {
        @Override
        public String parse(String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty value");
            }
            return text;
        }

        @Override
        public String expected() {
            return "a non-empty string";
        }
    };

    /** A string that may be empty (e.g. an empty filter). */
    public static final ValueType<String> TEXT = new ValueType<>() {
        @Override
        public String parse(String text) {
            return text;
        }

        @Override
        public String expected() {
            return "text";
        }
    };

    public static final ValueType<String> PATH = new ValueType<>() {
        @Override
        public String parse(String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty path");
            }
            if (text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL character in path");
            }
            return text;
        }

        @Override
        public String expected() {
            return "a file path";
        }
    };

    public static ValueType<Long> integer(long min, long max) {
        return new ValueType<>() {
            @Override
            public Long parse(String text) {
                long v;
                try {
                    v = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an integer");
                }
                if (v < min || v > max) {
                    throw new IllegalArgumentException("out of range");
                }
                return v;
            }

            @Override
            public String expected() {
                return max == Long.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
            }
        };
    }

    /** Seconds, bare or with a unit: {@code 60}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, {@code 1w}. */
    public static final ValueType<Long> SECONDS = new ValueType<>() {
        @Override
        public Long parse(String text) {
            return parseSeconds(text);
        }

        @Override
        public String expected() {
            return "a duration in seconds, optionally with a unit s, m, h, d or w (e.g. 60, 5m, 1h)";
        }

        @Override
        public String render(Long value) {
            return Long.toString(value);
        }
    };

    static long parseSeconds(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (!Character.isDigit(last)) {
            switch (last) {
                case 's': unit = 1; break;
                case 'm': unit = 60; break;
                case 'h': unit = 3600; break;
                case 'd': unit = 86400; break;
                case 'w': unit = 7 * 86400; break;
                default: throw new IllegalArgumentException("unknown time unit '" + last + "'");
            }
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration");
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("out of range");
        }
        return n * unit;
    }

    /** Bytes, bare or with k/m/g (powers of 1024): {@code 4096}, {@code 64k}, {@code 4M}. */
    public static final ValueType<Long> BYTES = new ValueType<>() {
        @Override
        public Long parse(String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
                t = t.substring(0, t.length() - 1);
            }
            long mult = 1;
            if (!t.isEmpty()) {
                char last = t.charAt(t.length() - 1);
                if (last == 'k') { mult = 1024; } else if (last == 'm') { mult = 1024 * 1024; } else if (last == 'g') { mult = 1024L * 1024 * 1024; }
                if (mult != 1) {
                    t = t.substring(0, t.length() - 1);
                }
            }
            try {
                long v = Long.parseLong(t);
                if (v < 0) {
                    throw new IllegalArgumentException("negative size");
                }
                return Math.multiplyExact(v, mult);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("not a size");
            }
        }

        @Override
        public String expected() {
            return "a size in bytes, optionally with k, m or g (e.g. 4194304, 64k, 4m)";
        }
    };

    /** pmacct's history period: a count and a unit {@code m h d w M} (also {@code s}), e.g. {@code 5m}, {@code 1h}, {@code 1M}. */
    public static final ValueType<History> HISTORY = new ValueType<>() {
        @Override
        public History parse(String text) {
            return History.parse(text);
        }

        @Override
        public String expected() {
            return "a count and a unit: s, m (minutes), h, d, w or M (months), e.g. 5m, 1h, 1d, 1M";
        }
    };

    /** pmacct's round-off: any of {@code m h d w M}, e.g. {@code m} or {@code mh}. */
    public static final ValueType<String> ROUNDOFF = new ValueType<>() {
        @Override
        public String parse(String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            for (char c : text.toCharArray()) {
                if ("mhdwM".indexOf(c) < 0) {
                    throw new IllegalArgumentException("'" + c + "' is not one of m, h, d, w, M");
                }
            }
            return text;
        }

        @Override
        public String expected() {
            return "one or more of m, h, d, w, M (e.g. m, h, mh)";
        }
    };

    /** A type parsed by {@code parser} (which throws IllegalArgumentException with a short reason). */
    public static <T> ValueType<T> parsedBy(Function<String, T> parser, String expected) {
        return new ValueType<>() {
            @Override
            public T parse(String text) {
                return parser.apply(text);
            }

            @Override
            public String expected() {
                return expected;
            }
        };
    }

    public static ValueType<String> oneOf(String... allowed) {
        List<String> list = Arrays.asList(allowed);
        return new ValueType<>() {
            @Override
            public String parse(String text) {
                String t = text.toLowerCase(Locale.ROOT);
                if (!list.contains(t)) {
                    throw new IllegalArgumentException("not one of " + String.join(", ", list));
                }
                return t;
            }

            @Override
            public String expected() {
                return "one of " + String.join(", ", list);
            }
        };
    }

    /** Comma-separated words, lower-cased, duplicates dropped. */
    public static final ValueType<List<String>> WORD_LIST = new ValueType<>() {
        @Override
        public List<String> parse(String text) {
            Set<String> out = new LinkedHashSet<>();
            for (String part : text.split(",")) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("empty list");
            }
            return new ArrayList<>(out);
        }

        @Override
        public String expected() {
            return "a comma-separated list";
        }

        @Override
        public String render(List<String> value) {
            return String.join(", ", value);
        }
    };

    /** syslog facility names accepted by pmacct. */
    public static final ValueType<String> SYSLOG_FACILITY = oneOf("auth", "mail", "daemon", "kern", "user",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");
}
