#!/bin/bash
# lvsd-checker's mysql and pgsql checks against Debian's MariaDB and
# PostgreSQL 15, each initialised into the test's directory and run in
# the foreground on its own 127.0.37.x address: a login that runs a
# query returning a row (up), one returning none, a wrong password, a
# missing database, a failing query (down, the server's words quoted),
# then the servers stopped (down).  PostgreSQL has one user per
# authentication method: scram-sha-256, md5, password (cleartext) and
# trust.  Needs root but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v mariadbd >/dev/null || plan skip_all "no mariadb-server (make deps)"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/postgres" ] || plan skip_all "no postgresql (make deps)"

plan 38

listening() { ss -Hltn "src $1" | grep -q .; }
gone() { ! kill -0 "$1" 2>/dev/null; }
secs() { echo $(($(_t_now_us) / 1000000)); }
# the directories of both servers are reached by their own users
chmod 0711 "$TEST_TMP"

# ---- MariaDB on 127.0.37.1:3306 ----------------------------------------------

# small buffers, no binary log, no flushing: the VM is slow enough
my=$TEST_TMP/mariadb
mkdir -p "$my"
myopts=(--no-defaults --datadir="$my/data" --user=root
	--innodb-buffer-pool-size=8M --innodb-log-file-size=4M
	--innodb-flush-log-at-trx-commit=0 --skip-log-bin --skip-name-resolve)
cat >"$my/init.sql" <<'SQL'
CREATE DATABASE probe;
CREATE TABLE probe.t (x INT);
INSERT INTO probe.t VALUES (1);
CREATE USER 'lvs'@'%' IDENTIFIED BY 's3cret';
GRANT SELECT ON probe.* TO 'lvs'@'%';
SQL
# initdb runs meanwhile: under the VM's emulation each takes a minute
pg=$TEST_TMP/pgsql
mkdir -p "$pg/sock"
chown -R postgres: "$pg"
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
t_initdb=$(secs)
{ as_pg "$pgbin/initdb" -D "$pg/data" -U postgres -A trust --no-sync \
	--no-instructions >"$pg/initdb.log" 2>&1; rc=$?; secs >"$pg/initdb.end"
	exit $rc; } &
initdb_pid=$!
_t_pids+=("$initdb_pid")
t0=$(secs)
mariadb-install-db "${myopts[@]}" --auth-root-authentication-method=normal \
	--skip-test-db >"$my/install.log" 2>&1 ||
	bail_out "mariadb-install-db failed: $(tail -n 20 "$my/install.log")"
note "mariadb-install-db took $(($(secs) - t0)) s"
t0=$(secs)
spawn mariadbd "${myopts[@]}" --bind-address=127.0.37.1 --port=3306 \
	--socket="$my/sock" --pid-file="$my/pid" --init-file="$my/init.sql" \
	--log-error="$my/error.log"
my_pid=$spawned_pid
wait_for 300 listening 127.0.37.1:3306 ||
	bail_out "mariadbd did not start: $(tail -n 20 "$my/error.log")"
note "mariadbd took $(($(secs) - t0)) s to listen"

# ---- PostgreSQL on 127.0.37.2:5432 -------------------------------------------

wait "$initdb_pid" ||
	bail_out "initdb failed: $(tail -n 20 "$pg/initdb.log")"
note "initdb took $(($(cat "$pg/initdb.end") - t_initdb)) s"
cat >"$pg/data/pg_hba.conf" <<'HBA'
local	all	postgres			trust
host	all	lvs_scram	127.0.0.0/8	scram-sha-256
host	all	lvs_md5		127.0.0.0/8	md5
host	all	lvs_clear	127.0.0.0/8	password
host	all	lvs_trust	127.0.0.0/8	trust
HBA
t0=$(secs)
spawn setpriv --reuid=postgres --regid=postgres --init-groups "$pgbin/postgres" -D "$pg/data" -k "$pg/sock" \
	-c listen_addresses=127.0.37.2 -p 5432 -c fsync=off \
	-c shared_buffers=1MB -c max_connections=40 -c max_wal_senders=0 \
	-c superuser_reserved_connections=0 \
	-c logging_collector=off
pg_pid=$spawned_pid
pg_log=$spawned_log
wait_for 300 listening 127.0.37.2:5432 ||
	bail_out "postgres did not start: $(tail -n 20 "$pg_log")"
note "postgres took $(($(secs) - t0)) s to listen"
psql_pg() {
	as_pg "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg/sock" -U postgres \
		"$@"
}
psql_pg -d postgres <<'SQL' >"$pg/setup.log" 2>&1 ||
CREATE DATABASE probe;
SET password_encryption = 'scram-sha-256';
CREATE USER lvs_scram PASSWORD 's3cret';
CREATE USER lvs_clear PASSWORD 's3cret';
CREATE USER lvs_trust;
SET password_encryption = 'md5';
CREATE USER lvs_md5 PASSWORD 's3cret';
SQL
	bail_out "postgres setup failed: $(cat "$pg/setup.log")"
psql_pg -d probe <<'SQL' >>"$pg/setup.log" 2>&1 ||
CREATE TABLE t (x INT);
INSERT INTO t VALUES (1);
GRANT SELECT ON t TO PUBLIC;
SQL
	bail_out "postgres setup failed: $(cat "$pg/setup.log")"

# ---- the checks --------------------------------------------------------------

checker_driver_start
ok "the checker says it is ready" wait_for 10 has ready

m="mysql tcp 127.0.37.1 3306 ntimeout=60000"
p="pgsql tcp 127.0.37.2 5432 ntimeout=60000"
q=query=SELECT+x+FROM+t
q0=query=SELECT+x+FROM+t+WHERE+x=0
send peer \
	"check 0 $m login=lvs passwd=s3cret database=probe $q" \
	"check 1 $m login=lvs passwd=s3cret database=probe $q0" \
	"check 2 $m login=lvs passwd=wrong database=probe $q" \
	"check 3 $m login=lvs passwd=s3cret database=nodb $q" \
	"check 4 $m login=lvs passwd=s3cret database=probe query=SELECT+nope" \
	"check 5 $p login=lvs_scram passwd=s3cret database=probe $q" \
	"check 6 $p login=lvs_scram passwd=s3cret database=probe $q0" \
	"check 7 $p login=lvs_scram passwd=wrong database=probe $q" \
	"check 8 $p login=lvs_scram passwd=s3cret database=nodb $q" \
	"check 9 $p login=lvs_scram passwd=s3cret database=probe query=SELECT+nope" \
	"check 10 $p login=lvs_clear passwd=s3cret database=probe $q" \
	"check 11 $p login=lvs_clear passwd=wrong database=probe $q" \
	"check 12 $p login=lvs_trust database=probe $q" \
	"check 13 $p login=lvs_md5 passwd=s3cret database=probe $q" \
	"check 14 $p login=lvs_md5 passwd=wrong database=probe $q" \
	"conf 1 15"

expect_wait=120
expect 0 up "mysql: 1 row" "mariadb, a query with a row: up"
expect 1 down "mysql: the query returned no rows" \
	"mariadb, a query with no row: down"
expect 2 down "mysql: login refused: 'Access denied for user 'lvs'@.*" \
	"mariadb, a wrong password: down"
expect 3 down "mysql: login refused: 'Access denied for user 'lvs'@'%' to database 'nodb''" \
	"mariadb, a database the user may not see (or missing): down"
expect 4 down "mysql: query failed: 'Unknown column 'nope'.*" \
	"mariadb, a failing query: down"
expect 5 up "pgsql: 1 row" "postgres scram-sha-256, a query with a row: up"
expect 6 down "pgsql: the query returned no rows" \
	"postgres, a query with no row: down"
expect 7 down "pgsql: refused: 'password authentication failed for user \"lvs_scram\"'" \
	"postgres scram-sha-256, a wrong password: down"
expect 8 down "pgsql: refused: 'database \"nodb\" does not exist'" \
	"postgres, a missing database: down"
expect 9 down "pgsql: query failed: 'column \"nope\" does not exist'" \
	"postgres, a failing query: down"
expect 10 up "pgsql: 1 row" "postgres cleartext password: up"
expect 11 down "pgsql: refused: 'password authentication failed for user \"lvs_clear\"'" \
	"postgres cleartext, a wrong password: down"
expect 12 up "pgsql: 1 row" "postgres trust: up"
expect 13 up "pgsql: 1 row" "postgres md5: up"
expect 14 down "pgsql: refused: 'password authentication failed for user \"lvs_md5\"'" \
	"postgres md5, a wrong password: down"

# ---- the servers stopped -----------------------------------------------------

t0=$(secs)
kill -TERM "$my_pid"
ok "mariadbd stops" wait_for 300 gone "$my_pid"
kill -INT "$pg_pid"	# postgres' fast shutdown
ok "postgres stops" wait_for 300 gone "$pg_pid"
note "the servers took $(($(secs) - t0)) s to stop"
# a probe during the shutdown may have seen it ("shutting down", a closed
# connection) and only a change of verdict is reported: probe anew
send "check 0 $m ntimeout=50000 login=lvs passwd=s3cret database=probe $q" \
	"check 1 $p ntimeout=50000 login=lvs_scram passwd=s3cret database=probe $q" \
	"conf 2 2"
ok "mariadb stopped: down" wait_for 60 has "state 2 0 down"
like "$(grep "^result 2 0 " "$out" | head -n 1)" \
	"^result 2 0 down down [0-9]+ mysql: connect: Connection refused$" \
	"  because: connection refused"
ok "postgres stopped: down" wait_for 60 has "state 2 1 down"
like "$(grep "^result 2 1 " "$out" | head -n 1)" \
	"^result 2 1 down down [0-9]+ pgsql: connect: Connection refused$" \
	"  because: connection refused"

nok "no probe was killed by the sandbox" has_re "^killed"
send quit
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")" \
	"mariadb:" "$(tail -n 30 "$my/error.log")" "postgres:" "$(tail -n 30 "$pg_log")"
