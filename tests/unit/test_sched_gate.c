/*
 * The descriptor gate (checker/sched_gate.c): near the limit on open
 * files a due probe waits in line, first come first served; a probe
 * that ends, or a check that stops, lets in those behind that fit; one
 * probe alone always starts, even over a budget smaller than it; probes
 * that hold no descriptor never wait.  The budget comes from the real
 * RLIMIT_NOFILE, set low here.
 */
#include <sys/resource.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "checker.h"
#include "log.h"

/* sched.c's, which decides by the real's config: the test sets it */
int
sched_probe_for(const struct check *ck)
{
	return ck->ck_probe;
}

static void
never(void *arg)
{
	abort();
}

static struct msg_check	 ftp_msg = { .ck_service = SERVICE_FTP };
static struct msg_check	 tcp_msg = { .ck_service = SERVICE_NONE };

static void
check_as(struct check *ck, int probe)
{
	memset(ck, 0, sizeof(*ck));
	ck->ck_probe = (uint8_t)probe;
	ck->ck_msg = probe == PROBE_LINE ? &ftp_msg : &tcp_msg;
	ev_timer_set(&ck->ck_timer, never, NULL);
}

/* Descriptors open now, counted as the gate counts them. */
static rlim_t
open_now(void)
{
	DIR	*d = opendir("/proc/self/fd");
	rlim_t	 n = 0;

	if (d == NULL)
		abort();
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n - 3;	/* ".", ".." and the directory's own */
}

/* A budget of spare / 2 (spare under 64): limit = open + spare. */
static void
budget_of(rlim_t budget)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		abort();
	rl.rlim_cur = open_now() + 2 * budget;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		abort();
	sched_gate_init();
}

int
main(void)
{
	struct check	 f, g, t, u, p;

	ev_init();
	log_init(1, 0);

	/* budget 1: an ftp probe (2 descriptors) alone */
	budget_of(1);
	check_as(&f, PROBE_LINE);
	check_as(&t, PROBE_TCP);
	ok(sched_gate_enter(&f, PROBE_LINE),
	    "an ftp probe starts alone, over a budget of 1");
	ok(!sched_gate_enter(&t, PROBE_TCP), "a tcp probe then waits");
	ok(t.ck_gate_waiting && !ev_timer_pending(&t.ck_timer),
	    "in line, its timer not armed");
	sched_gate_leave(&f);
	ok(t.ck_gate_held == 1 && !t.ck_gate_waiting,
	    "the ftp probe ends: the tcp probe has its slot");
	ok(ev_timer_pending(&t.ck_timer), "and its timer fires at once");
	ok(sched_gate_enter(&t, PROBE_TCP), "fired, it starts");
	check_as(&p, PROBE_PING);
	check_as(&u, PROBE_TCP);
	ok(!sched_gate_enter(&u, PROBE_TCP), "another tcp probe waits");
	ok(sched_gate_enter(&p, PROBE_PING),
	    "a ping, which holds no descriptor, does not");
	sched_gate_leave(&p);
	sched_gate_leave(&t);
	ok(u.ck_gate_held == 1, "the next in line goes in its turn");
	sched_gate_leave(&u);

	/* budget 3: the line is first come, first served */
	budget_of(3);
	check_as(&f, PROBE_LINE);
	check_as(&g, PROBE_LINE);
	check_as(&t, PROBE_TCP);
	check_as(&u, PROBE_TCP);
	ok(sched_gate_enter(&f, PROBE_LINE), "ftp: 2 of 3");
	ok(!sched_gate_enter(&g, PROBE_LINE), "a second ftp waits (4 > 3)");
	ok(!sched_gate_enter(&t, PROBE_TCP),
	    "a tcp probe that would fit waits behind it");
	sched_gate_leave(&g);
	ok(!g.ck_gate_waiting && g.ck_gate_held == 0,
	    "the waiting ftp check stops: it leaves the line");
	ok(t.ck_gate_held == 1, "and the tcp probe behind it, which fits, "
	    "goes in at once");
	ok(!sched_gate_enter(&u, PROBE_TCP), "full (3 of 3): the next waits");
	sched_gate_leave(&t);
	ok(u.ck_gate_held == 1, "a probe ends: the next goes in");
	sched_gate_leave(&u);
	sched_gate_leave(&f);
	check_as(&g, PROBE_LINE);
	ok(sched_gate_enter(&g, PROBE_LINE), "all gone: the next one starts");
	sched_gate_leave(&g);
	return tap_done();
}
