# conf/: the ldirectord.cf parser, linked into the parent only.

CONF_OBJS := conf/parse.o conf/lex.o conf/directives.o conf/values.o \
	conf/address.o conf/servers.o conf/resolve.o conf/print.o \
	conf/errors.o conf/dir_ipvs.o conf/dir_strings.o conf/dir_alert.o \
	conf/dir_global.o conf/dir_tls.o conf/hints.o conf/quirks.o \
	conf/dir_sync.o conf/ere.o

# The parser needs only addr.o of common/, so its test does not wait
# for the rest of common/.
UNIT_TESTS += tests/unit/test_conf
tests/unit/test_conf: tests/unit/test_conf.o $(CONF_OBJS) common/addr.o

UNIT_TESTS += tests/unit/test_conf_dirs
tests/unit/test_conf_dirs: tests/unit/test_conf_dirs.o $(CONF_OBJS) \
	common/addr.o

UNIT_TESTS += tests/unit/test_conf_roundtrip
tests/unit/test_conf_roundtrip: tests/unit/test_conf_roundtrip.o \
	$(CONF_OBJS) common/addr.o

# The parser's libFuzzer target, built by clang only, on request:
#   make tests/fuzz/conf_fuzz
#   tests/fuzz/conf_fuzz -max_len=4096 tests/fuzz/corpus/conf
CONF_FUZZ_CC ?= clang
tests/fuzz/conf_fuzz: tests/fuzz/conf_fuzz.c $(CONF_OBJS:.o=.c) common/addr.c
	@command -v $(CONF_FUZZ_CC) >/dev/null || \
	    { echo "$@ needs $(CONF_FUZZ_CC)"; exit 1; }
	$(CONF_FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	    -D_GNU_SOURCE -Icommon -Iconf \
	    $(shell $(PKG_CONFIG) --cflags libbsd-overlay 2>/dev/null) \
	    -o $@ $^ $(shell $(PKG_CONFIG) --libs libbsd-overlay 2>/dev/null)

# confmsg.c against the checker's validation of what it sends.
UNIT_TESTS += tests/unit/test_confmsg
tests/unit/test_confmsg.o: override CPPFLAGS += -Ichecker -Iparent
tests/unit/test_confmsg: tests/unit/test_confmsg.o parent/confmsg.o \
	checker/validate.o parent/mailalert.o checker/alert.o $(CONF_OBJS) \
	$(COMMON_OBJS)


# monitorfile=: the line, and the file appended to.
UNIT_TESTS += tests/unit/test_monitor
tests/unit/test_monitor.o: override CPPFLAGS += -Iparent
tests/unit/test_monitor: tests/unit/test_monitor.o parent/monitor.o \
	$(CONF_OBJS) $(COMMON_OBJS)


# parent/alerts.c parses its configs here, so after CONF_OBJS.
UNIT_TESTS += tests/unit/test_alerts
tests/unit/test_alerts.o: override CPPFLAGS += -Ichecker -Iparent
tests/unit/test_alerts: tests/unit/test_alerts.o parent/alerts.o parent/keyidx.o \
	parent/mailalert.o checker/alert.o $(CONF_OBJS) $(COMMON_OBJS)
