# lvsd-checker: the unprivileged prober.

CHECKER_OBJS := checker/checker.o checker/check.o checker/check_http.o \
	checker/check_tcp.o checker/check_udp.o checker/filter.o \
	checker/fsm.o checker/http_loop.o checker/reload.o checker/sched.o \
	checker/validate.o checker/check_line.o checker/line_mail.o \
	checker/line_simpletcp.o checker/check_dns.o checker/dns_wire.o checker/check_exec.o

$(CHECKER_OBJS): override CPPFLAGS += $(call pc_cflags,libcurl libseccomp)

# Unit tests of the parts that need no network: the state machine,
# CHECK validation, and applying a reload (with the scheduler stubbed).
CHECK_UNIT_TESTS := tests/unit/test_check_fsm tests/unit/test_check_validate \
	tests/unit/test_check_reload tests/unit/test_dns_wire \
	tests/unit/test_check_exec
UNIT_TESTS += $(CHECK_UNIT_TESTS)
$(CHECK_UNIT_TESTS:=.o): override CPPFLAGS += -Ichecker
tests/unit/test_check_fsm: tests/unit/test_check_fsm.o checker/fsm.o
tests/unit/test_check_validate: tests/unit/test_check_validate.o \
	checker/validate.o $(COMMON_OBJS)
tests/unit/test_dns_wire: tests/unit/test_dns_wire.o checker/dns_wire.o
tests/unit/test_check_exec: tests/unit/test_check_exec.o checker/check_exec.o \
	$(COMMON_OBJS)
tests/unit/test_check_reload: tests/unit/test_check_reload.o \
	checker/reload.o checker/check.o checker/validate.o $(COMMON_OBJS)

# The integration driver: plays the parent and ipvsd for lvsd-checker.
CHECKER_DRIVER := tests/integration/checker-driver
all: $(CHECKER_DRIVER)
$(CHECKER_DRIVER): tests/integration/checker-driver.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,libbsd-overlay)
clean: checker-clean
.PHONY: checker-clean
checker-clean:
	rm -f $(CHECKER_DRIVER)
