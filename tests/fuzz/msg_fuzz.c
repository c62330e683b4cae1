/*
 * Fuzz target: the first-level validation of every channel (common/msg.c)
 * through the real receive path.  The input's first byte picks one of
 * the allow-lists lvsd's channels have and whether a descriptor travels
 * along; the rest is one datagram on a SOCK_SEQPACKET pair, read by a
 * msg_chan on the event loop: records packed back to back (msg.h).
 * Whatever the datagram, exactly one of two things happens: the handler
 * sees each of its records, whole, of an allowed type, with its exact
 * length (and a descriptor only with PEER, EXEC_PEER or CA, alone in its
 * datagram), or the channel is dropped before the handler saw any.  No
 * descriptor may leak either way.
 */
#include <sys/socket.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The allow-lists of lvsd's channel ends (see each msg_chan_init). */
static const uint32_t fuzz_masks[] = {
	/* ipvsd, from the parent */
	MSG_ALLOW(MSG_CONF_BEGIN) | MSG_ALLOW(MSG_SERVICE) |
	    MSG_ALLOW(MSG_DEST) | MSG_ALLOW(MSG_CONF_END) |
	    MSG_ALLOW(MSG_PEER) | MSG_ALLOW(MSG_SHUTDOWN) | MSG_ALLOW(MSG_PING) |
	    MSG_ALLOW(MSG_SYNC),
	/* the checker, from the parent */
	MSG_ALLOW(MSG_CONF_BEGIN) | MSG_ALLOW(MSG_CHECK) |
	    MSG_ALLOW(MSG_CHECK_LIKE) | MSG_ALLOW(MSG_CONF_END) |
	    MSG_ALLOW(MSG_PEER) | MSG_ALLOW(MSG_EXEC_PEER) |
	    MSG_ALLOW(MSG_PING) | MSG_ALLOW(MSG_CA) | MSG_ALLOW(MSG_ALERT),
	/* lvsd-exec, from the parent */
	MSG_ALLOW(MSG_CONF_BEGIN) | MSG_ALLOW(MSG_EXEC_CMD) |
	    MSG_ALLOW(MSG_CONF_END) | MSG_ALLOW(MSG_PEER) | MSG_ALLOW(MSG_PING),
	/* lvsd-exec, from the checker */
	MSG_ALLOW(MSG_EXEC_RUN),
	/* the checker, from lvsd-exec */
	MSG_ALLOW(MSG_EXEC_DONE),
	/* ipvsd, from the checker */
	MSG_ALLOW(MSG_STATE),
	/* the checker, from ipvsd */
	MSG_ALLOW(MSG_SNAPSHOT_REQUEST),
	/* the parent, from ipvsd */
	MSG_ALLOW(MSG_READY) | MSG_ALLOW(MSG_LOG) | MSG_ALLOW(MSG_PONG) |
	    MSG_ALLOW(MSG_APPLIED),
	/* the parent, from the checker */
	MSG_ALLOW(MSG_READY) | MSG_ALLOW(MSG_LOG) | MSG_ALLOW(MSG_PONG) |
	    MSG_ALLOW(MSG_RESULT) | MSG_ALLOW(MSG_STATS),
	/* the parent, from lvsd-exec */
	MSG_ALLOW(MSG_READY) | MSG_ALLOW(MSG_LOG) | MSG_ALLOW(MSG_PONG),
};
#define FUZZ_NMASKS	(sizeof(fuzz_masks) / sizeof(fuzz_masks[0]))

static int	 fuzz_handled;		/* records the handler saw */
static int	 fuzz_dropped;		/* the channel was dropped */

static void
fuzz_handler(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *payload, int fd)
{
	int	 takes_fd = hdr->mh_type == MSG_PEER ||
	    hdr->mh_type == MSG_EXEC_PEER || hdr->mh_type == MSG_CA;

	if (hdr->mh_type >= MSG_TYPE_MAX ||
	    !(mc->mc_allowed & MSG_ALLOW(hdr->mh_type)) ||
	    hdr->mh_len != msg_payload_len(hdr->mh_type) ||
	    (fd != -1) != takes_fd || (takes_fd && fuzz_handled != 0))
		abort();
	if (fuzz_dropped)
		abort();	/* a datagram is taken whole or not at all */
	fuzz_handled++;
	if (hdr->mh_type == MSG_STATS) {
		struct msg_stats	 sa;

		/* the parent's check of the counts, on whatever came */
		memcpy(&sa, payload, sizeof(sa));
		(void)msg_stats_ok(&sa);
	}
	if (fd != -1)
		close(fd);
	ev_break();
}

static void
fuzz_closed(struct msg_chan *mc)
{
	if (fuzz_handled != 0 || fuzz_dropped)
		abort();
	fuzz_dropped = 1;
	ev_break();
}

static int
fuzz_free_fd(void)
{
	int	 fd;

	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		abort();
	close(fd);
	return fd;
}

static void
fuzz_init(void)
{
	int	 fd;

	log_init(1, LOG_DAEMON);
	/* a non-socket: the drop messages go nowhere, at once */
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1)
		abort();
	log_to_parent(fd);
	ev_init();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 initialized;
	struct msg_chan		 mc;
	int			 sv[2], passfd = -1, lowest;

	if (!initialized) {
		fuzz_init();
		initialized = 1;
	}
	if (size < 1 || size > MSG_MAX + 1024)
		return 0;
	lowest = fuzz_free_fd();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		abort();
	if ((data[0] & 0x80) &&
	    (passfd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		abort();
	if (passfd == -1) {
		if (send(sv[0], data + 1, size - 1, 0) != (ssize_t)(size - 1))
			abort();
	} else {
		/* msg_send_raw builds a valid header: send the bytes as is */
		struct msghdr	 mh;
		struct iovec	 iov;
		union {
			struct cmsghdr	 hdr;
			char		 buf[CMSG_SPACE(sizeof(int))];
		} cm;
		struct cmsghdr	*c;

		memset(&mh, 0, sizeof(mh));
		memset(&cm, 0, sizeof(cm));
		iov.iov_base = (void *)(uintptr_t)(data + 1);
		iov.iov_len = size - 1;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &passfd, sizeof(int));
		if (sendmsg(sv[0], &mh, 0) != (ssize_t)(size - 1))
			abort();
		close(passfd);
	}
	fuzz_handled = fuzz_dropped = 0;
	msg_chan_init(&mc, sv[1], "fuzz", fuzz_masks[(data[0] & 0x7f) %
	    FUZZ_NMASKS], fuzz_handler, fuzz_closed, NULL);
	ev_loop();
	if (fuzz_handled == 0 && !fuzz_dropped)
		abort();
	msg_chan_close(&mc);
	close(sv[0]);
	/* a descriptor left open by the receive path would show here */
	if (fuzz_free_fd() != lowest)
		abort();
	return 0;
}
