/*
 * Check metrics: the checker's counting (checker/stats.c: reason
 * classes, latency buckets), the STATS message's validation (forged
 * counts drop the checker), the parent's adding up and its Prometheus
 * text (parent/metrics.c).
 */
#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "checker.h"
#include "conf.h"
#include "log.h"
#include "lvsd.h"

struct lvsd_env	*env;
static struct lvsd_env	 the_env;
static struct rcounts	 counts[2];

struct rcounts *
status_counts(uint32_t id)
{
	return id < 2 ? &counts[id] : NULL;
}

static void
test_classes(void)
{
	static const struct {
		const char	*why;
		int		 class;
	} t[] = {
		{ "connect: Connection refused", FAIL_REFUSED },
		{ "http: Connection reset by peer", FAIL_REFUSED },
		{ "ping: No route to host", FAIL_UNREACHABLE },
		{ "connect: Network is unreachable", FAIL_UNREACHABLE },
		{ "timeout after 3000 ms", FAIL_TIMEOUT },
		{ "radius: no reply within 3000 ms", FAIL_TIMEOUT },
		{ "ping: no echo reply within 500 ms", FAIL_TIMEOUT },
		{ "external: timed out after 1000 ms, killed", FAIL_TIMEOUT },
		{ "pop: connection closed", FAIL_CLOSED },
		{ "connect: hung up", FAIL_CLOSED },
		{ "http: body does not match '^OK'", FAIL_MISMATCH },
		{ "http: status 503", FAIL_MISMATCH },
		{ "pop: LOGIN refused: '-ERR bad'", FAIL_MISMATCH },
		{ "dns: rcode 3", FAIL_MISMATCH },
		{ "external: exit status 1", FAIL_MISMATCH },
		{ "ldap: a malformed message, or one longer than 4096",
		    FAIL_PROTOCOL },
		{ "ftp: not an FTP reply: 'x'", FAIL_PROTOCOL },
		{ "mysql: a handshake cut short", FAIL_PROTOCOL },
		{ "http: curl_easy_init failed", FAIL_OTHER },
		{ "", FAIL_OTHER },
	};
	size_t	 i;
	char	 d[160];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(d, sizeof(d), "'%s' is %s", t[i].why,
		    metrics_reason_name(t[i].class));
		is_int(stats_fail_class(t[i].why), t[i].class, d);
	}
}

static void
test_count(void)
{
	struct msg_stats	 sa;

	is_int(stats_bucket(0), 0, "0 us: the first bucket");
	is_int(stats_bucket(1000), 0, "1 ms: the first bucket (le)");
	is_int(stats_bucket(1001), 1, "1.001 ms: the second");
	is_int(stats_bucket(5000000), 7, "5 s: the last bounded bucket");
	is_int(stats_bucket(UINT32_MAX), MSG_STATS_BUCKETS - 1, "longer: +Inf");
	memset(&sa, 0, sizeof(sa));
	stats_count(&sa, 1, "http: status 200", 2000);
	stats_count(&sa, 0, "connect: Connection refused", 300);
	stats_count(&sa, 0, "timeout after 3000 ms", 3000000);
	is_int(sa.sa_checks, 3, "three checks counted");
	is_int(sa.sa_latency_us, 3002300, "their latencies summed");
	ok(sa.sa_fails[FAIL_REFUSED] == 1 && sa.sa_fails[FAIL_TIMEOUT] == 1 &&
	    sa.sa_fails[FAIL_MISMATCH] == 0, "two failures, by class");
	ok(sa.sa_buckets[0] == 1 && sa.sa_buckets[1] == 1 &&
	    sa.sa_buckets[7] == 1, "one check in each of three buckets");
	ok(msg_stats_ok(&sa), "what the checker counts is valid");
	sa.sa_checks = UINT32_MAX;
	stats_count(&sa, 0, "x", 1);
	is_int(sa.sa_checks, UINT32_MAX, "a full counter stops, not wraps");
}

static struct msg_stats
good(uint32_t id)
{
	struct msg_stats	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_id = id;
	sa.sa_checks = 4;
	sa.sa_fails[FAIL_TIMEOUT] = 3;
	sa.sa_buckets[2] = 1;
	sa.sa_buckets[MSG_STATS_BUCKETS - 1] = 3;
	sa.sa_latency_us = 9000000;
	return sa;
}

static void
test_validate(void)
{
	struct msg_stats	 sa;

	sa = good(0);
	ok(msg_stats_ok(&sa), "consistent counts: valid");
	sa.sa_checks = 0;
	memset(sa.sa_fails, 0, sizeof(sa.sa_fails));
	memset(sa.sa_buckets, 0, sizeof(sa.sa_buckets));
	sa.sa_latency_us = 0;
	ok(!msg_stats_ok(&sa), "no checks: refused (never sent)");
	sa = good(0);
	sa.sa_fails[FAIL_OTHER] = 2;
	ok(!msg_stats_ok(&sa), "more failures than checks: refused");
	sa = good(0);
	sa.sa_fails[FAIL_REFUSED] = UINT32_MAX;
	sa.sa_fails[FAIL_OTHER] = 2;
	ok(!msg_stats_ok(&sa), "failures that wrap 32 bits: refused");
	sa = good(0);
	sa.sa_buckets[0] = 1;
	ok(!msg_stats_ok(&sa), "more checks in buckets than checks: refused");
	sa = good(0);
	sa.sa_buckets[2] = 0;
	ok(!msg_stats_ok(&sa), "a check in no bucket: refused");
	sa = good(0);
	sa.sa_buckets[1] = UINT32_MAX;
	sa.sa_buckets[2] = 2;
	ok(!msg_stats_ok(&sa), "buckets that wrap 32 bits: refused");
	sa = good(0);
	sa.sa_latency_us = 4ULL * UINT32_MAX + 1;
	ok(!msg_stats_ok(&sa), "a latency no check can take: refused");
}

/* A channel whose other end we hold: open until metrics drops it. */
static void
chan(struct msg_chan *mc, int *other)
{
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		abort();
	memset(mc, 0, sizeof(*mc));
	msg_chan_init(mc, sv[0], "checker", MSG_ALLOW(MSG_STATS), NULL, NULL,
	    NULL);
	*other = sv[1];
}

static void
test_handler(void)
{
	struct msg_chan		 mc;
	struct msg_stats	 sa;
	int			 other;

	env = &the_env;
	env->e_gen = 5;
	memset(counts, 0, sizeof(counts));
	chan(&mc, &other);
	sa = good(1);
	metrics_stats(&mc, 5, &sa);
	metrics_stats(&mc, 5, &sa);
	ok(msg_chan_open(&mc), "good STATS: the checker stays");
	ok(counts[1].rc_checks == 8 && counts[1].rc_fails[FAIL_TIMEOUT] == 6 &&
	    counts[1].rc_buckets[MSG_STATS_BUCKETS - 1] == 6 &&
	    counts[1].rc_latency_us == 18000000, "added up");
	metrics_stats(&mc, 4, &sa);
	ok(msg_chan_open(&mc) && counts[1].rc_checks == 8,
	    "an older generation: ignored quietly");
	sa = good(2);
	metrics_stats(&mc, 5, &sa);
	ok(!msg_chan_open(&mc), "an id out of range drops the checker");
	close(other);
	chan(&mc, &other);
	sa = good(0);
	metrics_stats(&mc, 6, &sa);
	ok(!msg_chan_open(&mc) && counts[0].rc_checks == 0,
	    "a generation from the future drops the checker");
	close(other);
	chan(&mc, &other);
	sa = good(0);
	sa.sa_fails[FAIL_CLOSED] = 5;
	metrics_stats(&mc, 5, &sa);
	ok(!msg_chan_open(&mc) && counts[0].rc_checks == 0,
	    "forged counts drop the checker, count nothing");
	close(other);
	counts[0].rc_checks = UINT64_MAX - 1;
	sa = good(0);
	metrics_add(&counts[0], &sa);
	ok(counts[0].rc_checks == UINT64_MAX, "a total saturates");
}

static void
test_write(void)
{
	struct conf_virtual	 v;
	struct conf_real	 r;
	struct rstatus		 st;
	struct msg_stats	 sa;
	char			 lb[METRICS_LABELS_LEN];
	char			*text = NULL;
	size_t			 len = 0;
	FILE			*f;

	memset(&v, 0, sizeof(v));
	memset(&r, 0, sizeof(r));
	memset(&st, 0, sizeof(st));
	v.v_proto = PROTO_TCP;
	addr_parse("192.0.2.10", AF_INET, &v.v_addr);
	v.v_port = 80;
	addr_parse("2001:db8::2", AF_INET6, &r.r_addr);
	r.r_port = 8080;
	st.st_v = &v;
	st.st_r = &r;
	sa = good(0);
	metrics_add(&st.st_counts, &sa);
	if ((f = open_memstream(&text, &len)) == NULL)
		abort();
	metrics_write(f, &st, 1);
	fclose(f);
	like(text, "# TYPE lvsd_real_checks_total counter\n"
	    "lvsd_real_checks_total{virtual=\"TCP 192.0.2.10:80\","
	    "real=\"[2001:db8::2]:8080\"} 4\n", "checks, with its labels");
	like(text, "lvsd_real_check_failures_total{virtual=\"TCP "
	    "192.0.2.10:80\",real=\"[2001:db8::2]:8080\",reason=\"timeout\"} 3\n",
	    "failures by reason");
	like(text, "reason=\"refused\"} 0\n", "a reason with none: 0");
	like(text, "# TYPE lvsd_real_check_duration_seconds histogram\n",
	    "a histogram");
	like(text, "lvsd_real_check_duration_seconds_bucket{virtual=\"TCP "
	    "192.0.2.10:80\",real=\"[2001:db8::2]:8080\",le=\"0.005\"} 0\n",
	    "an empty bucket");
	like(text, ",le=\"0.01\"} 1\n", "le 10 ms: one");
	like(text, ",le=\"5\"} 1\n", "le 5 s: still one (cumulative)");
	like(text, ",le=\"+Inf\"} 4\n", "+Inf: every check");
	like(text, "lvsd_real_check_duration_seconds_sum{virtual=\"TCP "
	    "192.0.2.10:80\",real=\"[2001:db8::2]:8080\"} 9.000000\n", "sum");
	like(text, "lvsd_real_check_duration_seconds_count{virtual=\"TCP "
	    "192.0.2.10:80\",real=\"[2001:db8::2]:8080\"} 4\n", "count");
	free(text);
	v.v_proto = PROTO_FWM;
	v.v_fwmark = 7;
	metrics_labels(&st, lb, sizeof(lb));
	is_str(lb, "virtual=\"FWM 7\",real=\"[2001:db8::2]:8080\"",
	    "a fwmark virtual's labels");
}

int
main(void)
{
	log_init(1, 0);
	ev_init();
	test_classes();
	test_count();
	test_validate();
	test_handler();
	test_write();
	return tap_done();
}
