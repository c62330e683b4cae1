/*
 * The event loop (common/ev.c).  Fairness: timers run in the order they
 * are due, at most EV_TIMER_BATCH per round, and a descriptor that is
 * ready gets its turn between rounds, however many timers are due.
 * Time: ev_now() is the round's, read once for all its callbacks; the
 * loop wakes for timers on its EV_GRID_MS grid, so timers due within one
 * step run together, none before it is due.
 */
#include <sys/epoll.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "ev.h"

#define TEST_TIMERS	1000

static struct ev_timer	 timers[TEST_TIMERS];
static int		 order_good = 1, ran, io_after = -1;

static void
timer_fired(void *arg)
{
	int	 i = (int)(intptr_t)arg;

	if (i != ran)
		order_good = 0;
	if (++ran == TEST_TIMERS)
		ev_break();
}

static void
io_ready(struct ev_io *io, uint32_t events, void *arg)
{
	char	 c;

	if (io_after == -1)
		io_after = ran;
	if (read(io->io_fd, &c, 1) != 1)
		io_after = -2;
	ev_io_del(io);
}

/* timers due within one grid step, and the round time each ran at */
#define STEP_TIMERS	(EV_GRID_MS + 1)
static struct ev_timer	 step[STEP_TIMERS];
static uint64_t		 step_due[STEP_TIMERS], step_ran[STEP_TIMERS];
static int		 step_left;

static void
step_fired(void *arg)
{
	int	 i = (int)(intptr_t)arg;

	step_ran[i] = ev_now();
	if (--step_left == 0)
		ev_break();
}

/* The real clock, apart from the loop's. */
static uint64_t
clock_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Timers due at each ms of one grid step, (base, base + EV_GRID_MS],
 * armed out of order: each runs at or after its time, all in one round
 * (the same ev_now()), and that round starts on the step's end.
 */
static void
test_grid(void)
{
	uint64_t	 base;
	int		 i, early = 0, together = 1;

	/* far enough ahead that the loop's first round comes before it */
	base = (clock_ms() / EV_GRID_MS + 20) * EV_GRID_MS;
	for (i = 0; i < STEP_TIMERS; i++) {
		int k = (i * 7) % STEP_TIMERS;	/* 7: prime to 11 */

		step_due[k] = base + 1 + (uint64_t)k * (EV_GRID_MS - 1) /
		    (STEP_TIMERS - 1);
		ev_timer_set(&step[k], step_fired, (void *)(intptr_t)k);
		ev_timer_at(&step[k], step_due[k]);
	}
	step_left = STEP_TIMERS;
	ev_loop();
	for (i = 0; i < STEP_TIMERS; i++) {
		if (step_ran[i] < step_due[i])
			early++;
		if (step_ran[i] != step_ran[0])
			together = 0;
	}
	is_int(early, 0, "no timer ran before it was due");
	ok(together, "the timers due within one grid step ran in one round");
	ok(step_ran[0] >= base + EV_GRID_MS,
	    "  that round began on the step's end");
}

/* ev_now() inside a round stays the round's until ev_now_update(). */
static uint64_t	 round_first, round_later, round_updated, round_after;

static void
round_fired(void *arg)
{
	struct timespec	 pause = { 0, 5000000L };

	round_first = ev_now();
	nanosleep(&pause, NULL);
	round_later = ev_now();
	round_updated = ev_now_update();
	round_after = ev_now();
	ev_break();
}

static void
test_round_time(void)
{
	struct ev_timer	 tm;

	ev_timer_set(&tm, round_fired, NULL);
	ev_timer_add(&tm, 0);
	ev_loop();
	ok(round_later == round_first,
	    "ev_now() is the round's time, 5 ms of work later too");
	ok(round_updated >= round_first + 5 && round_after == round_updated,
	    "ev_now_update() reads the clock, and ev_now() follows it");
	ok(ev_now() >= round_updated && ev_now() <= clock_ms(),
	    "outside the loop ev_now() reads the clock");
}

int
main(void)
{
	struct ev_io	 io;
	uint64_t	 now;
	int		 p[2], i;

	ev_init();
	test_round_time();
	test_grid();
	if (pipe(p) == -1 || write(p[1], "x", 1) != 1)
		return 1;
	ev_io_set(&io, p[0], io_ready, NULL);
	ev_io_add(&io, EPOLLIN);
	now = ev_now();
	for (i = 0; i < TEST_TIMERS; i++) {
		ev_timer_set(&timers[i], timer_fired, (void *)(intptr_t)i);
		ev_timer_at(&timers[i], now - 1);
	}
	ev_loop();
	is_int(ran, TEST_TIMERS, "every timer due ran");
	ok(order_good, "in the order they were armed");
	ok(io_after >= 0 && io_after < TEST_TIMERS,
	    "the ready descriptor ran before the last due timers");
	return tap_done();
}
