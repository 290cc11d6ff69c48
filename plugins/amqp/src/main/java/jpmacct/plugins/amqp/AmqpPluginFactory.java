package jpmacct.plugins.amqp;

import java.util.ArrayList;
import java.util.List;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.PluginFactory;
import jpmacct.plugins.messaging.MessagingKeys;
import jpmacct.plugins.messaging.MessagingPlugin;
import jpmacct.plugins.messaging.Transport;

/** Factory of the {@code amqp} plugin: the messaging engine with RabbitMQ as its transport. */
public final class AmqpPluginFactory implements PluginFactory {
    @Override
    public String type() {
        return AmqpKeys.TYPE;
    }

    @Override
    public String processTitle() {
        return "RabbitMQ/AMQP Plugin";
    }

    @Override
    public List<KeyDef<?>> keys() {
        List<KeyDef<?>> keys = new ArrayList<>(AmqpKeys.all());
        keys.addAll(MessagingKeys.all());
        return keys;
    }

    @Override
    public Plugin create(PluginContext context) throws ConfigException {
        PluginConfig cfg = context.config();
        AmqpSink.Settings settings = new AmqpSink.Settings(cfg.get(AmqpKeys.HOST), cfg.get(AmqpKeys.PORT).intValue(),
                cfg.get(AmqpKeys.VHOST), cfg.get(AmqpKeys.USER), cfg.get(AmqpKeys.PASSWD), cfg.get(AmqpKeys.EXCHANGE),
                cfg.get(AmqpKeys.EXCHANGE_TYPE_KEY), cfg.get(AmqpKeys.PERSISTENT_MSG),
                cfg.get(AmqpKeys.FRAME_MAX).intValue(), cfg.get(AmqpKeys.HEARTBEAT_INTERVAL).intValue());
        AmqpSink sink = new AmqpSink(settings, context.threadName(), cfg.id(), context.metrics(), cfg.name());
        // pmacct's lines when a purge finds the broker away (it then loses the purge; here it waits in the buffer)
        String schemaKey = cfg.get(AmqpKeys.AVRO_SCHEMA_ROUTING_KEY);
        Transport.SchemaRoute schemas = schemaKey == null ? null : new Transport.SchemaRoute(schemaKey,
                cfg.get(AmqpKeys.AVRO_SCHEMA_REFRESH_TIME), AmqpKeys.AVRO_SCHEMA_ROUTING_KEY.name());
        Transport transport = new Transport("RabbitMQ", AmqpKeys.ROUTING_KEY, null, sink,
                "Connection failed to RabbitMQ: p_amqp_connect_to_publish(): unable to open socket",
                "Connection failed to RabbitMQ: p_amqp_close()", schemas);
        return new MessagingPlugin(context, transport);
    }
}
