/*
 * The event loop's fairness (common/ev.c): timers run in the order they
 * are due, at most EV_TIMER_BATCH per round, and a descriptor that is
 * ready gets its turn between rounds, however many timers are due.
 */
#include <sys/epoll.h>

#include <stdint.h>
#include <stdio.h>
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

int
main(void)
{
	struct ev_io	 io;
	uint64_t	 now;
	int		 p[2], i;

	ev_init();
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
