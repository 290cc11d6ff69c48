package jpmacct.core.redis;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.HostPort;

/**
 * Where and as what a daemon announces itself in Redis: redis_host, redis_passwd, redis_db, cluster_name,
 * cluster_id.
 *
 * @param host     as configured (a name is resolved at each connection)
 * @param password null for none
 */
public record RedisSettings(String host, int port, String password, long db, String clusterName, long clusterId) {
    /** Between the parts of a key, as pmacct joins them. */
    public static final String SEPARATOR = "+";

    /** The settings of a resolved configuration; null when redis_host is not set. */
    public static RedisSettings of(DaemonConfig config) throws ConfigException {
        String hostPort = config.get(CoreKeys.REDIS_HOST);
        if (hostPort == null) {
            return null;
        }
        String clusterName = config.get(CoreKeys.CLUSTER_NAME);
        if (clusterName == null) {
            throw new ConfigException(config.whereSet(CoreKeys.REDIS_HOST) + ": key 'redis_host' requires "
                    + "cluster_name, the cluster the daemon's keys are written under; expected e.g. 'cluster_name: "
                    + config.daemon().programName() + "'");
        }
        String[] parts = HostPort.split(hostPort);
        return new RedisSettings(parts[0], Integer.parseInt(parts[1]), config.get(CoreKeys.REDIS_PASSWD),
                config.get(CoreKeys.REDIS_DB), clusterName, config.get(CoreKeys.CLUSTER_ID));
    }

    /** A key of this daemon's cluster: cluster_name+cluster_id+resource. */
    public String key(String resource) {
        return clusterName + SEPARATOR + clusterId + SEPARATOR + resource;
    }

    /** The key saying that a process (the core or a plugin) is alive: {@code ...+process+name+type}. */
    public String processKey(String name, String type) {
        return key("process" + SEPARATOR + name + SEPARATOR + type);
    }
}
