-- the pmacct database and user of the pgsql plugin's defaults (sql_db, sql_user, sql_passwd)
-- usage: psql -d template1 -f pmacct-create-db.pgsql

DROP DATABASE IF EXISTS pmacct;
CREATE DATABASE pmacct;

CREATE USER pmacct;
ALTER USER pmacct WITH PASSWORD 'arealsmartpwd';
