/*
 * The event loop every lvsd process runs: epoll for descriptors, a
 * red-black tree of timers on CLOCK_MONOTONIC.  One loop per process.
 */
#ifndef LVSD_EV_H
#define LVSD_EV_H

#include <sys/tree.h>

#include <stdint.h>

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
