/*
 * The kernel's connection synchronisation daemons: what the parent may
 * ask for (MSG_SYNC), and what to do to the kernel's, reconciled like
 * the services.
 *
 * A configuration that names sync daemons owns both of the kernel's
 * slots (it has one master and one backup per network namespace): the
 * named states run with exactly the configured parameters, the other is
 * stopped.  A configuration that names none leaves the kernel's alone,
 * unless the configuration before it, in this ipvsd, named some: those
 * it stops, as it removes a service that left the configuration.  A
 * daemon that runs as configured is never touched, so a restarted lvsd
 * keeps connection sync running.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ipvsd.h"

_Static_assert(SYNC_OPS_MAX == 2 * SYNC_SLOTS, "a DEL and a NEW per slot");

static int
sync_group_ok(const struct addr *a)
{
	if (!msg_addr_ok(a))
		return 0;
	if (a->a_af == AF_INET)
		return IN_MULTICAST(ntohl(a->a_u.v4.s_addr));
	return IN6_IS_ADDR_MULTICAST(&a->a_u.v6);
}

/* An interface name: 1 to 15 printable bytes, no '/', ':' or space. */
static int
sync_ifname_ok(const char *s, size_t len)
{
	size_t	 i;

	if (!msg_str_ok(s, len) || s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!isgraph((unsigned char)s[i]) || s[i] == '/' ||
		    s[i] == ':')
			return 0;
	/* nothing after the name: the field is compared whole */
	for (; i < len; i++)
		if (s[i] != '\0')
			return 0;
	return 1;
}

/* NULL if the parent's MSG_SYNC is well-formed, else what is wrong. */
const char *
sync_msg_check(const struct msg_sync *sy)
{
	if (sy->sy_states == 0 ||
	    (sy->sy_states & ~(SYNC_MASTER | SYNC_BACKUP)) != 0)
		return "states out of range";
	if (sy->sy_ttl == 0)
		return "ttl 0";
	if (sy->sy_port == 0)
		return "port 0";
	if (sy->sy_syncid > 255)
		return "syncid out of range";
	if (sy->sy_maxlen != 0 && (sy->sy_maxlen < SYNC_MAXLEN_MIN ||
	    sy->sy_maxlen > SYNC_MAXLEN_MAX))
		return "maxlen out of range";
	if (!sync_group_ok(&sy->sy_group))
		return "group not a multicast address";
	if (!sync_ifname_ok(sy->sy_ifname, sizeof(sy->sy_ifname)))
		return "bad interface name";
	return NULL;
}

/* The slot of a state: 0 for the master, 1 for the backup, else -1. */
int
sync_slot(uint32_t state)
{
	if (state == SYNC_MASTER)
		return 0;
	if (state == SYNC_BACKUP)
		return 1;
	return -1;
}

/* The daemons a checked MSG_SYNC asks for. */
void
sync_from_msg(struct sync_set *ss, const struct msg_sync *sy)
{
	static const uint32_t	 states[SYNC_SLOTS] = {
		SYNC_MASTER, SYNC_BACKUP
	};
	struct ipvs_daemon	*d;
	int			 i;

	memset(ss, 0, sizeof(*ss));
	ss->ss_named = 1;
	for (i = 0; i < SYNC_SLOTS; i++) {
		if (!(sy->sy_states & states[i]))
			continue;
		ss->ss_has[i] = 1;
		d = &ss->ss_d[i];
		d->dm_state = states[i];
		d->dm_syncid = sy->sy_syncid;
		d->dm_maxlen = sy->sy_maxlen;
		d->dm_port = sy->sy_port;
		d->dm_ttl = sy->sy_ttl;
		d->dm_group = sy->sy_group;
		strlcpy(d->dm_ifname, sy->sy_ifname, sizeof(d->dm_ifname));
	}
}

/* Does the kernel's daemon k run as want says?  want maxlen 0: any. */
int
ipvs_daemon_same(const struct ipvs_daemon *want, const struct ipvs_daemon *k)
{
	return want->dm_state == k->dm_state &&
	    strcmp(want->dm_ifname, k->dm_ifname) == 0 &&
	    want->dm_syncid == k->dm_syncid &&
	    want->dm_port == k->dm_port && want->dm_ttl == k->dm_ttl &&
	    addr_eq(&want->dm_group, &k->dm_group) &&
	    (want->dm_maxlen == 0 || want->dm_maxlen == k->dm_maxlen);
}

static void
sync_op(struct sync_op *op, int cmd, int why, const struct ipvs_daemon *d)
{
	memset(op, 0, sizeof(*op));
	op->so_cmd = cmd;
	op->so_why = why;
	op->so_d = *d;
}

/*
 * The operations that make the kernel's daemons (kern) what want says,
 * want replacing prev (NULL: none, or unknown): at most SYNC_OPS_MAX,
 * the deletions first.
 */
size_t
sync_plan(const struct sync_set *want, const struct sync_set *prev,
    const struct sync_set *kern, struct sync_op *ops)
{
	size_t	 n = 0;
	int	 i, wanted, prevnamed;

	prevnamed = prev != NULL && prev->ss_named;
	for (i = 0; i < SYNC_SLOTS; i++) {
		if (!kern->ss_has[i])
			continue;
		wanted = want->ss_named && want->ss_has[i];
		if (wanted && !ipvs_daemon_same(&want->ss_d[i],
		    &kern->ss_d[i]))
			sync_op(&ops[n++], SYNC_DEL, SYNC_WHY_CHANGED,
			    &kern->ss_d[i]);
		else if (!wanted && want->ss_named)
			sync_op(&ops[n++], SYNC_DEL, SYNC_WHY_UNWANTED,
			    &kern->ss_d[i]);
		else if (!wanted && prevnamed && prev->ss_has[i])
			sync_op(&ops[n++], SYNC_DEL, SYNC_WHY_REMOVED,
			    &kern->ss_d[i]);
	}
	for (i = 0; i < SYNC_SLOTS; i++) {
		if (!want->ss_named || !want->ss_has[i])
			continue;
		if (!kern->ss_has[i] || !ipvs_daemon_same(&want->ss_d[i],
		    &kern->ss_d[i]))
			sync_op(&ops[n++], SYNC_NEW, SYNC_WHY_CONFIG,
			    &want->ss_d[i]);
	}
	return n;
}

/* "start sync master on eth1 (syncid 7, 224.0.0.81:8848, ...): why" */
const char *
sync_describe(const struct sync_op *op, char *buf, size_t len)
{
	static const char *const whys[] = {
		[SYNC_WHY_CONFIG] = "configured",
		[SYNC_WHY_CHANGED] = "its parameters changed",
		[SYNC_WHY_UNWANTED] = "not the configured state",
		[SYNC_WHY_REMOVED] = "no longer configured",
	};
	const struct ipvs_daemon *d = &op->so_d;
	char		 group[ADDR_STRLEN], maxlen[32] = "the kernel's";

	addr_port_ntop(&d->dm_group, d->dm_port, group, sizeof(group));
	if (d->dm_maxlen != 0)
		snprintf(maxlen, sizeof(maxlen), "%u", d->dm_maxlen);
	snprintf(buf, len, "%s sync %s on %s (syncid %u, group %s, ttl %u, "
	    "maxlen %s): %s", op->so_cmd == SYNC_NEW ? "start" : "stop",
	    d->dm_state == SYNC_MASTER ? "master" : "backup", d->dm_ifname,
	    d->dm_syncid, group, d->dm_ttl, maxlen,
	    op->so_why < sizeof(whys) / sizeof(whys[0]) &&
	    whys[op->so_why] != NULL ? whys[op->so_why] : "?");
	return buf;
}
