# lvsd-checker: the unprivileged prober.

CHECKER_OBJS := checker/checker.o checker/check.o checker/check_http.o \
	checker/check_tcp.o checker/check_udp.o checker/sock.o checker/filter.o \
	checker/fsm.o checker/http_loop.o checker/reload.o checker/sched.o \
	checker/validate.o checker/check_line.o checker/line_mail.o \
	checker/line_simpletcp.o checker/check_dns.o checker/dns_wire.o
# one line per protocol family, so that each adds its own
CHECKER_OBJS += checker/md5.o checker/check_exchange.o \
	checker/check_radius.o checker/check_sip.o checker/radius_wire.o \
	checker/sip_wire.o
CHECKER_OBJS += checker/line_ftp.o checker/ftp_reply.o checker/line_ldap.o \
	checker/ldap_ber.o
CHECKER_OBJS += checker/check_ping.o checker/icmp_wire.o
CHECKER_OBJS += checker/check_sql.o checker/sql_mysql.o checker/sql_pgsql.o \
	checker/sql_wire.o checker/sha1.o checker/sha256.o
CHECKER_OBJS += checker/tls_conn.o checker/tls_ca.o
CHECKER_OBJS += checker/check_exec.o
CHECKER_OBJS += checker/check_simpleudp.o checker/sched_offset.o
CHECKER_OBJS += checker/alert.o checker/alert_smtp.o
CHECKER_OBJS += checker/stats.o
CHECKER_OBJS += checker/check_http_plain.o checker/http_reply.o checker/quote.o
CHECKER_OBJS += checker/sched_gate.o
# the shape of a receive expression, as the parser checks it
CHECKER_OBJS += conf/ere.o

$(CHECKER_OBJS): override CPPFLAGS += $(call pc_cflags,libcurl libseccomp)

# Unit tests of the parts that need no network: the state machine,
# CHECK validation, and applying a reload (with the scheduler stubbed).
CHECK_UNIT_TESTS := tests/unit/test_check_fsm tests/unit/test_check_validate \
	tests/unit/test_check_reload tests/unit/test_dns_wire
CHECK_UNIT_TESTS += tests/unit/test_md5 tests/unit/test_radius_sip_wire
CHECK_UNIT_TESTS += tests/unit/test_ftp_ldap_wire
CHECK_UNIT_TESTS += tests/unit/test_icmp_wire
CHECK_UNIT_TESTS += tests/unit/test_sha tests/unit/test_sql
CHECK_UNIT_TESTS += tests/unit/test_check_exec
CHECK_UNIT_TESTS += tests/unit/test_sched_offset tests/unit/test_simpleudp
CHECK_UNIT_TESTS += tests/unit/test_alert tests/unit/test_ev
CHECK_UNIT_TESTS += tests/unit/test_http_reply tests/unit/test_log_queue \
    tests/unit/test_log_hold
CHECK_UNIT_TESTS += tests/unit/test_sched_gate
UNIT_TESTS += $(CHECK_UNIT_TESTS)
$(CHECK_UNIT_TESTS:=.o): override CPPFLAGS += -Ichecker
tests/unit/test_check_fsm: tests/unit/test_check_fsm.o checker/fsm.o
tests/unit/test_check_validate: tests/unit/test_check_validate.o \
	checker/validate.o conf/ere.o $(COMMON_OBJS)
tests/unit/test_dns_wire: tests/unit/test_dns_wire.o checker/dns_wire.o
tests/unit/test_md5: tests/unit/test_md5.o checker/md5.o
tests/unit/test_radius_sip_wire: tests/unit/test_radius_sip_wire.o \
	checker/radius_wire.o checker/sip_wire.o checker/md5.o
tests/unit/test_ftp_ldap_wire: tests/unit/test_ftp_ldap_wire.o \
	checker/ldap_ber.o checker/ftp_reply.o
tests/unit/test_icmp_wire: tests/unit/test_icmp_wire.o checker/icmp_wire.o
tests/unit/test_sha: tests/unit/test_sha.o checker/sha1.o checker/sha256.o
tests/unit/test_sql: tests/unit/test_sql.o checker/sql_wire.o \
	checker/sql_mysql.o checker/sql_pgsql.o checker/sha1.o checker/sha256.o \
	checker/md5.o
tests/unit/test_check_exec: tests/unit/test_check_exec.o checker/check_exec.o \
	$(COMMON_OBJS)
tests/unit/test_sched_offset: tests/unit/test_sched_offset.o \
	checker/sched_offset.o
tests/unit/test_simpleudp: tests/unit/test_simpleudp.o \
	checker/check_simpleudp.o checker/line_simpletcp.o checker/sip_wire.o \
	$(COMMON_OBJS)
tests/unit/test_alert: tests/unit/test_alert.o checker/alert.o $(COMMON_OBJS)
tests/unit/test_ev: tests/unit/test_ev.o $(COMMON_OBJS)
tests/unit/test_log_queue: tests/unit/test_log_queue.o $(COMMON_OBJS)
tests/unit/test_log_hold: tests/unit/test_log_hold.o $(COMMON_OBJS)
tests/unit/test_sched_gate: tests/unit/test_sched_gate.o checker/sched_gate.o \
	$(COMMON_OBJS)
tests/unit/test_http_reply: tests/unit/test_http_reply.o checker/http_reply.o \
	checker/check_http_plain.o checker/quote.o $(COMMON_OBJS)
tests/unit/test_check_reload: tests/unit/test_check_reload.o \
	checker/reload.o checker/check.o checker/validate.o conf/ere.o \
	$(COMMON_OBJS)

# The integration driver: plays the parent and ipvsd for lvsd-checker.
CHECKER_DRIVER := tests/integration/checker-driver
all: $(CHECKER_DRIVER)
$(CHECKER_DRIVER): tests/integration/checker-driver.o $(COMMON_OBJS) \
    common/icmpsock.o
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,libbsd-overlay)
# What a compromised checker can do with its raw ICMP sockets, under the
# production filter (tests/integration/38-checker-ping.t).
FILTER_PROBE := tests/integration/checker-filter-probe
all: $(FILTER_PROBE)
tests/integration/checker-filter-probe.o: override CPPFLAGS += -Ichecker
$(FILTER_PROBE): tests/integration/checker-filter-probe.o checker/filter.o \
    common/icmpsock.o $(COMMON_OBJS) $(SANDBOX_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,libseccomp libbsd-overlay)
clean: checker-clean
.PHONY: checker-clean
checker-clean:
	rm -f $(CHECKER_DRIVER) $(FILTER_PROBE)
