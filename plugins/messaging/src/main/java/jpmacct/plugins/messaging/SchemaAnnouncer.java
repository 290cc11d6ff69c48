package jpmacct.plugins.messaging;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import jpmacct.core.runtime.RateLimitedLog;

/**
 * Publishes the plugin's Avro schemas as pmacct's amqp plugin does with {@code amqp_avro_schema_routing_key}: at
 * start and every {@code amqp_avro_schema_refresh_time} seconds, each schema in a purge_schema message, on a thread
 * of its own (a broker away delays no purge). A failed round is logged (once a minute) and simply comes again.
 */
final class SchemaAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaAnnouncer.class);

    private final MessageSink sink;
    private final Transport.SchemaRoute route;
    private final List<byte[]> messages;
    private final String tag;
    private final RateLimitedLog limited = new RateLimitedLog(LOG, 60_000);
    private ScheduledExecutorService timer;

    SchemaAnnouncer(MessageSink sink, Transport.SchemaRoute route, List<byte[]> messages, String tag) {
        this.sink = sink;
        this.route = route;
        this.messages = messages;
        this.tag = tag;
    }

    void start(String threadName) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::announce, 0, route.refreshSeconds(), TimeUnit.SECONDS);
    }

    private void announce() {
        MDC.put("pm", tag);
        try {
            for (byte[] m : messages) {
                sink.announce(route.destination(), m);
            }
            LOG.debug("{}: {} schemas published to '{}'", route.key(), messages.size(), route.destination());
        } catch (Exception e) {
            limited.warn("schema", route.key() + ": the Avro schemas could not be published to '"
                    + route.destination() + "': " + Delivery.reason(e) + "; tried again in " + route.refreshSeconds()
                    + " s");
        }
    }

    void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
