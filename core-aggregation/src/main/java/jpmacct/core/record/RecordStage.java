package jpmacct.core.record;

import java.nio.ByteBuffer;

/**
 * What happens to a decoded record before the plugins see it: tagging (pre_tag_map) and the plugins'
 * aggregate_filter, which clear the record's bits for the plugins it is not for. One instance per producing thread.
 */
public interface RecordStage {
    /**
     * @param frame the captured frame the record came from (pmacctd), or null (collectors, reassembled fragments):
     *              filters then look at a frame built from the record's fields
     */
    void apply(FlowRecord r, ByteBuffer frame, int offset, int caplen, int wireLen, int linkType);
}
