package jpmacct.plugins.messaging;

import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;

/**
 * What an encoder is made from.
 *
 * @param plugin      the plugin's context and configuration (encoder keys such as avro_buffer_size)
 * @param aggregation the plugin's aggregate, columns and output options
 * @param writerId    writer_id_string expanded, added to every aggregate
 * @param markerId    the writer_id of the purge markers: the plugin's name and the process id, as pmacct writes them
 * @param destination the topic (routing key) as configured, variables unexpanded: Avro's registry subjects
 * @param dynamic     whether the destination has variables
 * @param multiValues {@code *_multi_values}, 0 for one aggregate per message
 */
public record EncoderContext(PluginContext plugin, PluginAggregation aggregation, String writerId, String markerId,
                             String destination, boolean dynamic, long multiValues) {
}
