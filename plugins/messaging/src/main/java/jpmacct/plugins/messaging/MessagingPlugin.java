package jpmacct.plugins.messaging;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;
import jpmacct.core.plugin.Plugin;
import jpmacct.core.plugin.PluginAggregation;
import jpmacct.core.plugin.PluginContext;
import jpmacct.core.plugin.Preprocess;
import jpmacct.core.plugin.PurgeCycle;
import jpmacct.core.primitive.Primitive;
import jpmacct.core.record.RecordBatch;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.core.runtime.TriggerExec;

/**
 * The message-broker plugins' engine (kafka, amqp): aggregates as print does and, every {@code *_refresh_time},
 * swaps the cache for an empty one and writes it as messages ({@link PurgeMessages}) into a buffer that a delivery
 * thread empties into the broker's client ({@link Delivery}, {@link MessageSink}); history bins, markers,
 * multi-values, round-robin, variables in names and preprocess checks as pmacct. A transport plugin's factory makes one with its
 * {@link Transport}.
 */
public final class MessagingPlugin implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(MessagingPlugin.class);
    private static final long PID = ProcessHandle.current().pid();

    private final PluginContext ctx;
    private final PluginConfig cfg;
    private final PluginAggregation aggregation;
    private final PurgeMessages writer;
    private final PurgeCycle purges;
    private final Delivery delivery;
    private final MessageSink sink;
    /** amqp_avro_schema_routing_key's announcements, or null. */
    private final SchemaAnnouncer announcer;

    public MessagingPlugin(PluginContext ctx, Transport transport) throws ConfigException {
        this.ctx = ctx;
        this.cfg = ctx.config();
        this.sink = transport.sink();
        String type = cfg.type();
        int cacheEntries = cfg.get(CoreKeys.CACHE_ENTRIES).intValue();
        this.aggregation = PluginAggregation.create(ctx, cacheEntries, 0);
        long postTag = orZero(cfg.get(CoreKeys.POST_TAG));
        long postTag2 = orZero(cfg.get(CoreKeys.POST_TAG2));
        NameTemplate destination = template(transport.destination(), transport.destination().name(),
                cfg.get(transport.destination()), NameTemplate.DESTINATION, postTag, postTag2);
        NameTemplate key = null;
        KeyDef<String> keyDef = transport.messageKey();
        if (keyDef != null && cfg.get(keyDef) != null) {
            // pmacct lower-cases the key, variables and text alike
            key = template(keyDef, keyDef.name(), cfg.get(keyDef).toLowerCase(Locale.ROOT), NameTemplate.MESSAGE_KEY,
                    postTag, postTag2);
        }
        long rr = cfg.get(MessagingKeys.ROUND_ROBIN);
        String rrName = transport.destination().name() + "_rr";
        long multiValues = cfg.get(CoreKeys.MULTI_VALUES);
        String multiValuesName = type + "_multi_values";
        if (destination.hasVariables() && multiValues > 0) {
            throw error(CoreKeys.MULTI_VALUES, multiValuesName, "dynamic '" + transport.destination().name()
                    + "' is not compatible with '" + multiValuesName + "'");
        }
        if (destination.hasVariables() && rr > 0) {
            throw error(MessagingKeys.ROUND_ROBIN, rrName, "dynamic '" + transport.destination().name()
                    + "' is not compatible with '" + rrName + "'");
        }
        String writerId = cfg.get(CoreKeys.WRITER_ID_STRING).expand(cfg.name(), PID, DaemonCli.VERSION);
        MessageEncoder encoder = MessageEncoders.create(cfg.get(MessagingKeys.OUTPUT),
                new EncoderContext(ctx, aggregation, writerId, cfg.name() + "/" + PID, cfg.get(transport.destination()),
                        destination.hasVariables(), multiValues));
        sink.payloadType(encoder.contentType());
        this.announcer = announcer(transport.schemaRoute(), encoder);
        this.delivery = new Delivery(transport, cfg.id(), type + "_buffer_size", cfg.get(MessagingKeys.BUFFER_SIZE),
                ctx.metrics(), type, cfg.name());
        this.writer = new PurgeMessages(encoder, delivery, new PurgeMessages.Routing(destination, rr, key),
                cfg.get(CoreKeys.MARKERS), multiValues, multiValuesName, aggregation.aggregator(),
                Preprocess.configured(cfg, aggregation.aggregate().has(Primitive.FLOWS)),
                TriggerExec.configured(cfg));
        this.purges = new PurgeCycle(ctx, aggregation, cacheEntries, cfg.get(CoreKeys.MAX_WRITERS).intValue(), writer);
        LOG.info("cache entries={} base cache memory={} bytes", cacheEntries,
                aggregation.aggregator().table().heapBytes());
    }

    /** The schema announcements a route asks for; with JSON output there are no schemas to announce (pmacct: none). */
    private SchemaAnnouncer announcer(Transport.SchemaRoute route, MessageEncoder encoder) {
        if (route == null) {
            return null;
        }
        List<byte[]> schemas = encoder.schemaMessages(cfg.name());
        if (schemas.isEmpty()) {
            LOG.info("{}: no Avro schemas to publish with {}_output {}", route.key(), cfg.type(),
                    cfg.get(MessagingKeys.OUTPUT));
            return null;
        }
        return new SchemaAnnouncer(sink, route, schemas, cfg.id());
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** A ConfigException naming the key as the plugin type spells it (kafka_multi_values, not sql_multi_values). */
    private ConfigException error(KeyDef<?> key, String shownName, String message) {
        return new ConfigException(cfg.whereSet(key) + ": " + shownName + "[" + cfg.name() + "]: " + message);
    }

    private NameTemplate template(KeyDef<String> key, String shownName, String text, Set<NameTemplate.Variable> allowed,
                                  long postTag, long postTag2) throws ConfigException {
        try {
            return NameTemplate.parse(text, allowed, postTag, postTag2);
        } catch (IllegalArgumentException e) {
            throw error(key, shownName, "'" + text + "': " + e.getMessage());
        }
    }

    @Override
    public void start() throws Exception {
        sink.open();
        purges.start();
        delivery.start(ctx.threadName() + " delivery");
        if (announcer != null) {
            announcer.start(ctx.threadName() + " schemas");
        }
    }

    @Override
    public void onBatch(RecordBatch batch) {
        aggregation.addBatch(batch, ctx);
    }

    @Override
    public long tickIntervalMillis() {
        return purges.tickIntervalMillis();
    }

    @Override
    public void onTick(long nowMillis) {
        purges.onTick(nowMillis);
        delivery.check();
    }

    /** The last purge, then the buffer's last chance to reach the broker. */
    @Override
    public void close() {
        purges.close();
        writer.awaitTriggers();
        if (announcer != null) {
            announcer.close();
        }
        delivery.close();
    }
}
