/*
 * autoreload=yes, as ldirectord's: the config file is looked at every
 * AUTORELOAD_POLL_MS; when its inode, size or modification time changed
 * and its content did too, it is reloaded as `lvsd reload` would.  A
 * file that does not parse is reported once, and looked at again only
 * once it changes again.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* Often enough to feel immediate, rarely enough to cost nothing. */
#define AUTORELOAD_POLL_MS	2000

static struct ev_timer	 ar_timer;
static struct stat	 ar_st;
static uint64_t		 ar_digest;

/* FNV-1a over the file: a change detector, not a defence. */
static int
autoreload_digest(const char *path, uint64_t *digest)
{
	unsigned char	 buf[8192];
	uint64_t	 h = 14695981039346656037ULL;
	ssize_t		 n, i;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
	close(fd);
	if (n == -1)
		return -1;
	*digest = h;
	return 0;
}

static int
autoreload_same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void
autoreload_poll(void *arg)
{
	struct stat	 st;
	uint64_t	 digest;

	ev_timer_add(&ar_timer, AUTORELOAD_POLL_MS);
	if (env->e_stopping || (!env->e_conf->c_autoreload &&
	    env->e_conf->c_callback == NULL) ||
	    stat(env->e_conffile, &st) == -1 ||
	    autoreload_same_stat(&st, &ar_st))
		return;
	ar_st = st;
	if (autoreload_digest(env->e_conffile, &digest) == -1 ||
	    digest == ar_digest)
		return;
	if (env->e_conf->c_autoreload) {
		log_info("configuration file %s has changed on disk; "
		    "reloading", env->e_conffile);
		reload_run(NULL);	/* which runs the callback */
		return;
	}
	ar_digest = digest;
	log_info("configuration file %s has changed on disk; not reloaded "
	    "(autoreload=no)", env->e_conffile);
	hooks_callback();
}

/*
 * Remember the file as it is now: at start and at every reload.  1 if
 * its content differs from what was remembered (the callback runs).
 */
int
autoreload_mark(void)
{
	uint64_t	 old = ar_digest;

	if (stat(env->e_conffile, &ar_st) == -1)
		memset(&ar_st, 0, sizeof(ar_st));
	if (autoreload_digest(env->e_conffile, &ar_digest) == -1)
		ar_digest = 0;
	return ar_digest != old;
}

void
autoreload_init(void)
{
	(void)autoreload_mark();
	ev_timer_set(&ar_timer, autoreload_poll, NULL);
	ev_timer_add(&ar_timer, AUTORELOAD_POLL_MS);
}
