/*
 * maintenancedir=DIR, as ldirectord's: a file in DIR named after a real
 * server (ADDRESS, every port of it, or ADDRESS:PORT; IPv6 in brackets)
 * takes that real out of rotation as `lvsd disable` does, and its
 * removal gives the real back to its checks.  A real is out if it is
 * disabled by hand or has a maintenance file; `lvsd enable` does not
 * remove a file, and removing a file does not enable a real disabled by
 * hand.
 *
 * The parent reads DIR every MAINTDIR_POLL_MS rather than watching it
 * with inotify: a poll sees a directory that appears, disappears or is
 * replaced (a symbolic link switched, a mount) without any re-arming,
 * and one bounded readdir a second costs nothing.  A reload reads it at
 * once, the new DIR if maintenancedir changed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* Often enough to feel immediate (ldirectord: one check interval). */
#define MAINTDIR_POLL_MS	1000
/* Ignored names told once per change of them, this many at most. */
#define MAINTDIR_TELL_MAX	8

static struct maint	 md_tab[MAINTDIR_MAX];
static size_t		 md_n;
static char		 md_dir[1024];		/* "" when unset */
static int		 md_errno;		/* told already */
static struct ev_timer	 md_timer;

/* The names passed over in one reading, told only when they change. */
struct md_ignored {
	uint64_t	 mi_digest;
	size_t		 mi_n;
	char		 mi_tell[MAINTDIR_TELL_MAX][MAINT_NAME_MAX + 64];
};
static uint64_t		 md_ignored_digest;

int
maintdir_matches(const struct addr *a, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < md_n; i++)
		if (maint_matches(&md_tab[i], a, port))
			return 1;
	return 0;
}

/* Does a file of DIR keep out a real that m names? */
int
maintdir_covers(const struct maint *m)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;

	TAILQ_FOREACH(v, &env->e_conf->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry)
			if (maint_matches(m, &r->r_addr, r->r_port) &&
			    maintdir_matches(&r->r_addr, r->r_port))
				return 1;
	return 0;
}

static void
maintdir_ignore(const char *name, const char *why, void *arg)
{
	struct md_ignored	*mi = arg;
	const unsigned char	*p;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		mi->mi_digest = (mi->mi_digest ^ *p) * 1099511628211ULL;
	if (mi->mi_n < MAINTDIR_TELL_MAX)
		snprintf(mi->mi_tell[mi->mi_n], sizeof(mi->mi_tell[0]),
		    "%.*s: %s", MAINT_NAME_MAX, name, why);
	mi->mi_n++;
}

static void
maintdir_tell_ignored(const struct md_ignored *mi)
{
	size_t	 i;

	if (mi->mi_digest == md_ignored_digest)
		return;
	md_ignored_digest = mi->mi_digest;
	for (i = 0; i < mi->mi_n && i < MAINTDIR_TELL_MAX; i++)
		log_warnx("maintenancedir %s: ignoring %s", md_dir,
		    mi->mi_tell[i]);
	if (mi->mi_n > MAINTDIR_TELL_MAX)
		log_warnx("maintenancedir %s: and %zu more ignored", md_dir,
		    mi->mi_n - MAINTDIR_TELL_MAX);
}

/* How many reals of c m names. */
static unsigned int
maintdir_count(const struct conf *c, const struct maint *m)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	unsigned int			 n = 0;

	TAILQ_FOREACH(v, &c->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry)
			n += maint_matches(m, &r->r_addr, r->r_port);
	return n;
}

/* Log what differs between the old files and the new; 1 if any. */
static int
maintdir_tell_changes(const struct conf *c, const struct maint *old,
    size_t nold, const struct maint *new, size_t nnew)
{
	char		 name[ADDR_STRLEN];
	size_t		 i, j;
	int		 changed = 0, dir;

	for (dir = 0; dir < 2; dir++)
		for (i = 0; i < (dir ? nnew : nold); i++) {
			const struct maint *m = dir ? &new[i] : &old[i];

			for (j = 0; j < (dir ? nold : nnew); j++)
				if (maint_same(m, dir ? &old[j] : &new[j]))
					break;
			if (j < (dir ? nold : nnew))
				continue;
			changed = 1;
			if (m->m_port != 0)
				addr_port_ntop(&m->m_addr, m->m_port, name,
				    sizeof(name));
			else
				addr_ntop(&m->m_addr, name, sizeof(name));
			log_info("maintenance file for %s %s: %u real servers "
			    "%s", name, dir ? "appeared" : "removed",
			    maintdir_count(c, m), dir ? "out of rotation" :
			    "back to their checks");
		}
	return changed;
}

/* Read c's maintenancedir; 1 if its files changed. */
static int
maintdir_scan(const struct conf *c)
{
	struct maint		 tab[MAINTDIR_MAX];
	struct md_ignored	 mi;
	size_t			 n = 0;
	int			 changed;

	memset(&mi, 0, sizeof(mi));
	if (md_dir[0] != '\0' && maintdir_read(md_dir, tab, MAINTDIR_MAX, &n,
	    maintdir_ignore, &mi) == -1) {
		if (errno != md_errno)
			log_warn("maintenancedir %s", md_dir);
		md_errno = errno;
		n = 0;
	} else
		md_errno = 0;
	maintdir_tell_ignored(&mi);
	changed = maintdir_tell_changes(c, md_tab, md_n, tab, n);
	memcpy(md_tab, tab, n * sizeof(tab[0]));
	md_n = n;
	return changed;
}

/*
 * A config is about to come into force (at start, at a reload): read its
 * maintenancedir now, so that the DESTs of the config carry the files.
 */
void
maintdir_load(const struct conf *c)
{
	const char	*dir = c->c_maintenancedir != NULL ?
			    c->c_maintenancedir : "";

	if (strcmp(dir, md_dir) != 0) {
		if (dir[0] != '\0')
			log_info("maintenancedir %s: looked at every %d ms",
			    dir, MAINTDIR_POLL_MS);
		strlcpy(md_dir, dir, sizeof(md_dir));
		md_errno = 0;
		md_ignored_digest = 0;
	}
	(void)maintdir_scan(c);
}

static void
maintdir_poll(void *arg)
{
	ev_timer_add(&md_timer, MAINTDIR_POLL_MS);
	if (env->e_stopping || md_dir[0] == '\0' || !maintdir_scan(env->e_conf))
		return;
	status_maint_changed();
	env->e_gen++;
	proc_push_config();
}

void
maintdir_init(void)
{
	ev_timer_set(&md_timer, maintdir_poll, NULL);
	ev_timer_add(&md_timer, MAINTDIR_POLL_MS);
}
