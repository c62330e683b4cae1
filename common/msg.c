/*
 * Sending, receiving and first-level validation of wire messages.
 * The receiver-specific checks (ranges, indexes, strings) are each
 * dispatcher's job; this file guarantees that a handler only ever sees a
 * whole record of an allowed type with the exact payload length.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "msg.h"

/* Bytes one channel may hold unsent before its peer is called stuck. */
#define MSG_QUEUE_MAX	((size_t)64 * 1024 * 1024)
/* Datagrams per recvmmsg: one system call, not one each. */
#define CHAN_BATCH	64
/* Datagrams of packed records per sendmmsg (msg.h says how they pack). */
#define CHAN_PACK	16

/*
 * A record waiting in a channel's queue.  Records are mostly zeros (a
 * LOG line's 1 KiB text field, a CHECK's empty strings): only what comes
 * before the trailing zeros is kept, and the zeros are sent from
 * msg_zeros, so the bytes on the wire are the same: a queued log line
 * takes some 130 bytes of heap, not 1 KiB (tests/unit/test_log_queue.c).
 */
struct msg_out {
	TAILQ_ENTRY(msg_out)	 mo_entry;
	int			 mo_fd;		/* to pass, or -1 */
	size_t			 mo_len;	/* the record's length */
	size_t			 mo_kept;	/* in mo_buf; zeros follow */
	unsigned char		 mo_buf[];
};

static const unsigned char	 msg_zeros[MSG_MAX];
/* Where msg_chan_pack() lays out the datagrams it sends. */
static unsigned char		 msg_packed[CHAN_PACK][MSG_MAX];

/* Payload length per type; SIZE_MAX marks a type that never travels. */
static const size_t msg_sizes[MSG_TYPE_MAX] = {
	[MSG_NONE] = SIZE_MAX,
	[MSG_CONF_BEGIN] = sizeof(struct msg_conf_begin),
	[MSG_SERVICE] = sizeof(struct msg_service),
	[MSG_DEST] = sizeof(struct msg_dest),
	[MSG_CHECK] = sizeof(struct msg_check),
	[MSG_CONF_END] = 0,
	[MSG_PEER] = 0,
	[MSG_SHUTDOWN] = sizeof(struct msg_shutdown),
	[MSG_PING] = sizeof(struct msg_ping),
	[MSG_READY] = 0,
	[MSG_APPLIED] = sizeof(struct msg_applied),
	[MSG_LOG] = sizeof(struct msg_log),
	[MSG_PONG] = sizeof(struct msg_ping),
	[MSG_RESULT] = sizeof(struct msg_result),
	[MSG_STATE] = sizeof(struct msg_state),
	[MSG_SNAPSHOT_REQUEST] = 0,
	[MSG_EXEC_CMD] = sizeof(struct msg_exec_cmd),
	[MSG_EXEC_PEER] = 0,
	[MSG_EXEC_RUN] = sizeof(struct msg_exec_run),
	[MSG_EXEC_DONE] = sizeof(struct msg_exec_done),
	[MSG_EXEC_HOOK] = sizeof(struct msg_exec_hook),
	[MSG_EXEC_FIRE] = sizeof(struct msg_exec_fire),
	[MSG_CA] = sizeof(struct msg_ca),
	[MSG_ALERT] = sizeof(struct msg_alert),
	[MSG_SYNC] = sizeof(struct msg_sync),
	[MSG_STATS] = sizeof(struct msg_stats),
	[MSG_CHECK_LIKE] = sizeof(struct msg_check_like),
};

static const char *const msg_names[MSG_TYPE_MAX] = {
	[MSG_NONE] = "NONE",
	[MSG_CONF_BEGIN] = "CONF_BEGIN",
	[MSG_SERVICE] = "SERVICE",
	[MSG_DEST] = "DEST",
	[MSG_CHECK] = "CHECK",
	[MSG_CONF_END] = "CONF_END",
	[MSG_PEER] = "PEER",
	[MSG_SHUTDOWN] = "SHUTDOWN",
	[MSG_PING] = "PING",
	[MSG_READY] = "READY",
	[MSG_APPLIED] = "APPLIED",
	[MSG_LOG] = "LOG",
	[MSG_PONG] = "PONG",
	[MSG_RESULT] = "RESULT",
	[MSG_STATE] = "STATE",
	[MSG_SNAPSHOT_REQUEST] = "SNAPSHOT_REQUEST",
	[MSG_EXEC_CMD] = "EXEC_CMD",
	[MSG_EXEC_PEER] = "EXEC_PEER",
	[MSG_EXEC_RUN] = "EXEC_RUN",
	[MSG_EXEC_DONE] = "EXEC_DONE",
	[MSG_EXEC_HOOK] = "EXEC_HOOK",
	[MSG_EXEC_FIRE] = "EXEC_FIRE",
	[MSG_CA] = "CA",
	[MSG_ALERT] = "ALERT",
	[MSG_SYNC] = "SYNC",
	[MSG_STATS] = "STATS",
	[MSG_CHECK_LIKE] = "CHECK_LIKE",
};

_Static_assert(sizeof(struct msg_hdr) + sizeof(struct msg_check) <= MSG_MAX,
    "MSG_MAX too small for MSG_CHECK");
_Static_assert(sizeof(struct msg_hdr) + sizeof(struct msg_exec_cmd) <= MSG_MAX,
    "MSG_MAX too small for MSG_EXEC_CMD");
_Static_assert(sizeof(struct msg_exec_cmd) == 1084, "msg_exec_cmd has padding");
_Static_assert(sizeof(struct msg_check_like) == 28,
    "msg_check_like has padding");
_Static_assert(sizeof(struct msg_exec_run) == 16, "msg_exec_run has padding");
_Static_assert(sizeof(struct msg_exec_done) == 24,
    "msg_exec_done has padding");
_Static_assert(sizeof(struct msg_hdr) + sizeof(struct msg_exec_hook) <= MSG_MAX,
    "MSG_MAX too small for MSG_EXEC_HOOK");
_Static_assert(sizeof(struct msg_exec_hook) == 2084,
    "msg_exec_hook has padding");
_Static_assert(sizeof(struct msg_exec_fire) == 8, "msg_exec_fire has padding");
_Static_assert(sizeof(struct msg_hdr) + sizeof(struct msg_alert) <= MSG_MAX,
    "MSG_MAX too small for MSG_ALERT");
_Static_assert(sizeof(struct msg_alert) == 3612, "msg_alert has padding");
_Static_assert(sizeof(struct msg_sync) == 48, "msg_sync has padding");
_Static_assert(sizeof(struct msg_stats) == 80, "msg_stats has padding");
_Static_assert(MSG_TYPE_MAX <= 32, "mc_allowed has a bit per type");
_Static_assert(sizeof(struct msg_hdr) == 8, "msg_hdr has padding");
_Static_assert(sizeof(struct addr) == 20, "struct addr has padding");

size_t
msg_payload_len(enum msg_type type)
{
	if ((unsigned int)type >= MSG_TYPE_MAX)
		return SIZE_MAX;
	return msg_sizes[type];
}

const char *
msg_type_name(unsigned int type)
{
	if (type >= MSG_TYPE_MAX)
		return "UNKNOWN";
	return msg_names[type];
}

/* sv_flags of a service of protocol proto (enum msg_proto). */
int
msg_svc_flags_ok(uint32_t flags, unsigned int proto)
{
	if (flags & ~(uint32_t)MSG_SVC_FLAGS)
		return 0;
	/* the kernel takes it on any service, but means it for UDP only */
	return !(flags & MSG_SVC_ONEPACKET) || proto == PROTO_UDP;
}

/* A fixed-size string field must hold its NUL inside the field. */
int
msg_str_ok(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

/*
 * Counts that add up: at least one check, no more failures than checks,
 * every check in exactly one latency bucket, and no latency over the
 * longest one a check can report (UINT32_MAX us).  The id's range is
 * the receiver's to check.
 */
int
msg_stats_ok(const struct msg_stats *sa)
{
	uint64_t	 fails = 0, bucketed = 0;
	int		 i;

	for (i = 0; i < FAIL_CLASS_MAX; i++)
		fails += sa->sa_fails[i];
	for (i = 0; i < MSG_STATS_BUCKETS; i++)
		bucketed += sa->sa_buckets[i];
	return sa->sa_checks > 0 && fails <= sa->sa_checks &&
	    bucketed == sa->sa_checks &&
	    sa->sa_latency_us <= (uint64_t)sa->sa_checks * UINT32_MAX;
}

/* A valid family, and no stray bytes in the padding or unused part. */
int
msg_addr_ok(const struct addr *a)
{
	static const uint8_t	 zero[16];

	if (a->a_pad[0] || a->a_pad[1] || a->a_pad[2])
		return 0;
	if (a->a_af == AF_INET)
		return memcmp(a->a_u.raw + 4, zero, 12) == 0;
	return a->a_af == AF_INET6;
}

/* The record of kept bytes of buf and zeros up to len, as iovecs. */
static size_t
msg_record_iov(struct iovec iov[2], const void *buf, size_t kept, size_t len)
{
	iov[0].iov_base = (void *)(uintptr_t)buf;
	iov[0].iov_len = kept;
	if (kept == len)
		return 1;
	iov[1].iov_base = (void *)(uintptr_t)msg_zeros;
	iov[1].iov_len = len - kept;
	return 2;
}

/*
 * One record of len bytes, the first kept of them from buf and zeros
 * after, with the descriptor passfd attached unless it is -1; 0, or -1
 * with errno.
 */
static int
msg_send_kept(int fd, const void *buf, size_t kept, size_t len, int passfd)
{
	struct msghdr	 mh;
	struct iovec	 iov[2];
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct cmsghdr	*c;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = msg_record_iov(iov, buf, kept, len);
	if (passfd != -1) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &passfd, sizeof(int));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/*
 * One record of len bytes exactly as given, with the descriptor passfd
 * attached unless it is -1; 0, or -1 with errno.
 */
int
msg_send_record(int fd, const void *buf, size_t len, int passfd)
{
	return msg_send_kept(fd, buf, len, len, passfd);
}

/*
 * At buf, the header of a record whose payload is len bytes, and the
 * first kept bytes of payload (all of them, or those before its trailing
 * zeros).
 */
static int
msg_build(unsigned char *buf, enum msg_type type, uint32_t gen,
    const void *payload, size_t len, size_t kept)
{
	struct msg_hdr	 hdr;

	if (len != msg_payload_len(type) || sizeof(hdr) + len > MSG_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.mh_type = type;
	hdr.mh_len = len;
	hdr.mh_gen = gen;
	memcpy(buf, &hdr, sizeof(hdr));
	if (kept)
		memcpy(buf + sizeof(hdr), payload, kept);
	return 0;
}

/* How many of payload's len bytes come before its trailing zeros. */
static size_t
msg_unzeroed_len(const void *payload, size_t len)
{
	const unsigned char	*p = payload;
	uint64_t		 w;

	while (len >= sizeof(w)) {
		memcpy(&w, p + len - sizeof(w), sizeof(w));
		if (w != 0)
			break;
		len -= sizeof(w);
	}
	while (len > 0 && p[len - 1] == 0)
		len--;
	return len;
}

/*
 * Append a record (of generation 0) to the datagram at dgram, which holds
 * *used bytes, if it fits in MSG_MAX; 0, or -1 if it does not.  For
 * senders that pack records themselves, as loghold.c.
 */
int
msg_pack_record(unsigned char *dgram, size_t *used, enum msg_type type,
    const void *payload, size_t len)
{
	if (*used + sizeof(struct msg_hdr) + len > MSG_MAX)
		return -1;
	if (msg_build(dgram + *used, type, 0, payload, len, len) == -1)
		return -1;
	*used += sizeof(struct msg_hdr) + len;
	return 0;
}

/* One record now, or -1 with errno (EAGAIN on a full non-blocking fd). */
int
msg_send_raw(int fd, enum msg_type type, uint32_t gen, const void *payload,
    size_t len, int passfd)
{
	unsigned char	 buf[MSG_MAX];

	if (msg_build(buf, type, gen, payload, len, len) == -1)
		return -1;
	return msg_send_record(fd, buf, sizeof(struct msg_hdr) + len, passfd);
}

static void	msg_chan_event(struct ev_io *, uint32_t, void *);

void
msg_chan_init(struct msg_chan *mc, int fd, const char *name, uint32_t allowed,
    msg_handler handler, msg_closed closed, void *arg)
{
	memset(mc, 0, sizeof(*mc));
	mc->mc_fd = fd;
	mc->mc_name = name;
	mc->mc_allowed = allowed;
	mc->mc_handler = handler;
	mc->mc_closed = closed;
	mc->mc_arg = arg;
	TAILQ_INIT(&mc->mc_out);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
		fatal("%s: fcntl O_NONBLOCK", name);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		fatal("%s: fcntl FD_CLOEXEC", name);
	ev_io_set(&mc->mc_io, fd, msg_chan_event, mc);
	ev_io_add(&mc->mc_io, EPOLLIN);
}

int
msg_chan_open(const struct msg_chan *mc)
{
	return mc->mc_fd != -1;
}

static void
msg_out_free(struct msg_out *mo)
{
	if (mo->mo_fd != -1)
		close(mo->mo_fd);
	free(mo);
}

/* Close quietly: no callback.  Safe to call twice. */
void
msg_chan_close(struct msg_chan *mc)
{
	struct msg_out	*mo;

	if (mc->mc_fd == -1)
		return;
	ev_io_del(&mc->mc_io);
	close(mc->mc_fd);
	mc->mc_fd = -1;
	while ((mo = TAILQ_FIRST(&mc->mc_out)) != NULL) {
		TAILQ_REMOVE(&mc->mc_out, mo, mo_entry);
		msg_out_free(mo);
	}
	mc->mc_queued = 0;
}

static void
msg_chan_closed(struct msg_chan *mc)
{
	msg_chan_close(mc);
	if (mc->mc_closed != NULL)
		mc->mc_closed(mc);
}

/* The peer broke the protocol: say what it did, hang up on it. */
void
msg_chan_drop(struct msg_chan *mc, const char *fmt, ...)
{
	char	 why[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_queue_off(mc);
	log_warnx("dropping %s: %s", mc->mc_name, why);
	msg_chan_closed(mc);
}

/* The first record of the queue is out. */
static void
msg_chan_sent(struct msg_chan *mc)
{
	struct msg_out	*mo = TAILQ_FIRST(&mc->mc_out);

	TAILQ_REMOVE(&mc->mc_out, mo, mo_entry);
	mc->mc_queued -= mo->mo_len;
	msg_out_free(mo);
}

/*
 * Pack the first records of the queue that carry no descriptor into at
 * most CHAN_PACK datagrams of MSG_MAX bytes: datagram i holds counts[i]
 * records.  How many datagrams.
 */
static unsigned int
msg_chan_pack(struct msg_chan *mc, struct iovec *iov, unsigned int *counts)
{
	struct msg_out	*mo;
	unsigned int	 d = 0;
	size_t		 used = 0;

	TAILQ_FOREACH(mo, &mc->mc_out, mo_entry) {
		if (mo->mo_fd != -1)
			break;
		if (used + mo->mo_len > MSG_MAX) {
			if (d + 1 == CHAN_PACK)
				break;
			d++;
			used = 0;
		}
		if (used == 0)
			counts[d] = 0;
		memcpy(msg_packed[d] + used, mo->mo_buf, mo->mo_kept);
		memset(msg_packed[d] + used + mo->mo_kept, 0,
		    mo->mo_len - mo->mo_kept);
		used += mo->mo_len;
		counts[d]++;
		iov[d].iov_base = msg_packed[d];
		iov[d].iov_len = used;
	}
	return used > 0 ? d + 1 : 0;
}

/*
 * Send the first records of the queue that carry no descriptor, packed,
 * in one call; those that went leave the queue.  0, or -1 with errno.
 */
static int
msg_chan_send_run(struct msg_chan *mc)
{
	struct mmsghdr	 mm[CHAN_PACK];
	struct iovec	 iov[CHAN_PACK];
	unsigned int	 counts[CHAN_PACK] = { 0 }, n, i, k;
	int		 sent;

	n = msg_chan_pack(mc, iov, counts);
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < n; i++) {
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	if ((sent = sendmmsg(mc->mc_fd, mm, n, MSG_NOSIGNAL)) == -1)
		return -1;
	for (i = 0; i < (unsigned int)sent; i++)
		for (k = 0; k < counts[i]; k++)
			msg_chan_sent(mc);
	return 0;
}

/*
 * Send what the queue holds, in order: a record with a descriptor, or
 * one alone, by itself; runs of others packed, several datagrams a
 * call.  0 once the queue is empty, else -1 with errno.
 */
static int
msg_chan_send_queue(struct msg_chan *mc)
{
	struct msg_out	*mo;

	/*
	 * The analyzer loses track of TAILQ_REMOVE's write through
	 * tqe_prev and thinks a freed record is still first.
	 */
	/* NOLINTBEGIN(clang-analyzer-unix.Malloc) */
	while ((mo = TAILQ_FIRST(&mc->mc_out)) != NULL) {
		if (mo->mo_fd != -1 || TAILQ_NEXT(mo, mo_entry) == NULL) {
			if (msg_send_kept(mc->mc_fd, mo->mo_buf, mo->mo_kept,
			    mo->mo_len, mo->mo_fd) == -1)
				return -1;
			msg_chan_sent(mc);
			continue;
		}
		if (msg_chan_send_run(mc) == -1)
			return -1;
	}
	/* NOLINTEND(clang-analyzer-unix.Malloc) */
	return 0;
}

static void
msg_chan_flush(struct msg_chan *mc)
{
	if (msg_chan_send_queue(mc) == -1 && errno != EAGAIN &&
	    errno != EINTR && errno != ENOBUFS) {
		log_warn("%s: send", mc->mc_name);
		msg_chan_closed(mc);
		return;
	}
	ev_io_mod(&mc->mc_io, TAILQ_EMPTY(&mc->mc_out) ?
	    EPOLLIN : EPOLLIN | EPOLLOUT);
}

/*
 * While a channel is corked, what is sent waits in its queue; uncorking
 * sends it in batches.  For the records of a whole config or snapshot.
 */
void
msg_chan_cork(struct msg_chan *mc)
{
	mc->mc_corked = 1;
}

void
msg_chan_uncork(struct msg_chan *mc)
{
	mc->mc_corked = 0;
	if (mc->mc_fd != -1 && !TAILQ_EMPTY(&mc->mc_out))
		msg_chan_flush(mc);
}

/*
 * Queue one record (and a descriptor to pass, which the channel then
 * owns and closes).  -1 if the channel is closed or its peer has stopped
 * reading for so long that the queue is full.
 */
int
msg_chan_send_fd(struct msg_chan *mc, enum msg_type type, uint32_t gen,
    const void *payload, size_t len, int passfd)
{
	struct msg_out	*mo;
	size_t		 total = sizeof(struct msg_hdr) + len, kept;
	int		 waiting;

	if (mc->mc_fd == -1 ||
	    mc->mc_queued + total > MSG_QUEUE_MAX + mc->mc_room +
	    mc->mc_burst) {
		if (mc->mc_fd != -1)
			msg_chan_drop(mc, "peer stopped reading");
		if (passfd != -1)
			close(passfd);
		return -1;
	}
	kept = len ? msg_unzeroed_len(payload, len) : 0;
	if ((mo = malloc(sizeof(*mo) + sizeof(struct msg_hdr) + kept)) == NULL)
		fatal("%s", __func__);
	if (msg_build(mo->mo_buf, type, gen, payload, len, kept) == -1)
		fatalx("%s: bad %s payload length %zu", mc->mc_name,
		    msg_type_name(type), len);
	mo->mo_len = total;
	mo->mo_kept = sizeof(struct msg_hdr) + kept;
	mo->mo_fd = passfd;
	/*
	 * Behind others, it waits for the channel's EPOLLOUT with them: a
	 * sendmsg now would only fail with EAGAIN, once per record of a
	 * large configuration.
	 */
	waiting = !TAILQ_EMPTY(&mc->mc_out);
	TAILQ_INSERT_TAIL(&mc->mc_out, mo, mo_entry);
	mc->mc_queued += total;
	if (!waiting && !mc->mc_corked)
		msg_chan_flush(mc);
	return 0;
}

/*
 * The records of a whole config are queued at once, and one CHECK is
 * 2.4 KB: 100,000 real servers queue more than the cap while the peer
 * reads them.  The sender of a config gives its size here, before it
 * queues them; the allowance ends once the queue has drained (seen by
 * the channel's next event, after the whole config is queued), so the
 * cap alone catches a peer that stops reading later.
 */
void
msg_chan_burst(struct msg_chan *mc, size_t bytes)
{
	mc->mc_burst = bytes;
}

/*
 * Room above the cap for as long as the channel lives, for traffic that
 * grows with the config: the checker's first verdicts on a large table
 * come all at once, one RESULT and one LOG line per real server, and
 * may outrun a parent that is busy logging the same table.
 */
void
msg_chan_room(struct msg_chan *mc, size_t bytes)
{
	mc->mc_room = bytes;
}

/*
 * Whether a quarter of what mc may hold waits in its queue: its peer
 * reads slower than mc is fed.  log.c then keeps lines back, so that a
 * storm of them cannot fill the queue and have the channel dropped.
 */
int
msg_chan_crowded(const struct msg_chan *mc)
{
	return mc->mc_queued > MSG_QUEUE_MAX / 4 + mc->mc_room + mc->mc_burst;
}

int
msg_chan_send(struct msg_chan *mc, enum msg_type type, uint32_t gen,
    const void *payload, size_t len)
{
	return msg_chan_send_fd(mc, type, gen, payload, len, -1);
}

/*
 * First-level checks on a received record, at p with avail bytes of its
 * datagram from there on: whole, of a type allowed on this channel, of
 * the exact length for its type, with a descriptor only where one
 * belongs and then alone in its datagram.  On failure the peer is
 * dropped.
 */
static int
msg_chan_check(struct msg_chan *mc, const void *p, size_t avail, int flags,
    int fd)
{
	struct msg_hdr	 hdr;
	const char	*why = NULL;

	memset(&hdr, 0, sizeof(hdr));
	if (avail >= sizeof(hdr))
		memcpy(&hdr, p, sizeof(hdr));
	if (flags & (MSG_TRUNC | MSG_CTRUNC))
		why = "record truncated";
	else if (avail < sizeof(hdr))
		why = "record shorter than a header";
	else if (hdr.mh_type >= MSG_TYPE_MAX ||
	    !(mc->mc_allowed & MSG_ALLOW(hdr.mh_type)))
		why = "message type not allowed here";
	else if (hdr.mh_len != msg_payload_len(hdr.mh_type) ||
	    sizeof(hdr) + hdr.mh_len > avail)
		why = "wrong payload length";
	else if ((fd != -1) != (hdr.mh_type == MSG_PEER ||
	    hdr.mh_type == MSG_EXEC_PEER || hdr.mh_type == MSG_CA))
		why = "descriptor where none belongs, or none where one does";
	else if (fd != -1 && sizeof(hdr) + hdr.mh_len != avail)
		why = "descriptor with more than one record";
	if (why == NULL)
		return 0;
	if (fd != -1)
		close(fd);
	msg_chan_drop(mc, "%s (type %u %s, %zu bytes)", why,
	    avail >= sizeof(hdr) ? hdr.mh_type : 0,
	    msg_type_name(avail >= sizeof(hdr) ? hdr.mh_type : MSG_TYPE_MAX),
	    avail);
	return -1;
}

/*
 * The record at *off of the n bytes of a datagram at buf, copied into
 * rec (aligned for its fields); *off moves past it.  1, 0 at the end of
 * the datagram, -1 if what is left is not a whole record of a known
 * type.  For readers without a channel, as the tests' drivers.
 */
int
msg_unpack(const void *buf, size_t n, size_t *off, union msg_record *rec)
{
	const unsigned char	*p = (const unsigned char *)buf + *off;
	struct msg_hdr		 hdr;
	size_t			 len;

	if (*off >= n)
		return 0;
	if (n - *off < sizeof(hdr))
		return -1;
	memcpy(&hdr, p, sizeof(hdr));
	len = sizeof(hdr) + hdr.mh_len;
	if (hdr.mh_len != msg_payload_len(hdr.mh_type) || len > n - *off)
		return -1;
	memcpy(rec->buf, p, len);
	*off += len;
	return 1;
}

/* A descriptor that came with a record no one will handle. */
static void
msg_close_passed(struct msghdr *mh)
{
	struct cmsghdr	*c;
	int		 fd;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int))) {
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
			close(fd);
		}
}

/*
 * The descriptor that came with a datagram, or -1 if none; -2 if the
 * control data was malformed (the peer is dropped).
 */
static int
msg_chan_passed_fd(struct msg_chan *mc, struct msghdr *mh)
{
	struct cmsghdr	*c;
	int		 fd = -1;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_RIGHTS) {
			if (fd != -1 ||
			    c->cmsg_len != CMSG_LEN(sizeof(int))) {
				if (fd != -1)
					close(fd);
				msg_chan_drop(mc, "malformed descriptor");
				return -2;
			}
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
		}
	return fd;
}

/*
 * Whether every record of the n bytes at buf passes msg_chan_check(),
 * the first with fd: a datagram is taken whole or not at all.  0, or -1
 * when the peer was dropped.
 */
static int
msg_chan_check_all(struct msg_chan *mc, const unsigned char *buf, size_t n,
    int flags, int fd)
{
	struct msg_hdr	 hdr;
	size_t		 off = 0;

	do {
		if (msg_chan_check(mc, buf + off, n - off, flags, fd) == -1)
			return -1;
		memcpy(&hdr, buf + off, sizeof(hdr));
		off += sizeof(hdr) + hdr.mh_len;
		fd = -1;
	} while (off < n);
	return 0;
}

/*
 * One received datagram of n bytes: its descriptor taken out, all its
 * records checked, then each handed to the handler in turn (the
 * descriptor with the first, which is then the only one).  0, or -1 if
 * the channel was dropped or closed.
 */
static int
msg_chan_take(struct msg_chan *mc, struct msghdr *mh, size_t n)
{
	const unsigned char	*buf = mh->msg_iov[0].iov_base;
	union msg_record	 rec;
	size_t			 off = 0;
	int			 fd, chanfd = mc->mc_fd;

	if ((fd = msg_chan_passed_fd(mc, mh)) == -2 ||
	    msg_chan_check_all(mc, buf, n, mh->msg_flags, fd) == -1)
		return -1;
	/* a handler may close the channel: the rest goes unhandled */
	while (mc->mc_fd == chanfd && msg_unpack(buf, n, &off, &rec) == 1) {
		mc->mc_handler(mc, &rec.hdr, rec.buf + sizeof(rec.hdr), fd);
		fd = -1;
	}
	return mc->mc_fd == chanfd ? 0 : -1;
}

/* Where recvmmsg puts a batch: records, and room for one descriptor each. */
static union {
	struct msg_hdr	 hdr;
	unsigned char	 buf[MSG_MAX];
} msg_in[CHAN_BATCH];
static union {
	struct cmsghdr	 hdr;
	char		 buf[CMSG_SPACE(sizeof(int))];
} msg_in_cm[CHAN_BATCH];

static void
msg_in_prepare(struct mmsghdr *mm, struct iovec *iov)
{
	unsigned int	 i;

	memset(mm, 0, sizeof(*mm) * CHAN_BATCH);
	for (i = 0; i < CHAN_BATCH; i++) {
		iov[i].iov_base = msg_in[i].buf;
		iov[i].iov_len = sizeof(msg_in[i].buf);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = msg_in_cm[i].buf;
		mm[i].msg_hdr.msg_controllen = sizeof(msg_in_cm[i].buf);
	}
}

/*
 * Read up to CHAN_BATCH records in one call and handle them in order.
 * 1 done, 0 nothing more now, -1 the channel closed; 2: the peer closed
 * with our records unread, which is reported once, before the records
 * it sent last: read those too.
 */
static int
msg_chan_read_batch(struct msg_chan *mc)
{
	struct mmsghdr	 mm[CHAN_BATCH];
	struct iovec	 iov[CHAN_BATCH];
	int		 n, i, fd = mc->mc_fd;

	msg_in_prepare(mm, iov);
	if ((n = recvmmsg(fd, mm, CHAN_BATCH, MSG_CMSG_CLOEXEC, NULL)) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		if (errno == ECONNRESET)
			return 2;
		log_warn("%s: recvmmsg", mc->mc_name);
		msg_chan_closed(mc);
		return -1;
	}
	for (i = 0; i < n; i++) {
		/* a handler may close the channel: the rest goes unread */
		if (mc->mc_fd != fd)
			msg_close_passed(&mm[i].msg_hdr);
		else if (mm[i].msg_len == 0)
			msg_chan_closed(mc);
		else
			(void)msg_chan_take(mc, &mm[i].msg_hdr,
			    mm[i].msg_len);
	}
	return mc->mc_fd != fd ? -1 : n > 0;
}

static void
msg_chan_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct msg_chan	*mc = arg;
	int		 i;

	if (events & EPOLLOUT)
		msg_chan_flush(mc);
	/* a config's burst is out: the cap alone applies again */
	if (TAILQ_EMPTY(&mc->mc_out)) {
		mc->mc_burst = 0;
		log_queue_drained(mc);
	}
	/* one batch, so one chatty peer cannot starve the others */
	for (i = 0; i < 2 && mc->mc_fd != -1; i++)
		if (msg_chan_read_batch(mc) != 2)
			break;
	if (mc->mc_fd != -1 && (events & (EPOLLHUP | EPOLLERR)) &&
	    !(events & EPOLLIN))
		msg_chan_closed(mc);
}
