# lvsd, the parent: supervision, command line, config push.
PARENT_OBJS := parent/lvsd.o parent/proc.o parent/confmsg.o parent/pidfile.o \
	parent/reload.o parent/control.o parent/kernel.o parent/status.o \
	parent/maint.o parent/notify.o parent/autoreload.o
