package jpmacct.core.decode.packet;

/** Counters of one decoder (single-threaded owner; read for stats). */
public final class DecodeStats {
    public long frames;
    /** Frames decoded and accounted at once (held fragments are counted by the fragment table). */
    public long accounted;
    public long notIp;
    public long truncated;
    public long malformed;
    public long unsupportedLink;
    /** IP packets accounted although the capture cut them before the L4 ports (ports reported as 0). */
    public long shortL4;
    public long fragments;
}
