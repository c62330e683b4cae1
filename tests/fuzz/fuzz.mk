# libFuzzer targets (clang): every tests/fuzz/NAME_fuzz.c is one, built
# with ASan and UBSan into tests/fuzz/build/.  The sources it links are
# FUZZ_SRCS_NAME; a target without that list links common/ and conf/
# (the config parser's fuzzer, say).
#
#   make fuzz           each target for FUZZ_TIME seconds (default 300),
#                       new inputs kept in tests/fuzz/build/corpus/NAME
#   make fuzz-check     each for FUZZ_CHECK_TIME (20) seconds from the
#                       checked-in seeds in tests/fuzz/corpus/NAME only

FUZZ_CC		?= clang
FUZZ_TIME	?= 300
FUZZ_CHECK_TIME	?= 20
FUZZ_DIR	:= tests/fuzz/build
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS	:= -g -O1 -std=gnu11 $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	-Wall -Wextra -Wno-unused-parameter
FUZZ_CPPFLAGS	:= -D_GNU_SOURCE -Icommon -Iconf -Ichecker -Iipvsd \
	$(call pc_cflags,libbsd-overlay libcurl libnl-genl-3.0)

FUZZ_NAMES := $(patsubst tests/fuzz/%_fuzz.c,%,$(wildcard tests/fuzz/*_fuzz.c))
FUZZERS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%_fuzz)

FUZZ_COMMON := common/addr.c common/ev.c common/log.c common/loghold.c \
    common/msg.c
FUZZ_SRCS_msg := $(FUZZ_COMMON)
FUZZ_SRCS_alert := $(FUZZ_COMMON) checker/alert.c
FUZZ_SRCS_check := $(FUZZ_COMMON) checker/check.c checker/validate.c \
	conf/ere.c
FUZZ_SRCS_http := $(FUZZ_SRCS_check) checker/check_http.c checker/tls_ca.c
FUZZ_SRCS_http_reply := checker/http_reply.c checker/quote.c
FUZZ_SRCS_dns := checker/dns_wire.c
FUZZ_SRCS_radius_sip := checker/radius_wire.c checker/sip_wire.c checker/md5.c
FUZZ_SRCS_ldap := checker/ldap_ber.c
FUZZ_SRCS_ftp := checker/ftp_reply.c
FUZZ_SRCS_icmp := checker/icmp_wire.c
FUZZ_SRCS_simpleudp := $(FUZZ_COMMON) checker/check_simpleudp.c \
	checker/line_simpletcp.c checker/sip_wire.c
FUZZ_SRCS_SQL := checker/sql_wire.c checker/sql_mysql.c checker/sql_pgsql.c \
	checker/sha1.c checker/sha256.c checker/md5.c tests/fuzz/sql_feed.c
FUZZ_SRCS_mysql := $(FUZZ_SRCS_SQL)
FUZZ_SRCS_pgsql := $(FUZZ_SRCS_SQL)
FUZZ_SRCS_table := $(FUZZ_COMMON) ipvsd/table.c ipvsd/plan.c \
	ipvsd/describe.c ipvsd/sync.c
FUZZ_SRCS_DEFAULT := $(FUZZ_COMMON) $(CONF_OBJS:.o=.c)
# the libraries each needs: curl for check_http.c's calls
FUZZ_LIBS_http := $(call pc_libs,libcurl)
fuzz_srcs = $(or $(FUZZ_SRCS_$(1)),$(FUZZ_SRCS_DEFAULT))
# (no % here: in a pattern rule's prerequisites it would be the stem)
fuzz_objs = $(addprefix $(FUZZ_DIR)/,$(addsuffix .o,$(basename \
	$(call fuzz_srcs,$(1)))))

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

.SECONDEXPANSION:
$(FUZZ_DIR)/%_fuzz: $(FUZZ_DIR)/tests/fuzz/%_fuzz.o \
    $$(call fuzz_objs,$$*)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ \
	    $(FUZZ_LIBS_$*) $(call pc_libs,libbsd-overlay)

.PHONY: fuzzers fuzz fuzz-check
fuzzers: $(FUZZERS)

fuzz: $(FUZZERS)
	@for n in $(FUZZ_NAMES); do \
	    mkdir -p $(FUZZ_DIR)/corpus/$$n tests/fuzz/corpus/$$n; \
	    sh tests/fuzz/run.sh $(FUZZ_DIR)/$${n}_fuzz $(FUZZ_TIME) \
	        $(FUZZ_DIR)/corpus/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

fuzz-check: $(FUZZERS)
	@for n in $(FUZZ_NAMES); do \
	    rm -rf $(FUZZ_DIR)/scratch/$$n; \
	    mkdir -p $(FUZZ_DIR)/scratch/$$n tests/fuzz/corpus/$$n; \
	    sh tests/fuzz/run.sh $(FUZZ_DIR)/$${n}_fuzz $(FUZZ_CHECK_TIME) \
	        $(FUZZ_DIR)/scratch/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

clean: fuzz-clean
.PHONY: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_DIR)

# The seed corpus, written from the real structures (checked in).
.PHONY: fuzz-seeds
fuzz-seeds: $(FUZZ_DIR)/seeds
	$(FUZZ_DIR)/seeds
$(FUZZ_DIR)/seeds: tests/fuzz/seeds.c common/addr.o
	@mkdir -p $(FUZZ_DIR)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(call pc_libs,libbsd-overlay)

# header dependencies of the fuzz objects
-include $(shell find $(FUZZ_DIR) -name '*.d' 2>/dev/null)
