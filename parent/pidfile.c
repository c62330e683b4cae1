/*
 * One pid file per configuration file, as ldirectord keeps: a second
 * lvsd on the same config refuses to start.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "lvsd.h"

/* /run/lvsd.<config file name>.pid */
void
lvsd_pidfile_path(char *buf, size_t len, const char *conffile)
{
	char	 copy[1024];

	strlcpy(copy, conffile, sizeof(copy));
	snprintf(buf, len, "/run/lvsd.%s.pid", basename(copy));
}

/* The pid of a live lvsd holding the pid file, or 0. */
pid_t
lvsd_pidfile_running(const char *path)
{
	char		 buf[32];
	const char	*errstr;
	pid_t		 pid;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	/* a held lock means a live owner; no lock, a stale file */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	pid = strtonum(buf, 2, INT32_MAX, &errstr);
	/* EPERM: alive, and someone else's (a user asking for status) */
	if (errstr != NULL || (kill(pid, 0) == -1 && errno != EPERM))
		return 0;
	return pid;
}

/*
 * Create and lock the pid file; the lock lives as long as the process.
 * -1 if another lvsd holds it.
 */
int
lvsd_pidfile_create(const char *path)
{
	char	 buf[32];
	int	 fd, n;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0644)) == -1)
		fatal("open %s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK)
			fatal("flock %s", path);
		close(fd);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, buf, (size_t)n) != n)
		fatal("write %s", path);
	/* fd stays open, and locked, until exit */
	return 0;
}

void
lvsd_pidfile_remove(const char *path)
{
	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("unlink %s", path);
}
