/*
 * How many probes may hold descriptors at once.  Every probe that opens
 * a socket holds one until its verdict (ftp two, with its data
 * connection), and a socket(2) refused with EMFILE would fail the check:
 * a false "down" for a real that is fine, only because the checker had
 * too many others in flight.  So, near the process's limit on open files,
 * a due probe waits in line instead; each probe that ends lets the
 * first in line start.  A waiting check runs late, which the farm of
 * make bench measures, but is not taken out.
 *
 * The budget is the soft limit on open files (raised to the hard one at
 * start) less what is open when the gate is set up, just before the
 * sandbox (the channels, epoll, libcurl's multi handles with their
 * socketpairs, the raw ICMP sockets), less a reserve for what opens
 * later besides probes: a new channel to ipvsd or exec, a TLS CA.
 */
#include <sys/queue.h>
#include <sys/resource.h>

#include <dirent.h>
#include <stdint.h>

#include "checker.h"
#include "log.h"

#define GATE_RESERVE	((rlim_t)32)	/* descriptors kept for other than probes */
#define GATE_OPEN_GUESS	128	/* open at start, if /proc cannot say */
#define GATE_SAY_MS	60000	/* at most one line about waits per minute */

static TAILQ_HEAD(, check) gate_line = TAILQ_HEAD_INITIALIZER(gate_line);
static uint32_t		gate_budget = UINT32_MAX;
static uint32_t		gate_held;	/* descriptors of admitted probes */
static uint64_t		gate_waits;	/* probes that waited, not yet said */
static uint64_t		gate_said_ms;	/* when they were last said */

/* How many descriptors the process has open now. */
static rlim_t
sched_gate_open_now(void)
{
	DIR		*d;
	struct dirent	*de;
	rlim_t		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return GATE_OPEN_GUESS;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n - 1 : 0;	/* less the directory's own */
}

/*
 * Last before the sandbox, once every descriptor the checker keeps is
 * open: the limit on open files, less those, sets the budget.
 */
void
sched_gate_init(void)
{
	struct rlimit	 rl;
	rlim_t		 open_now, spare;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("getrlimit RLIMIT_NOFILE");
		return;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return;
	open_now = sched_gate_open_now();
	spare = rl.rlim_cur > open_now ? rl.rlim_cur - open_now : 0;
	spare = spare > 2 * GATE_RESERVE ? spare - GATE_RESERVE : spare / 2;
	gate_budget = spare == 0 ? 1 : spare > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)spare;
	log_debug("at most %u descriptors for probes (open files limit %llu, "
	    "%llu open)", gate_budget, (unsigned long long)rl.rlim_cur,
	    (unsigned long long)open_now);
}

/* How many descriptors a probe of this kind holds while in flight. */
static uint32_t
sched_gate_cost(const struct check *ck, int probe)
{
	switch (probe) {
	case PROBE_NONE:
	case PROBE_PING:	/* the shared raw sockets */
	case PROBE_EXEC:	/* the exec process runs it */
		return 0;
	case PROBE_LINE:
		return ck->ck_msg->ck_service == SERVICE_FTP ? 2 : 1;
	default:
		return 1;
	}
}

/* Whether a probe of cost fits now; one alone always does. */
static int
sched_gate_fits(uint32_t cost)
{
	return gate_held == 0 || gate_held + cost <= gate_budget;
}

static void
sched_gate_wait(struct check *ck)
{
	uint64_t	 now = ev_now();

	TAILQ_INSERT_TAIL(&gate_line, ck, ck_gate_entry);
	ck->ck_gate_waiting = 1;
	gate_waits++;
	if (gate_said_ms != 0 && now - gate_said_ms < GATE_SAY_MS)
		return;
	log_warnx("probes wait for a descriptor (%llu since the last such "
	    "line): %u are in use by probes, all that the limit on open files "
	    "leaves; checks run late", (unsigned long long)gate_waits,
	    gate_held);
	gate_waits = 0;
	gate_said_ms = now;
}

/*
 * May ck's probe start now?  1: yes, its descriptors are counted until
 * sched_gate_leave.  0: it waits in line, and its timer fires again
 * when its turn comes.  A check the line admitted has its slot already.
 */
int
sched_gate_enter(struct check *ck, int probe)
{
	uint32_t	 cost = sched_gate_cost(ck, probe);

	if (ck->ck_gate_held != 0)
		return 1;
	if (cost == 0)
		return 1;
	if (ck->ck_gate_waiting || !TAILQ_EMPTY(&gate_line) ||
	    !sched_gate_fits(cost)) {
		if (!ck->ck_gate_waiting)
			sched_gate_wait(ck);
		return 0;
	}
	gate_held += cost;
	ck->ck_gate_held = cost;
	return 1;
}

/* The first in line that fits gets its slot and its timer, now. */
static void
sched_gate_admit(void)
{
	struct check	*ck;
	uint32_t	 cost;

	while ((ck = TAILQ_FIRST(&gate_line)) != NULL) {
		cost = sched_gate_cost(ck, sched_probe_for(ck));
		if (!sched_gate_fits(cost))
			return;
		TAILQ_REMOVE(&gate_line, ck, ck_gate_entry);
		ck->ck_gate_waiting = 0;
		ck->ck_gate_held = cost;
		gate_held += cost;
		ev_timer_add(&ck->ck_timer, 0);
	}
}

/*
 * ck's probe has ended, or ck stops: its slot or its place in line go,
 * and those behind may fit now.
 */
void
sched_gate_leave(struct check *ck)
{
	if (ck->ck_gate_waiting) {
		TAILQ_REMOVE(&gate_line, ck, ck_gate_entry);
		ck->ck_gate_waiting = 0;
	} else if (ck->ck_gate_held != 0) {
		gate_held -= ck->ck_gate_held;
		ck->ck_gate_held = 0;
	} else
		return;
	sched_gate_admit();
}
