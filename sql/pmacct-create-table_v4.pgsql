-- pmacct table version 4 for PostgreSQL (jpmacct, same layout as pmacct 1.7.7's typed tables)
-- usage: psql -d pmacct -f pmacct-create-table_v4.pgsql

DROP TABLE IF EXISTS acct_v4;
CREATE TABLE acct_v4 (
    agent_id BIGINT NOT NULL DEFAULT 0,
    mac_src macaddr NOT NULL DEFAULT '0:0:0:0:0:0',
    mac_dst macaddr NOT NULL DEFAULT '0:0:0:0:0:0',
    vlan INT NOT NULL DEFAULT 0,
    ip_src inet NOT NULL DEFAULT '0.0.0.0',
    ip_dst inet NOT NULL DEFAULT '0.0.0.0',
    port_src INT NOT NULL DEFAULT 0,
    port_dst INT NOT NULL DEFAULT 0,
    ip_proto SMALLINT NOT NULL DEFAULT 0,
    tos INT NOT NULL DEFAULT 0,
    packets INT NOT NULL,
    bytes BIGINT NOT NULL,
    flows INT NOT NULL DEFAULT 0,
    stamp_inserted timestamp without time zone NOT NULL DEFAULT '0001-01-01 00:00:00',
    stamp_updated timestamp without time zone,
    CONSTRAINT acct_v4_pk PRIMARY KEY (agent_id, mac_src, mac_dst, vlan, ip_src, ip_dst, port_src, port_dst, ip_proto, tos, stamp_inserted)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON acct_v4 TO pmacct;
