/*
 * Maintenance by hand: `lvsd disable REAL` takes a real server out of
 * rotation (weight 0 in a quiescent service, else removed) whatever its
 * checks say, `lvsd enable REAL` gives it back to them.  REAL is an
 * address, which means every port of it, or address:port.  The list
 * lives in the parent, so it survives reloads and restarts of either
 * child; every DEST sent to ipvsd carries the flag.  The checker is not
 * told: it goes on probing, so an enabled real comes back in the state
 * its checks found meanwhile.  A file in maintenancedir does the same
 * (maintdir.c); the two add up: a real is out while either says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* Far more than anyone takes out by hand at once. */
#define MAINT_MAX	1024

static struct maint	 maint_list[MAINT_MAX];
static size_t		 maint_n;

/* Out of rotation: disabled by hand or by a maintenance file. */
int
maint_is_disabled(const struct addr *a, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < maint_n; i++)
		if (maint_matches(&maint_list[i], a, port))
			return 1;
	return maintdir_matches(a, port);
}

/* enable cannot take a real out of maintenancedir: say so. */
static void
maint_tell_file(const char *arg, const struct maint *m, FILE *out)
{
	if (!maintdir_covers(m))
		return;
	/* the log too: an enable that changed something answers later */
	fprintf(out, "%s: a file in maintenancedir %s keeps it out of "
	    "rotation\n", arg, env->e_conf->c_maintenancedir);
	log_info("%s: a file in maintenancedir %s keeps it out of rotation",
	    arg, env->e_conf->c_maintenancedir);
}

/* How many reals of the config in force m names. */
static unsigned int
maint_count(const struct maint *m)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	unsigned int			 n = 0;

	TAILQ_FOREACH(v, &env->e_conf->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry)
			n += maint_matches(m, &r->r_addr, r->r_port);
	return n;
}

static ssize_t
maint_find(const struct maint *m)
{
	size_t	 i;

	for (i = 0; i < maint_n; i++)
		if (maint_same(&maint_list[i], m))
			return (ssize_t)i;
	return -1;
}

/*
 * disable (1) or enable (0) what arg names.  Returns the exit code for
 * the command: 0 when a new generation is on its way to ipvsd (*pushed
 * set), 0 too when there was nothing to change, 1 or 2 on an error, told
 * to out.
 */
int
maint_set(const char *arg, int disable, FILE *out, int *pushed)
{
	struct maint	 m;
	ssize_t		 i;
	unsigned int	 n;

	*pushed = 0;
	if (arg == NULL || maint_parse(arg, &m) == -1) {
		fprintf(out, "expected ADDRESS or ADDRESS:PORT, not '%s'\n",
		    arg != NULL ? arg : "");
		return 2;
	}
	i = maint_find(&m);
	if ((n = maint_count(&m)) == 0 && (disable || i == -1)) {
		fprintf(out, "%s: no such real server in %s\n", arg,
		    env->e_conffile);
		return 1;
	}
	if (disable == (i != -1)) {
		fprintf(out, "%s is %s already\n", arg,
		    disable ? "disabled" : "not disabled");
		maint_tell_file(arg, &m, out);
		return 0;
	}
	if (disable) {
		if (maint_n == MAINT_MAX) {
			fprintf(out, "%zu real servers are disabled already; "
			    "enable some first\n", maint_n);
			return 1;
		}
		maint_list[maint_n++] = m;
	} else
		maint_list[i] = maint_list[--maint_n];
	log_info("%s %s by hand (%u real servers)", arg,
	    disable ? "disabled" : "enabled", n);
	status_maint_changed();
	env->e_gen++;
	proc_push_config();
	*pushed = 1;
	if (!disable)
		maint_tell_file(arg, &m, out);
	return 0;
}
