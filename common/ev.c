/*
 * The per-process event loop: epoll for descriptors, an RB tree of timers.
 */
#include <sys/epoll.h>
#include <sys/tree.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ev.h"
#include "log.h"

/* Events taken per epoll_wait; more simply wait for the next round. */
#define EV_BATCH	64
/*
 * Timers run per round at most, before the descriptors get their turn.
 * A process that falls behind (the checker, its probes' timers all due)
 * then still reads the answers to what it started, late, rather than
 * starting ever more and timing them all out.
 */
#define EV_TIMER_BATCH	64

static int			 ev_epfd = -1;
static int			 ev_stop;
static uint64_t			 ev_seq;
static struct epoll_event	 ev_events[EV_BATCH];
static int			 ev_nevents, ev_cur;
/* inside ev_loop: the clock as read when this round began */
static int			 ev_looping;
static uint64_t			 ev_round_ms;

static int	ev_timer_cmp(const struct ev_timer *, const struct ev_timer *);
static RB_HEAD(ev_timers, ev_timer) ev_timers = RB_INITIALIZER(&ev_timers);
/* not the _STATIC forms: libbsd leaves their __unused undefined */
RB_PROTOTYPE(ev_timers, ev_timer, tm_entry, ev_timer_cmp);
RB_GENERATE(ev_timers, ev_timer, tm_entry, ev_timer_cmp)

static int
ev_timer_cmp(const struct ev_timer *a, const struct ev_timer *b)
{
	if (a->tm_when != b->tm_when)
		return a->tm_when < b->tm_when ? -1 : 1;
	if (a->tm_seq != b->tm_seq)
		return a->tm_seq < b->tm_seq ? -1 : 1;
	return 0;
}

void
ev_init(void)
{
	if ((ev_epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		fatal("epoll_create1");
}

static uint64_t
ev_clock_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Milliseconds on the monotonic clock.  Inside ev_loop: the time this
 * round of the loop began, read once for all its callbacks (a probe asked
 * for it five times); outside: the clock.
 */
uint64_t
ev_now(void)
{
	return ev_looping ? ev_round_ms : ev_clock_ms();
}

/*
 * Read the clock again inside a round: for a callback that did long work
 * (a reload's parse) before it arms timers or stamps a time.
 */
uint64_t
ev_now_update(void)
{
	uint64_t	 now = ev_clock_ms();

	if (ev_looping)
		ev_round_ms = now;
	return now;
}

void
ev_io_set(struct ev_io *io, int fd, ev_io_cb cb, void *arg)
{
	memset(io, 0, sizeof(*io));
	io->io_fd = fd;
	io->io_cb = cb;
	io->io_arg = arg;
}

static void
ev_io_ctl(struct ev_io *io, int op, uint32_t events)
{
	struct epoll_event	 e;

	memset(&e, 0, sizeof(e));
	e.events = events;
	e.data.ptr = io;
	if (epoll_ctl(ev_epfd, op, io->io_fd, &e) == -1)
		fatal("epoll_ctl fd %d", io->io_fd);
	io->io_events = events;
}

void
ev_io_add(struct ev_io *io, uint32_t events)
{
	if (io->io_active) {
		ev_io_mod(io, events);
		return;
	}
	ev_io_ctl(io, EPOLL_CTL_ADD, events);
	io->io_active = 1;
}

void
ev_io_mod(struct ev_io *io, uint32_t events)
{
	if (io->io_active && io->io_events != events)
		ev_io_ctl(io, EPOLL_CTL_MOD, events);
}

/* Forget io in the batch being dispatched too. */
static void
ev_io_forget(struct ev_io *io)
{
	int	 i;

	io->io_active = 0;
	for (i = ev_cur; i < ev_nevents; i++)
		if (ev_events[i].data.ptr == io)
			ev_events[i].data.ptr = NULL;
}

/*
 * Stop watching io, and forget it: its owner may free it as soon as
 * this returns.
 */
void
ev_io_del(struct ev_io *io)
{
	if (!io->io_active)
		return;
	if (epoll_ctl(ev_epfd, EPOLL_CTL_DEL, io->io_fd, NULL) == -1 &&
	    errno != EBADF)
		fatal("epoll_ctl del fd %d", io->io_fd);
	ev_io_forget(io);
}

/*
 * ev_io_del for a descriptor that its owner closes next.  The last close
 * of a descriptor takes it out of the epoll set, so no EPOLL_CTL_DEL:
 * one system call less per probe.  Only for a descriptor that is the
 * owner's alone, never duplicated nor passed on.
 */
void
ev_io_del_closing(struct ev_io *io)
{
	if (io->io_active)
		ev_io_forget(io);
}

void
ev_timer_set(struct ev_timer *tm, ev_timer_cb cb, void *arg)
{
	memset(tm, 0, sizeof(*tm));
	tm->tm_cb = cb;
	tm->tm_arg = arg;
}

void
ev_timer_at(struct ev_timer *tm, uint64_t when)
{
	ev_timer_del(tm);
	tm->tm_when = when;
	tm->tm_seq = ev_seq++;
	RB_INSERT(ev_timers, &ev_timers, tm);
	tm->tm_armed = 1;
}

void
ev_timer_add(struct ev_timer *tm, uint64_t delay_ms)
{
	ev_timer_at(tm, ev_now() + delay_ms);
}

void
ev_timer_del(struct ev_timer *tm)
{
	if (!tm->tm_armed)
		return;
	RB_REMOVE(ev_timers, &ev_timers, tm);
	tm->tm_armed = 0;
}

int
ev_timer_pending(const struct ev_timer *tm)
{
	return tm->tm_armed;
}

/* ms from now until the grid step at or after when (> now). */
static int
ev_wait_for(uint64_t when, uint64_t now)
{
	uint64_t	 d;

	d = (when + EV_GRID_MS - 1) / EV_GRID_MS * EV_GRID_MS - now;
	return d > INT32_MAX ? INT32_MAX : (int)d;
}

/*
 * Run the timers that are due, EV_TIMER_BATCH at most; return ms until
 * the grid step of the next one (0: more are due), or -1.
 */
static int
ev_run_timers(void)
{
	struct ev_timer	*tm;
	int		 ran = 0;

	/* ev_round_ms itself: a callback may have called ev_now_update() */
	while ((tm = RB_MIN(ev_timers, &ev_timers)) != NULL) {
		if (tm->tm_when > ev_round_ms)
			return ev_wait_for(tm->tm_when, ev_round_ms);
		if (ran++ == EV_TIMER_BATCH)
			return 0;
		ev_timer_del(tm);
		tm->tm_cb(tm->tm_arg);
		if (ev_stop)
			return 0;
	}
	return -1;
}

static void
ev_dispatch(void)
{
	struct ev_io	*io;

	for (ev_cur = 0; ev_cur < ev_nevents && !ev_stop; ev_cur++) {
		if ((io = ev_events[ev_cur].data.ptr) == NULL)
			continue;
		io->io_cb(io, ev_events[ev_cur].events, io->io_arg);
	}
	ev_nevents = ev_cur = 0;
}

void
ev_loop(void)
{
	int	 timeout;

	ev_stop = 0;
	ev_looping = 1;
	while (!ev_stop) {
		ev_round_ms = ev_clock_ms();
		timeout = ev_run_timers();
		if (ev_stop)
			break;
		/* lines held back in this round go out before we sleep */
		log_flush();
		ev_nevents = epoll_wait(ev_epfd, ev_events, EV_BATCH, timeout);
		if (ev_nevents == -1) {
			ev_nevents = 0;
			if (errno == EINTR)
				continue;
			fatal("epoll_wait");
		}
		ev_round_ms = ev_clock_ms();
		ev_dispatch();
	}
	ev_looping = 0;
}

void
ev_break(void)
{
	ev_stop = 1;
}
