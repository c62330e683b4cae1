/*
 * Lines held back and written in batches (common/loghold.c).  A child
 * that holds its lines packs three LOG records to a datagram and sends
 * sixteen datagrams a call; the parent in the foreground writes its held
 * lines with one write(2).  No line is lost or reordered: a batch that
 * is full goes before the next line joins it, and a line written at once
 * (a fatal one in a child, a warning in the parent) goes after those
 * held.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "log.h"
#include "msg.h"

#define BATCH_LINES	48	/* 16 datagrams of 3 records */

static unsigned int	 got_dgrams, got_lines, got_wrong;
static char		 got_last[MSG_LOG_LEN];

/*
 * The parent's end: read every datagram there is, and see that the
 * lines come in order: "ipvsd: line N" with N counting from *next.
 */
static void
read_records(int fd, unsigned int *next)
{
	unsigned char		 buf[MSG_MAX];
	union msg_record	 rec;
	struct msg_log		 lg;
	char			 want[64];
	ssize_t			 n;
	size_t			 off;

	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		got_dgrams++;
		for (off = 0; msg_unpack(buf, n, &off, &rec) == 1;) {
			memcpy(&lg, rec.buf + sizeof(rec.hdr), sizeof(lg));
			lg.lg_text[sizeof(lg.lg_text) - 1] = '\0';
			strlcpy(got_last, lg.lg_text, sizeof(got_last));
			got_lines++;
			snprintf(want, sizeof(want), "ipvsd: line %u", *next);
			if (strncmp(lg.lg_text, "ipvsd: line ", 12) != 0)
				continue;
			if (strcmp(lg.lg_text, want) != 0)
				got_wrong++;
			(*next)++;
		}
	}
}

static void
reset_counts(void)
{
	got_dgrams = got_lines = got_wrong = 0;
	got_last[0] = '\0';
}

static void
test_child(void)
{
	unsigned int	 i, next = 0;
	int		 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) == -1)
		abort();
	log_procinit("ipvsd");
	log_to_parent(sv[0]);

	log_info("line %u", next);
	read_records(sv[1], &next);
	is_int(got_dgrams, 1, "not holding: a line is a datagram at once");

	reset_counts();
	log_hold(1);
	for (i = 0; i < 2 * BATCH_LINES; i++)
		log_info("line %u", 1 + i);
	read_records(sv[1], &next);
	is_int(got_lines, BATCH_LINES, "holding: a full batch went when the "
	    "next line came, the next batch waits");
	is_int(got_dgrams, BATCH_LINES / 3, "three lines to a datagram");

	log_flush();
	read_records(sv[1], &next);
	is_int(got_lines, 2 * BATCH_LINES, "log_flush sends what waits");

	reset_counts();
	log_info("line %u", next);
	logit(LOG_CRIT, "a fatal line");
	read_records(sv[1], &next);
	is_int(got_lines, 2, "a fatal line is not held...");
	is_str(got_last, "ipvsd: a fatal line", "...and comes after those held");

	reset_counts();
	log_info("line %u", next);
	log_hold(0);
	read_records(sv[1], &next);
	is_int(got_lines, 1, "log_hold(0) sends what waits");
	log_info("line %u", next);
	read_records(sv[1], &next);
	is_int(got_lines, 2, "and lines go at once again");
	is_int(got_wrong, 0, "every line came, in order");
	is_int(next, 2 * BATCH_LINES + 4, "none was lost");

	log_to_parent(-1);
	close(sv[0]);
	close(sv[1]);
}

/* What the pipe holds now (NUL-terminated), or "" */
static const char *
pipe_text(int fd)
{
	static char	 buf[65536];
	ssize_t		 n, len = 0;

	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	return buf;
}

static unsigned int
count_lines(const char *s)
{
	unsigned int	 n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_foreground(void)
{
	const char	*s;
	unsigned int	 i, n;
	int		 p[2], saved;

	if (pipe2(p, O_NONBLOCK) == -1 || (saved = dup(STDERR_FILENO)) == -1)
		abort();
	dup2(p[1], STDERR_FILENO);
	log_init(LOG_MODE_DEBUG, LOG_DAEMON);

	log_info("at once");
	is_str(pipe_text(p[0]), "at once\n", "not holding: a line is written "
	    "at once");

	log_hold(1);
	for (i = 0; i < 100; i++)
		log_info("held %u", i);
	is_str(pipe_text(p[0]), "", "holding: nothing written yet");
	log_warnx("a warning");
	s = pipe_text(p[0]);
	is_int(count_lines(s), 101, "a warning is written at once, with the "
	    "lines held before it");
	ok(strncmp(s, "held 0\nheld 1\n", 14) == 0 &&
	    strcmp(s + strlen(s) - 18, "held 99\na warning\n") == 0,
	    "in order, the warning last");

	for (i = 0; i < 1000; i++)
		log_info("a longer held line, number %u of a thousand", i);
	n = count_lines(pipe_text(p[0]));
	ok(n > 0 && n < 1000,
	    "a full buffer is written before the next line joins it");
	log_hold(0);
	is_int(n + count_lines(pipe_text(p[0])), 1000,
	    "log_hold(0) writes the rest");

	dup2(saved, STDERR_FILENO);
	close(saved);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	test_child();
	test_foreground();
	return tap_done();
}
