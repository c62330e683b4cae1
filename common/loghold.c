/*
 * Lines held back and written in batches.  A large table logs a line
 * per real server: 110,000 when 100,000 reals are added.  One at a
 * time, that is a sendmsg(2) in ipvsd and a write(2) in the parent per
 * line, and in the test VM it took longer than programming the table
 * (issue 7).  While a process holds its lines (log_hold), the parent in
 * the foreground gathers them for one write, and a child packs its LOG
 * records several to a datagram and sends the datagrams with one
 * sendmmsg(2).  Nothing is dropped: a full batch is written before the
 * next line joins it, and a child waits for room as log.c does for a
 * single line.  Order is kept: log.c flushes what is held before a line
 * it writes at once.  The parent holds a round of its event loop at
 * most (ev_loop flushes before it waits); killed in the middle of one,
 * it loses that round's information lines, never a warning, which is
 * written at once.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "msg.h"

/*
 * A child's batch: 16 datagrams, each of 3 LOG records (a record is 1 KiB
 * and a datagram 4 KiB): 48 lines per system call.
 */
#define HOLD_DGRAMS		16
_Static_assert(sizeof(struct msg_hdr) + sizeof(struct msg_log) <= MSG_MAX,
    "a LOG record fits a datagram");
/* The parent's batch of text: some 150 lines of the table's length. */
#define HOLD_TEXT		16384
/* How long a child waits for the parent to make room, as log.c does. */
#define HOLD_SEND_TRIES		10
#define HOLD_SEND_WAIT_MS	100

static int		 hold_on;
static int		 hold_textfd = -1;	/* where hold_text goes */
static char		 hold_text[HOLD_TEXT];
static size_t		 hold_ntext;
static int		 hold_dgramfd = -1;	/* where hold_dgram goes */
static unsigned char	 hold_dgram[HOLD_DGRAMS][MSG_MAX];
static size_t		 hold_dgramlen[HOLD_DGRAMS];
static unsigned int	 hold_ndgrams;		/* started, the last partly */

/* Whether lines are being held: log.c asks before it writes one. */
int
log_holding(void)
{
	return hold_on;
}

/* Write all of buf to fd; a descriptor that fails loses the rest. */
static void
hold_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void
hold_flush_text(void)
{
	if (hold_ntext > 0)
		hold_write_all(hold_textfd, hold_text, hold_ntext);
	hold_ntext = 0;
}

/* One text line and its newline, for fd (stderr or stdout). */
void
log_hold_text(int fd, const char *line)
{
	size_t	 len = strlen(line);

	if (fd != hold_textfd || hold_ntext + len + 1 > sizeof(hold_text))
		hold_flush_text();
	hold_textfd = fd;
	if (len + 1 > sizeof(hold_text)) {
		hold_write_all(fd, line, len);
		hold_write_all(fd, "\n", 1);
		return;
	}
	/* its NUL too, where the newline then goes */
	memcpy(hold_text + hold_ntext, line, len + 1);
	hold_text[hold_ntext + len] = '\n';
	hold_ntext += len + 1;
}

/*
 * Send the datagrams, waiting a little for room while the parent reads;
 * 0, or -1 when it will not take them (they are then lost, as a single
 * line would be).
 */
static int
hold_send_dgrams(struct mmsghdr *mm, unsigned int n)
{
	struct pollfd	 pfd;
	unsigned int	 done = 0;
	int		 sent, tries = 0;

	while (done < n) {
		if ((sent = sendmmsg(hold_dgramfd, mm + done, n - done,
		    MSG_NOSIGNAL)) > 0) {
			done += (unsigned int)sent;
			tries = 0;
			continue;
		}
		if ((errno != EAGAIN && errno != EINTR) ||
		    ++tries > HOLD_SEND_TRIES)
			return -1;
		pfd.fd = hold_dgramfd;
		pfd.events = POLLOUT;
		(void)poll(&pfd, 1, HOLD_SEND_WAIT_MS);
	}
	return 0;
}

static void
hold_flush_dgrams(void)
{
	struct mmsghdr	 mm[HOLD_DGRAMS];
	struct iovec	 iov[HOLD_DGRAMS];
	unsigned int	 i;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < hold_ndgrams; i++) {
		iov[i].iov_base = hold_dgram[i];
		iov[i].iov_len = hold_dgramlen[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	if (hold_ndgrams > 0)
		(void)hold_send_dgrams(mm, hold_ndgrams);
	hold_ndgrams = 0;
}

/* One LOG record for the parent, on fd. */
void
log_hold_record(int fd, const struct msg_log *lg)
{
	unsigned int	 d;

	if (fd != hold_dgramfd)
		hold_flush_dgrams();
	hold_dgramfd = fd;
	d = hold_ndgrams > 0 ? hold_ndgrams - 1 : 0;
	if (hold_ndgrams == 0 || msg_pack_record(hold_dgram[d],
	    &hold_dgramlen[d], MSG_LOG, lg, sizeof(*lg)) == -1) {
		if (hold_ndgrams == HOLD_DGRAMS)
			hold_flush_dgrams();
		d = hold_ndgrams++;
		hold_dgramlen[d] = 0;
		/* an empty datagram takes one (the assertion above) */
		(void)msg_pack_record(hold_dgram[d], &hold_dgramlen[d],
		    MSG_LOG, lg, sizeof(*lg));
	}
}

/* Write what is held now; holding goes on. */
void
log_flush(void)
{
	hold_flush_text();
	hold_flush_dgrams();
}

/* Hold lines from now on (1), or write them and stop holding (0). */
void
log_hold(int on)
{
	if (!on)
		log_flush();
	hold_on = on;
}
