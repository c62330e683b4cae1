/*
 * lvsd's own directives (ldirectord has none): the kernel's connection
 * synchronisation daemons, which copy the IPVS connection table of the
 * active director to the standby one, so that a failover keeps
 * established connections.  Global scope only: the kernel runs at most
 * one master and one backup daemon per network namespace.
 */
#include <sys/socket.h>

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

/* The kernel's defaults (IP_VS_SYNC_GROUP, IP_VS_SYNC_PORT, its ttl). */
#define CONF_SYNC_GROUP		"224.0.0.81"
#define CONF_SYNC_PORT		8848
#define CONF_SYNC_TTL		1

static const char *const conf_syncstates[] = { "master", "backup", "both" };

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

void
dir_syncdaemon(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	static const unsigned int	 states[] = {
		SYNC_MASTER, SYNC_BACKUP, SYNC_MASTER | SYNC_BACKUP
	};
	struct conf_tok			*t;
	int				 k;

	if ((t = conf_one(x, tok, n)) != NULL &&
	    (k = conf_keyword(x, t, "sync daemon state", conf_syncstates,
	    nitems(conf_syncstates))) != -1)
		x->x_conf->c_syncstates = states[k];
}

/* A name the kernel takes: 1 to 15 bytes, no '/', no space, no ':'. */
void
dir_syncinterface(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	size_t		 len;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	len = strlen(t->t_text);
	if (len == 0 || len >= MSG_IFNAME_LEN ||
	    strpbrk(t->t_text, "/: \t") != NULL) {
		conf_error(x, t->t_col, "syncinterface must be an interface "
		    "name of 1 to %d characters, not '%s'", MSG_IFNAME_LEN - 1,
		    conf_quote(x, t->t_text));
		return;
	}
	strlcpy(x->x_conf->c_syncif, t->t_text, sizeof(x->x_conf->c_syncif));
}

/* The sync id travels in one byte of every sync message. */
void
dir_syncid(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	unsigned long long	 v;

	if (conf_one_uint(x, tok, n, 0, 255, &v) == 0)
		x->x_conf->c_syncid = v;
}

void
dir_syncport(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	unsigned long long	 v;

	if (conf_one_uint(x, tok, n, 1, 65535, &v) == 0)
		x->x_conf->c_syncport = v;
}

void
dir_syncttl(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	unsigned long long	 v;

	if (conf_one_uint(x, tok, n, 1, 255, &v) == 0)
		x->x_conf->c_syncttl = v;
}

/*
 * The kernel clamps what it is given (to at least 1024 bytes for a
 * backup, to what fits a UDP datagram): lvsd takes only values it keeps
 * as they are, so that the kernel's table reads back as configured.
 */
void
dir_syncmaxlen(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	unsigned long long	 v;

	if (conf_one_uint(x, tok, n, SYNC_MAXLEN_MIN, SYNC_MAXLEN_MAX,
	    &v) == 0)
		x->x_conf->c_syncmaxlen = v;
}

static int
conf_is_multicast(const struct addr *a)
{
	if (a->a_af == AF_INET)
		return IN_MULTICAST(ntohl(a->a_u.v4.s_addr));
	return IN6_IS_ADDR_MULTICAST(&a->a_u.v6);
}

/* A multicast group, as numbers: IPv4, or IPv6 with or without []. */
void
dir_syncgroup(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	char		 buf[INET6_ADDRSTRLEN + 2];
	const char	*s;
	size_t		 len;
	struct addr	 a;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	s = t->t_text;
	len = strlen(s);
	if (len > 2 && len < sizeof(buf) && s[0] == '[' && s[len - 1] == ']') {
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
		s = buf;
	}
	if (addr_parse(s, AF_UNSPEC, &a) == -1 || !conf_is_multicast(&a)) {
		conf_error(x, t->t_col, "syncgroup must be a multicast address "
		    "(224.0.0.0/4 or ff00::/8), not '%s'",
		    conf_quote(x, t->t_text));
		return;
	}
	x->x_conf->c_syncgroup = a;
}

/*
 * 0 if interface name exists and has an address of family af, else -1
 * after an error at line.  The kernel starts a sync daemon on an
 * interface without one and then sends or hears nothing, silently.
 */
static int
conf_sync_iface(struct conf_ctx *x, unsigned int line, const char *name,
    int af)
{
	struct ifaddrs		*ifs, *i;
	int			 found = 0, has = 0;
	const char		*fam = af == AF_INET ? "IPv4" : "IPv6";

	if (getifaddrs(&ifs) == -1) {
		conf_diag_at(x, 1, line, 0, "syncinterface %s: cannot list "
		    "the interfaces: %s", conf_quote(x, name), strerror(errno));
		return -1;
	}
	for (i = ifs; i != NULL; i = i->ifa_next) {
		if (strcmp(i->ifa_name, name) != 0)
			continue;
		found = 1;
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == af)
			has = 1;
	}
	freeifaddrs(ifs);
	if (!found && if_nametoindex(name) == 0)
		conf_diag_at(x, 1, line, 0, "syncinterface %s: no such "
		    "interface", conf_quote(x, name));
	else if (!has)
		conf_diag_at(x, 1, line, 0, "syncinterface %s has no %s "
		    "address: the kernel's sync daemon would run on it and "
		    "send or receive nothing; give it an address, or name "
		    "another interface", conf_quote(x, name), fam);
	return found && has ? 0 : -1;
}

/* The line of the first sync directive given, 0 if none is. */
static unsigned int
conf_sync_first(const struct conf *c, const char **name)
{
	static const char *const names[] = {
		"syncinterface", "syncid", "syncport", "syncttl",
		"syncmaxlen", "syncgroup"
	};
	unsigned int	 line;
	size_t		 i;

	for (i = 0; i < nitems(names); i++) {
		if ((line = c->c_seen[conf_dir_index(names[i])]) != 0) {
			*name = names[i];
			return line;
		}
	}
	return 0;
}

/* The end of the file: the sync settings whole, and their interface. */
void
conf_sync_finish(struct conf_ctx *x)
{
	struct conf	*c = x->x_conf;
	const char	*name = NULL;
	unsigned int	 line;

	line = c->c_seen[conf_dir_index("syncdaemon")];
	/* a directive set but without a value had its error already */
	if (c->c_syncstates == 0) {
		if (line == 0 && (line = conf_sync_first(c, &name)) != 0)
			conf_diag_at(x, 1, line, 0, "%s needs syncdaemon=master, "
			    "backup or both", name);
		return;
	}
	if (c->c_syncif[0] == '\0') {
		if (c->c_seen[conf_dir_index("syncinterface")] == 0)
			conf_diag_at(x, 1, line, 0, "syncdaemon needs "
			    "syncinterface=, the interface the sync messages "
			    "use");
		return;
	}
	if (c->c_syncport == 0)
		c->c_syncport = CONF_SYNC_PORT;
	if (c->c_syncttl == 0)
		c->c_syncttl = CONF_SYNC_TTL;
	if (c->c_syncgroup.a_af == 0)
		addr_parse(CONF_SYNC_GROUP, AF_INET, &c->c_syncgroup);
	conf_sync_iface(x, c->c_seen[conf_dir_index("syncinterface")],
	    c->c_syncif, c->c_syncgroup.a_af);
}
