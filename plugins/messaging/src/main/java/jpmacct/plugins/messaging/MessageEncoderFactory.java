package jpmacct.plugins.messaging;

import java.util.Set;

import jpmacct.core.config.ConfigException;

/**
 * Encoders besides JSON, found with {@link java.util.ServiceLoader}: a module lists its factory in
 * {@code META-INF/services/jpmacct.plugins.messaging.MessageEncoderFactory} and its outputs become valid values of
 * {@code kafka_output} and {@code amqp_output}.
 */
public interface MessageEncoderFactory {

    /** The {@code *_output} values it encodes, lower case: avro, avro_bin, avro_json. */
    Set<String> outputs();

    /** An encoder for one plugin; problems of its configuration are ConfigExceptions. */
    MessageEncoder create(String output, EncoderContext context) throws ConfigException;
}
