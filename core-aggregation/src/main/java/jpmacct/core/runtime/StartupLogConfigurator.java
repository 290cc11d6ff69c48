package jpmacct.core.runtime;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, found through ServiceLoader: the daemon configures logging itself
 * ({@link Logging}), so logback's own search for logback.xml and its default console setup are skipped; that
 * search took about a tenth of a second of every start.
 */
public final class StartupLogConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logging.configure(context, "default/core", false, java.util.Set.of(), null, null, Logging.Console.AUTO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
