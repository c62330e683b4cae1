/*
 * A child's log lines to a parent that reads slower than they come
 * (common/log.c, common/msg.c): once a quarter of the queue's cap waits,
 * lines are kept back and counted, the channel is not dropped, and the
 * count is said as soon as the queue has drained.  A storm of 100,000
 * lines of 1 KiB records (thousands of reals changing state while the
 * parent is slow to write them) would otherwise pass the 64 MiB cap.
 * What waits keeps a line's text, not its whole 1 KiB record.
 */
#include <sys/socket.h>
#include <sys/epoll.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "ev.h"
#include "log.h"
#include "msg.h"

#define STORM		100000
#define HEAP_MAX	((size_t)6 * 1024 * 1024)	/* 16 MiB of records */
#define CROWDED_MAX	((size_t)16 * 1024 * 1024 + sizeof(struct msg_hdr) + \
			    sizeof(struct msg_log))

static struct msg_chan	 chan;
static unsigned int	 got_lines, got_after;
static int		 dropped;
static char		 last[MSG_LOG_LEN];

static void
chan_closed(struct msg_chan *mc)
{
	dropped = 1;
	ev_break();
}

/* The parent's end: read every record there is. */
static void
parent_read(struct ev_io *io, uint32_t events, void *arg)
{
	unsigned char		 buf[MSG_MAX];
	union msg_record	 rec;
	struct msg_log		 lg;
	ssize_t			 n;
	size_t			 off;

	while ((n = recv(io->io_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		for (off = 0; msg_unpack(buf, n, &off, &rec) == 1;) {
			if (rec.hdr.mh_type != MSG_LOG)
				continue;
			memcpy(&lg, rec.buf + sizeof(rec.hdr), sizeof(lg));
			lg.lg_text[sizeof(lg.lg_text) - 1] = '\0';
			strlcpy(last, lg.lg_text, sizeof(last));
			if (strstr(lg.lg_text, "log lines not sent") == NULL)
				got_lines++;
			else
				got_after = got_lines;
		}
	if (TAILQ_EMPTY(&chan.mc_out) && got_after != 0)
		ev_break();
}

static void
give_up(void *arg)
{
	ev_break();
}

int
main(void)
{
	struct ev_io	 rd;
	struct ev_timer	 deadline;
	char		 want[128];
	unsigned int	 i, sent;
	size_t		 peak = 0, heap;
	int		 sv[2];

	ev_init();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) == -1)
		abort();
	msg_chan_init(&chan, sv[0], "parent", 0, NULL, chan_closed, NULL);
	log_procinit("checker");
	log_to_parent(sv[0]);
	log_queue_on(&chan);

	heap = mallinfo2().uordblks;
	for (i = 0; i < STORM; i++) {
		log_info("real 127.0.%u.%u:80 down (connect: Connection "
		    "refused)", i / 250, i % 250);
		if (chan.mc_queued > peak)
			peak = chan.mc_queued;
	}
	ok(msg_chan_open(&chan), "the storm did not drop the channel");
	ok(peak <= CROWDED_MAX, "the queue stayed within a quarter of its cap");
	diag("%zu bytes queued at most", peak);
	heap = mallinfo2().uordblks - heap;
	ok(heap < HEAP_MAX, "the queue holds the lines' text, not 1 KiB each");
	diag("%zu bytes of heap for it", heap);

	ev_io_set(&rd, sv[1], parent_read, NULL);
	ev_io_add(&rd, EPOLLIN);
	ev_timer_set(&deadline, give_up, NULL);
	ev_timer_add(&deadline, 30000);
	ev_loop();
	ok(!dropped, "the channel is still open once drained");
	sent = got_after;
	ok(sent > 0 && sent < STORM, "some lines were sent, not all");
	snprintf(want, sizeof(want), "checker: %u log lines not sent: the "
	    "parent read them slower than they came", STORM - sent);
	is_str(last, want, "then how many were not, once the queue drained");
	is_int(got_lines, sent, "and nothing after it");

	/* the queue is empty: the line goes to the socket at once */
	log_info("after the storm");
	parent_read(&rd, EPOLLIN, NULL);
	is_str(last, "checker: after the storm",
	    "the next line goes as before, the count not said again");
	is_int(got_lines, sent + 1, "one line more");
	ev_timer_del(&deadline);
	msg_chan_close(&chan);
	close(sv[1]);
	return tap_done();
}
