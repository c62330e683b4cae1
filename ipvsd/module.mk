# lvsd-ipvsd: the only process that changes the IPVS table.

IPVSD_OBJS := ipvsd/ipvsd.o ipvsd/table.o ipvsd/plan.o ipvsd/describe.o \
	ipvsd/netlink.o ipvsd/filter.o ipvsd/sync.o

$(IPVSD_OBJS): override CPPFLAGS += $(call pc_cflags,libnl-genl-3.0 libseccomp)

# The planner and the table, without a kernel.
UNIT_TESTS += tests/unit/test_ipvs_plan
tests/unit/test_ipvs_plan.o: override CPPFLAGS += -Iipvsd
tests/unit/test_ipvs_plan: tests/unit/test_ipvs_plan.o ipvsd/plan.o \
	ipvsd/table.o ipvsd/describe.o $(COMMON_OBJS)

# The integration driver: plays the parent and the checker for lvsd-ipvsd.
IPVSD_DRIVER := tests/integration/ipvsd-driver
all: $(IPVSD_DRIVER)
$(IPVSD_DRIVER): tests/integration/ipvsd-driver.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pc_libs,libbsd-overlay)

# The sync directives, MSG_SYNC and the sync daemons' plan, without a kernel.
UNIT_TESTS += tests/unit/test_sync
tests/unit/test_sync.o: override CPPFLAGS += -Iipvsd
tests/unit/test_sync: tests/unit/test_sync.o ipvsd/sync.o $(CONF_OBJS) \
	$(COMMON_OBJS)
