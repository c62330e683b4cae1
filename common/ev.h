/*
 * The event loop every lvsd process runs: epoll for descriptors, a
 * red-black tree of timers on CLOCK_MONOTONIC.  One loop per process.
 */
#ifndef LVSD_EV_H
#define LVSD_EV_H

#include <sys/tree.h>

#include <stdint.h>

/*
 * The loop wakes for timers only on a grid of EV_GRID_MS of the
 * monotonic clock: a timer runs never before it is due, and less than
 * EV_GRID_MS after, plus what the round's callbacks took and any wait
 * for a CPU.  The checker spreads its probes evenly over their
 * interval; on the grid those that fall in one step share one wake-up
 * and the replies they bring come in fewer.  A wake-up can cost more
 * than the probe it starts: in the test VM (qemu TCG), 100 http checks
 * a second took the checker about 0.30 CPU ms each with a 1 ms step and
 * 0.15 with 10 ms (/proc/PID/stat over 10 s; make bench's vm rows).
 */
#define EV_GRID_MS	10

struct ev_io;
typedef void	(*ev_io_cb)(struct ev_io *, uint32_t, void *);
typedef void	(*ev_timer_cb)(void *);

struct ev_io {
	int		 io_fd;
	uint32_t	 io_events;	/* EPOLLIN | EPOLLOUT */
	ev_io_cb	 io_cb;
	void		*io_arg;
	int		 io_active;
};

struct ev_timer {
	RB_ENTRY(ev_timer) tm_entry;
	uint64_t	 tm_when;	/* ms on the monotonic clock */
	uint64_t	 tm_seq;	/* orders timers due at the same ms */
	ev_timer_cb	 tm_cb;
	void		*tm_arg;
	int		 tm_armed;
};

void		 ev_init(void);
uint64_t	 ev_now(void);
uint64_t	 ev_now_update(void);
void		 ev_io_set(struct ev_io *, int, ev_io_cb, void *);
void		 ev_io_add(struct ev_io *, uint32_t);
void		 ev_io_mod(struct ev_io *, uint32_t);
void		 ev_io_del(struct ev_io *);
void		 ev_io_del_closing(struct ev_io *);
void		 ev_timer_set(struct ev_timer *, ev_timer_cb, void *);
void		 ev_timer_add(struct ev_timer *, uint64_t);
void		 ev_timer_at(struct ev_timer *, uint64_t);
void		 ev_timer_del(struct ev_timer *);
int		 ev_timer_pending(const struct ev_timer *);
void		 ev_loop(void);
void		 ev_break(void);

#endif /* LVSD_EV_H */
