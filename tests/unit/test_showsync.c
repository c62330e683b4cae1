/*
 * The sync daemons in `lvsd show`, its JSON and the metrics
 * (parent/showsync.c): as configured, nothing without sync directives.
 */
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "conf.h"
#include "lvsd.h"

/* What fn writes for c, in a static buffer. */
static const char *
shown(void (*fn)(FILE *, const struct conf *), const struct conf *c)
{
	static char	 buf[1024];
	FILE		*f;

	if ((f = fmemopen(buf, sizeof(buf), "w")) == NULL) {
		perror("fmemopen");
		exit(1);
	}
	fn(f, c);
	fclose(f);
	return buf;
}

/* syncdaemon=STATES syncinterface=eth1 syncid=87, the other defaults */
static void
sync_conf(struct conf *c, unsigned int states)
{
	memset(c, 0, sizeof(*c));
	c->c_syncstates = states;
	strlcpy(c->c_syncif, "eth1", sizeof(c->c_syncif));
	c->c_syncid = 87;
	c->c_syncport = 8848;
	c->c_syncttl = 1;
	addr_parse("224.0.0.81", AF_INET, &c->c_syncgroup);
}

static void
test_none(void)
{
	struct conf	 c;

	memset(&c, 0, sizeof(c));
	is_str(shown(showsync_text, &c), "", "show: no line without sync");
	is_str(shown(showsync_json, &c), "null", "json: \"sync\": null");
	is_str(shown(showsync_metrics, &c), "# HELP lvsd_sync_daemon The "
	    "connection sync daemons of the configuration in force, as "
	    "configured.\n# TYPE lvsd_sync_daemon gauge\n",
	    "metrics: the family, no sample");
}

static void
test_master(void)
{
	struct conf	 c;

	sync_conf(&c, SYNC_MASTER);
	is_str(shown(showsync_text, &c), "sync daemons (as configured): "
	    "master on eth1, syncid 87, group 224.0.0.81:8848, ttl 1, maxlen "
	    "the kernel's\n", "show: the master, its parameters");
	is_str(shown(showsync_json, &c), "{\"source\": \"configuration\", "
	    "\"states\": [\"master\"], \"interface\": \"eth1\", \"syncid\": "
	    "87, \"group\": \"224.0.0.81\", \"port\": 8848, \"ttl\": 1, "
	    "\"maxlen\": null}", "json: the master, maxlen null");
	like(shown(showsync_metrics, &c), "\nlvsd_sync_daemon{state=\"master\","
	    "interface=\"eth1\",syncid=\"87\"} 1\n", "metrics: one sample");
}

static void
test_both(void)
{
	struct conf	 c;
	const char	*m;

	sync_conf(&c, SYNC_MASTER | SYNC_BACKUP);
	c.c_syncmaxlen = 1400;
	c.c_syncport = 9000;
	c.c_syncttl = 3;
	addr_parse("ff02::81", AF_INET6, &c.c_syncgroup);
	is_str(shown(showsync_text, &c), "sync daemons (as configured): "
	    "master and backup on eth1, syncid 87, group [ff02::81]:9000, "
	    "ttl 3, maxlen 1400\n", "show: both, an IPv6 group, a maxlen");
	like(shown(showsync_json, &c), "\"states\": [\"master\", \"backup\"]",
	    "json: both states");
	like(shown(showsync_json, &c), "\"group\": \"ff02::81\", \"port\": "
	    "9000, \"ttl\": 3, \"maxlen\": 1400}", "json: group, port, maxlen");
	m = shown(showsync_metrics, &c);
	like(m, "{state=\"master\",interface=\"eth1\",syncid=\"87\"} 1\n"
	    "lvsd_sync_daemon{state=\"backup\",interface=\"eth1\","
	    "syncid=\"87\"} 1\n", "metrics: a sample per state");
	sync_conf(&c, SYNC_BACKUP);
	like(shown(showsync_json, &c), "\"states\": [\"backup\"], ",
	    "json: the backup alone");
}

int
main(void)
{
	test_none();
	test_master();
	test_both();
	return tap_done();
}
