/*
 * The connection sync daemons in `lvsd show` (text and JSON) and `lvsd
 * metrics`: those of the configuration in force, as configured.  The
 * parent reads the IPVS table from /proc/net/ip_vs, which does not list
 * the sync daemons; only ipvsd talks netlink, and it logs every start and
 * stop of one, and every failure to.  A configuration without sync
 * directives leaves the kernel's daemons alone: nothing to show.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "lvsd.h"

/* "master", "backup" or "master and backup" */
static const char *
showsync_states(unsigned int states)
{
	if (states == (SYNC_MASTER | SYNC_BACKUP))
		return "master and backup";
	return states == SYNC_MASTER ? "master" : "backup";
}

/* One line after the configuration's, or none without sync daemons. */
void
showsync_text(FILE *out, const struct conf *c)
{
	char	 group[ADDR_STRLEN], maxlen[24] = "the kernel's";

	if (c->c_syncstates == 0)
		return;
	addr_port_ntop(&c->c_syncgroup, c->c_syncport, group, sizeof(group));
	if (c->c_syncmaxlen != 0)
		snprintf(maxlen, sizeof(maxlen), "%u", c->c_syncmaxlen);
	fprintf(out, "sync daemons (as configured): %s on %s, syncid %u, "
	    "group %s, ttl %u, maxlen %s\n", showsync_states(c->c_syncstates),
	    c->c_syncif, c->c_syncid, group, c->c_syncttl, maxlen);
}

/* The value of "sync": null, or an object. */
void
showsync_json(FILE *out, const struct conf *c)
{
	char	 group[ADDR_STRLEN];

	if (c->c_syncstates == 0) {
		fprintf(out, "null");
		return;
	}
	addr_ntop(&c->c_syncgroup, group, sizeof(group));
	fprintf(out, "{\"source\": \"configuration\", \"states\": [%s%s%s], "
	    "\"interface\": \"%s\", \"syncid\": %u, \"group\": \"%s\", "
	    "\"port\": %u, \"ttl\": %u, ",
	    c->c_syncstates & SYNC_MASTER ? "\"master\"" : "",
	    c->c_syncstates == (SYNC_MASTER | SYNC_BACKUP) ? ", " : "",
	    c->c_syncstates & SYNC_BACKUP ? "\"backup\"" : "",
	    c->c_syncif, c->c_syncid, group, c->c_syncport, c->c_syncttl);
	if (c->c_syncmaxlen != 0)
		fprintf(out, "\"maxlen\": %u}", c->c_syncmaxlen);
	else
		fprintf(out, "\"maxlen\": null}");
}

/* lvsd_sync_daemon: one sample per configured state, none without. */
void
showsync_metrics(FILE *out, const struct conf *c)
{
	static const unsigned int	 states[] = { SYNC_MASTER, SYNC_BACKUP };
	size_t				 i;

	fprintf(out, "# HELP lvsd_sync_daemon The connection sync daemons "
	    "of the configuration in force, as configured.\n"
	    "# TYPE lvsd_sync_daemon gauge\n");
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (c->c_syncstates & states[i])
			fprintf(out, "lvsd_sync_daemon{state=\"%s\","
			    "interface=\"%s\",syncid=\"%u\"} 1\n",
			    showsync_states(states[i]), c->c_syncif,
			    c->c_syncid);
}
