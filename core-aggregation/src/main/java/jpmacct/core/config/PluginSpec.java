package jpmacct.core.config;

/** A plugin instance declared in {@code plugins:}: its type ({@code print}) and name ({@code csv}). */
public record PluginSpec(String type, String name) {

    /** pmacct's tag for log lines and the memory of users' greps: {@code csv/print}. */
    public String id() {
        return name + "/" + type;
    }
}
