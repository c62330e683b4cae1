# lvsd, the parent: supervision, command line, config push.
PARENT_OBJS := parent/lvsd.o parent/proc.o parent/confmsg.o parent/pidfile.o \
	parent/reload.o parent/control.o parent/kernel.o parent/status.o \
	parent/maint.o parent/notify.o parent/autoreload.o parent/hooks.o \
	parent/monitor.o parent/execute.o parent/alerts.o
PARENT_OBJS += parent/metrics.o parent/maintdir.o parent/maintname.o
# sorted lookups of what a reload keeps
PARENT_OBJS += parent/keyidx.o
# the sync daemons in show and metrics; unit-tested alone
PARENT_OBJS += parent/showsync.o
UNIT_TESTS += tests/unit/test_showsync
tests/unit/test_showsync.o: override CPPFLAGS += -Iparent
tests/unit/test_showsync: tests/unit/test_showsync.o parent/showsync.o \
	$(COMMON_OBJS)
# the raw ICMP sockets it opens for the checker (the checker-driver too)
PARENT_OBJS += common/icmpsock.o
# The checker's validation of a CHECK, run on every check at load: what
# the checker would refuse is refused before it is sent (confmsg.c).
PARENT_OBJS += checker/validate.o
parent/confmsg.o: override CPPFLAGS += -Ichecker
# E-mail alerts: composed here, checked with the checker's own
# alert_validate() so that the checker never refuses one, sent by it.
PARENT_OBJS += parent/mailalert.o checker/alert.o
parent/mailalert.o parent/alerts.o: override CPPFLAGS += -Ichecker
UNIT_TESTS += tests/unit/test_mailalert
tests/unit/test_mailalert.o: override CPPFLAGS += -Ichecker -Iparent
tests/unit/test_mailalert: tests/unit/test_mailalert.o parent/mailalert.o \
	checker/alert.o $(COMMON_OBJS)
# maintenance names and the reading of maintenancedir; check metrics
UNIT_TESTS += tests/unit/test_maintdir tests/unit/test_metrics
tests/unit/test_maintdir.o tests/unit/test_metrics.o: \
	override CPPFLAGS += -Iparent -Ichecker
tests/unit/test_maintdir: tests/unit/test_maintdir.o parent/maintname.o \
	$(COMMON_OBJS)
tests/unit/test_metrics: tests/unit/test_metrics.o parent/metrics.o \
	checker/stats.o $(COMMON_OBJS)
# the sorted lookups of a reload
UNIT_TESTS += tests/unit/test_keyidx
tests/unit/test_keyidx.o: override CPPFLAGS += -Iparent
tests/unit/test_keyidx: tests/unit/test_keyidx.o parent/keyidx.o \
	$(COMMON_OBJS)

# A compromised checker, for the parent's side of the checker's channel
# (tests/integration/51-forged-result.t).
FAKE_CHECKER := tests/integration/fake-checker
all: $(FAKE_CHECKER)
$(FAKE_CHECKER): tests/integration/fake-checker.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,libbsd-overlay)
clean: parent-clean
.PHONY: parent-clean
parent-clean:
	rm -f $(FAKE_CHECKER)
