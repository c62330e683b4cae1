/*
 * When each real server is probed.  Every check has its own timer on the
 * one event loop, so all checks run concurrently and a slow real delays
 * nobody else.
 *
 * The first probes of a config are spread evenly over a window of
 * min(interval, SCHED_SPREAD_MS): check i of n starts i * window / n ms
 * after the config is applied.  Ids are dense (0 .. n-1), so spacing by
 * id gives every two neighbours the same gap, where a hash would clump
 * some.  After that each check runs every interval, counted from the
 * start of its previous probe, so the spread is kept.  The next probe is
 * armed only when the previous one has ended: two probes of one real are
 * never in flight together, and a probe that overruns its interval is
 * followed by the next one at once.
 */
#include <stdint.h>
#include <time.h>

#include "checker.h"
#include "log.h"

/*
 * The first verdicts of a start or a reload come within a second, and
 * even with thousands of reals at most a few probes start per ms.
 */
#define SCHED_SPREAD_MS		1000

static void	sched_fire(void *);

static uint64_t
sched_now_us(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Schedule the first probe of ck, which is check idx of n. */
void
sched_start(struct check *ck, uint32_t idx, uint32_t n)
{
	uint64_t	 window;

	window = ck->ck_msg.ck_interval_ms;
	if (window > SCHED_SPREAD_MS)
		window = SCHED_SPREAD_MS;
	ev_timer_set(&ck->ck_timer, sched_fire, ck);
	ev_timer_add(&ck->ck_timer, n ? (uint64_t)idx * window / n : 0);
	ck->ck_running = 1;
}

static void
sched_fire(void *arg)
{
	struct check	*ck = arg;
	const char	*why;
	int		 up;

	/* on, off, service none: one verdict, then nothing to do */
	if (check_static_verdict(&ck->ck_msg, &up, &why)) {
		checker_verdict(ck, up, 1, why, 0);
		return;
	}
	ck->ck_busy = 1;
	ck->ck_started_ms = ev_now();
	ck->ck_started_us = sched_now_us();
	if (check_is_exec(&ck->ck_msg))
		check_exec_start(ck);
	else if (check_line_handles(&ck->ck_msg))
		check_line_start(ck);
	else if (check_is_dns(&ck->ck_msg))
		check_dns_start(ck);
	else if (ck->ck_msg.ck_type == CHECK_NEGOTIATE)
		check_http_start(ck);
	else if (ck->ck_msg.ck_proto == PROTO_UDP)
		check_udp_start(ck);
	else
		check_tcp_start(ck);
}

/* A probe of ck has ended; arm the next one and report the verdict. */
void
sched_done(struct check *ck, int up, const char *why)
{
	uint64_t	 lat, next, now;

	if (!ck->ck_busy)
		fatalx("%s: no probe of %s in flight", __func__, ck->ck_name);
	ck->ck_busy = 0;
	lat = sched_now_us() - ck->ck_started_us;
	now = ev_now();
	next = ck->ck_started_ms + ck->ck_msg.ck_interval_ms;
	ev_timer_at(&ck->ck_timer, next > now ? next : now);
	checker_verdict(ck, up, 0, why, lat > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)lat);
}

/* Stop ck: no probe in flight, none to come. */
void
sched_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_timer);
	ck->ck_running = 0;
	if (!ck->ck_busy)
		return;
	ck->ck_busy = 0;
	if (check_is_exec(&ck->ck_msg))
		check_exec_stop(ck);
	else if (check_line_handles(&ck->ck_msg))
		check_line_stop(ck);
	else if (check_is_dns(&ck->ck_msg))
		check_dns_stop(ck);
	else if (ck->ck_msg.ck_type == CHECK_NEGOTIATE)
		check_http_stop(ck);
	else if (ck->ck_msg.ck_proto == PROTO_UDP)
		check_udp_stop(ck);
	else
		check_tcp_stop(ck);
}
