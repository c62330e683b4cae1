# lvsd, the parent: supervision, command line, config push.
PARENT_OBJS := parent/lvsd.o parent/proc.o parent/confmsg.o parent/pidfile.o \
	parent/reload.o parent/control.o parent/kernel.o parent/status.o \
	parent/maint.o parent/notify.o parent/autoreload.o parent/hooks.o \
	parent/alerts.o
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
