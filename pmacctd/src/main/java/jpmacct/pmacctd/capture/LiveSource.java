package jpmacct.pmacctd.capture;

import jpmacct.core.capture.PacketSource;

import java.util.List;

/** A live capture: which interface a frame came from, and the kernel's counters. */
public interface LiveSource extends PacketSource {
    /** The interface of the frame delivered with this index. */
    LiveCapture.Spec spec(int index);

    List<LiveCapture.Spec> specs();

    /** Per interface: {received, dropped by the kernel buffer, dropped by the interface}. */
    List<long[]> stats();

    /** Live sources release their handles without failing. */
    @Override
    void close();
}
