/*
 * fake-checker: a compromised lvsd-checker, for 51-forged-result.t.  The
 * test puts it in lvsd's libexec directory (-x) under the checker's name
 * (a shell script that execs it with DIR first), so that the parent
 * starts it on the checker's channel, fd 3, and restarts it each time it
 * drops it.
 *
 *	fake-checker DIR [the parent's arguments, ignored]
 *
 * It says READY, answers PINGs, learns the generation and the number of
 * CHECKs from the config, and then runs the cases of DIR/cases, one name
 * a line, in order.  DIR/next holds the index of the next case, so that
 * a new incarnation goes on where the dropped one stopped.  DIR/log gets
 * "pid PID case NAME" before each case.  The cases:
 *
 *	benign	what the parent must take, neutralized, without dropping:
 *		a RESULT of generation 0 (stale), a RESULT "down" for real 0
 *		with control characters in its reason, a LOG with control
 *		characters, a LOG of the longest text
 *	flood	FAKE_FLOOD valid RESULTs, every real, the last round "up"
 *	wait	wait until DIR/go exists, remove it, go on
 *	short	a RESULT one byte short
 *	state	a RESULT with state 3, past STATE_UNKNOWN
 *	unterminated	a RESULT whose reason has no NUL
 *	newgen	a RESULT of the next generation
 *	unknown	a RESULT for real id NDESTS (never declared)
 *	logshort	a LOG one byte short
 *	logunterminated	a LOG whose text has no NUL
 *	fd	a RESULT with a descriptor (DIR/passed, opened here)
 *	type	a STATE, which only ipvsd may receive
 *
 * Each drop case is followed by a LOG "fake-checker: NAME sent"; the
 * parent, having dropped the channel, never logs it; then the process
 * idles until the parent kills it.  Past the last case it idles.  It is not confined: the test only needs its messages.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "msg.h"

#define FAKE_FLOOD	30000
#define FAKE_NAME_LEN	64

static const char	*fake_dir;
static uint32_t		 fake_gen, fake_nchecks, fake_conf_gen;
static int		 fake_configured, fake_dropped, fake_peer = -1;

/* A message of type with a payload of len bytes, any len. */
static void
fake_send(unsigned int type, uint32_t gen, const void *payload, size_t len,
    int passfd)
{
	unsigned char	 buf[MSG_MAX];
	struct msg_hdr	 hdr;

	if (sizeof(hdr) + len > sizeof(buf))
		errx(1, "payload of %zu bytes", len);
	memset(&hdr, 0, sizeof(hdr));
	hdr.mh_type = type;
	hdr.mh_len = len;
	hdr.mh_gen = gen;
	memcpy(buf, &hdr, sizeof(hdr));
	if (len > 0)
		memcpy(buf + sizeof(hdr), payload, len);
	if (msg_send_record(MSG_PARENT_FD, buf, sizeof(hdr) + len, passfd) == -1)
		err(1, "sendmsg");
}

static void
fake_log(int priority, const char *text)
{
	struct msg_log	 lg;

	memset(&lg, 0, sizeof(lg));
	lg.lg_priority = priority;
	strlcpy(lg.lg_text, text, sizeof(lg.lg_text));
	fake_send(MSG_LOG, 0, &lg, sizeof(lg), -1);
}

static void
fake_result_init(struct msg_result *rs, uint32_t id, int up,
    const char *reason)
{
	memset(rs, 0, sizeof(*rs));
	rs->rs_id = id;
	rs->rs_up = up;
	rs->rs_state = up;
	rs->rs_latency_us = 1000;
	strlcpy(rs->rs_reason, reason, sizeof(rs->rs_reason));
}

static void	fake_read(void);

/* Answer what the parent has sent meanwhile: a PING unanswered kills. */
static void
fake_read_pending(void)
{
	struct pollfd	 pfd;

	pfd.fd = MSG_PARENT_FD;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLIN | POLLHUP)))
		fake_read();
}

static void
fake_benign(void)
{
	struct msg_result	 rs;
	struct msg_log		 lg;

	fake_result_init(&rs, 0, 1, "fake-checker: stale");
	fake_send(MSG_RESULT, 0, &rs, sizeof(rs), -1);
	fake_result_init(&rs, 0, 0,
	    "forged\treason\033[2J\r\nlvsd: FORGED \"quoted\" back\\slash");
	fake_send(MSG_RESULT, fake_gen, &rs, sizeof(rs), -1);
	fake_log(LOG_WARNING, "fake-checker: forged line follows\n"
	    "lvsd: FORGED\r\033[2K\t\a\177\377 end");
	memset(&lg, 0, sizeof(lg));
	lg.lg_priority = LOG_INFO;
	memset(lg.lg_text, 'L', sizeof(lg.lg_text) - 1);
	memcpy(lg.lg_text, "fake-checker: long ", 19);
	fake_send(MSG_LOG, 0, &lg, sizeof(lg), -1);
	fake_log(LOG_INFO, "fake-checker: benign done");
}

/*
 * Valid RESULTs as fast as the parent takes them, in rounds over every
 * real, up and down in turn; the last round says up.
 */
static void
fake_flood(void)
{
	struct msg_result	 rs;
	uint32_t		 round, id, nrounds = FAKE_FLOOD / fake_nchecks;

	for (round = 0; round < nrounds; round++)
		for (id = 0; id < fake_nchecks; id++) {
			fake_result_init(&rs, id, (nrounds - round) % 2,
			    "fake-checker: flood");
			fake_send(MSG_RESULT, fake_gen, &rs, sizeof(rs), -1);
			if ((round * fake_nchecks + id) % 1000 == 0)
				fake_read_pending();
		}
	fake_log(LOG_INFO, "fake-checker: flood done");
}

/* A LOG one byte short, or with no NUL in its text. */
static void
fake_bad_log(int unterminated)
{
	struct msg_log	 lg;

	memset(&lg, 0, sizeof(lg));
	lg.lg_priority = LOG_INFO;
	memset(lg.lg_text, 'x', sizeof(lg.lg_text));
	if (unterminated)
		fake_send(MSG_LOG, 0, &lg, sizeof(lg), -1);
	else
		fake_send(MSG_LOG, 0, &lg, sizeof(lg) - 1, -1);
}

static void
fake_passed_fd(void)
{
	struct msg_result	 rs;
	char			 path[1024];
	int			 fd;

	snprintf(path, sizeof(path), "%s/passed", fake_dir);
	if ((fd = open(path, O_RDONLY | O_CREAT, 0600)) == -1)
		err(1, "%s", path);
	fake_result_init(&rs, 0, 1, "fake-checker: with a descriptor");
	fake_send(MSG_RESULT, fake_gen, &rs, sizeof(rs), fd);
	close(fd);
}

static void
fake_state(void)
{
	struct msg_state	 st;

	memset(&st, 0, sizeof(st));
	fake_send(MSG_STATE, fake_gen, &st, sizeof(st), -1);
}

/* The RESULTs the parent must refuse; 0 if name is none of them. */
static int
fake_bad_result(const char *name)
{
	struct msg_result	 rs;
	uint32_t		 gen = fake_gen;
	size_t			 len = sizeof(rs);

	fake_result_init(&rs, 0, 1, "fake-checker: forged");
	if (strcmp(name, "short") == 0)
		len--;
	else if (strcmp(name, "state") == 0)
		rs.rs_state = STATE_UNKNOWN + 1;
	else if (strcmp(name, "unterminated") == 0)
		memset(rs.rs_reason, 'r', sizeof(rs.rs_reason));
	else if (strcmp(name, "newgen") == 0)
		gen++;
	else if (strcmp(name, "unknown") == 0)
		rs.rs_id = fake_nchecks;
	else
		return 0;
	fake_send(MSG_RESULT, gen, &rs, len, -1);
	return 1;
}

/* Run one drop case; 0 if name is none. */
static int
fake_drop_case(const char *name)
{
	char	 line[128];

	if (fake_bad_result(name))
		;
	else if (strcmp(name, "logshort") == 0)
		fake_bad_log(0);
	else if (strcmp(name, "logunterminated") == 0)
		fake_bad_log(1);
	else if (strcmp(name, "fd") == 0)
		fake_passed_fd();
	else if (strcmp(name, "type") == 0)
		fake_state();
	else
		return 0;
	snprintf(line, sizeof(line), "fake-checker: %s sent", name);
	fake_log(LOG_INFO, line);
	return 1;
}

static unsigned int
fake_next_index(void)
{
	char		 path[1024], buf[32];
	const char	*errstr;
	FILE		*f;
	unsigned int	 n = 0;

	snprintf(path, sizeof(path), "%s/next", fake_dir);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		n = strtonum(buf, 0, 1000, &errstr);
		if (errstr != NULL)
			errx(1, "%s: %s", path, errstr);
	}
	fclose(f);
	return n;
}

/* Atomically: the parent may kill this process at any moment. */
static void
fake_set_next(unsigned int n)
{
	char	 path[1024], tmp[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/next", fake_dir);
	snprintf(tmp, sizeof(tmp), "%s/next.tmp", fake_dir);
	if ((f = fopen(tmp, "w")) == NULL)
		err(1, "%s", tmp);
	fprintf(f, "%u\n", n);
	if (fclose(f) != 0 || rename(tmp, path) == -1)
		err(1, "%s", path);
}

/* Case n of DIR/cases into name; 0 past the last. */
static int
fake_case_name(unsigned int n, char *name, size_t len)
{
	char		 path[1024];
	FILE		*f;
	unsigned int	 i;
	int		 found = 0;

	snprintf(path, sizeof(path), "%s/cases", fake_dir);
	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	for (i = 0; i <= n && fgets(name, (int)len, f) != NULL; i++)
		found = i == n;
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	return found;
}

static void
fake_note(const char *name)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/log", fake_dir);
	if ((f = fopen(path, "a")) == NULL)
		err(1, "%s", path);
	fprintf(f, "pid %ld case %s\n", (long)getpid(), name);
	fclose(f);
}

/* "wait": 1 while DIR/go is not there yet. */
static int
fake_waiting(void)
{
	char	 path[1024];

	snprintf(path, sizeof(path), "%s/go", fake_dir);
	if (unlink(path) == 0)
		return 0;
	if (errno != ENOENT)
		err(1, "unlink %s", path);
	return 1;
}

/*
 * Run the cases due; returns when one must wait, or after a case the
 * parent drops this process for: the next one is for the next process.
 */
static void
fake_run_cases(void)
{
	char		 name[FAKE_NAME_LEN];
	unsigned int	 n;

	while (!fake_dropped && fake_case_name((n = fake_next_index()), name, sizeof(name))) {
		if (strcmp(name, "wait") == 0 && fake_waiting())
			return;
		fake_set_next(n + 1);
		fake_note(name);
		if (strcmp(name, "wait") == 0)
			continue;
		if (strcmp(name, "benign") == 0)
			fake_benign();
		else if (strcmp(name, "flood") == 0)
			fake_flood();
		else if (fake_drop_case(name))
			fake_dropped = 1;
		else
			errx(1, "unknown case '%s'", name);
	}
}

static void
fake_received(const struct msg_hdr *hdr, const unsigned char *payload,
    int fd)
{
	switch (hdr->mh_type) {
	case MSG_CONF_BEGIN:
		fake_conf_gen = hdr->mh_gen;
		fake_nchecks = 0;
		break;
	case MSG_CHECK:
	case MSG_CHECK_LIKE:
		fake_nchecks++;
		break;
	case MSG_CONF_END:
		fake_gen = fake_conf_gen;
		fake_configured = fake_nchecks > 0;
		break;
	case MSG_PING:
		fake_send(MSG_PONG, hdr->mh_gen, payload, hdr->mh_len, -1);
		break;
	case MSG_PEER:
		/* kept open and never read: ipvsd hears nothing from us */
		if (fake_peer != -1)
			close(fake_peer);
		fake_peer = fd;
		return;
	default:
		break;
	}
	if (fd != -1)
		close(fd);
}

/* Read one datagram from the parent; exits when the parent closes. */
static void
fake_read(void)
{
	unsigned char		 in[MSG_MAX];
	union msg_record	 rec;
	size_t			 off = 0;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*c;
	ssize_t		 n;
	int		 fd = -1;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = in;
	iov.iov_len = sizeof(in);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	if ((n = recvmsg(MSG_PARENT_FD, &mh, MSG_CMSG_CLOEXEC)) == -1)
		err(1, "recvmsg");
	if (n == 0)
		exit(0);
	c = CMSG_FIRSTHDR(&mh);
	if (c != NULL && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	/* records packed in one datagram; a descriptor comes alone */
	while (msg_unpack(in, n, &off, &rec) == 1) {
		fake_received(&rec.hdr, rec.buf + sizeof(rec.hdr), fd);
		fd = -1;
	}
	if (fd != -1)
		close(fd);
}

int
main(int argc, char *argv[])
{
	struct pollfd	 pfd;

	if (argc < 2)
		errx(2, "usage: fake-checker DIR [ARG ...]");
	fake_dir = argv[1];
	fake_send(MSG_READY, 0, NULL, 0, -1);
	pfd.fd = MSG_PARENT_FD;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, 100) == -1 && errno != EINTR)
			err(1, "poll");
		if (pfd.revents & (POLLIN | POLLHUP))
			fake_read();
		if (fake_configured)
			fake_run_cases();
	}
}
