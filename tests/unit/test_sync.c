/*
 * The kernel's connection sync daemons: the directives (conf/dir_sync.c),
 * what ipvsd takes from the parent (MSG_SYNC, forged ones included) and
 * what it decides to do to the kernel's daemons (ipvsd/sync.c), without
 * a kernel.  The interface checks use lo (which has 127.0.0.1) and a
 * name that does not exist.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_test.h"
#include "ipvsd.h"
#include "tap.h"

#define V80	"virtual=127.0.0.100:80\n\treal=127.0.0.2:80 masq\n"

static void
test_conf_defaults(void)
{
	struct conf	*c;
	char		 buf[ADDR_STRLEN];

	c = taken("syncdaemon=master\nsyncinterface=lo\n" V80, "",
	    "syncdaemon=master on lo");
	if (c != NULL) {
		is_int(c->c_syncstates, SYNC_MASTER, "master");
		is_str(c->c_syncif, "lo", "interface");
		is_int(c->c_syncid, 0, "syncid 0 by default");
		is_int(c->c_syncport, 8848, "the kernel's port");
		is_int(c->c_syncttl, 1, "the kernel's ttl");
		is_int(c->c_syncmaxlen, 0, "maxlen: the kernel's");
		is_str(addr_ntop(&c->c_syncgroup, buf, sizeof(buf)),
		    "224.0.0.81", "the kernel's group");
	}
	conf_free(c);
	c = taken(V80, "", "no sync directive");
	if (c != NULL)
		is_int(c->c_syncstates, 0, "sync left alone");
	conf_free(c);
}

static void
test_conf_values(void)
{
	struct conf	*c;
	char		 buf[ADDR_STRLEN];

	c = taken("syncdaemon=both\nsyncinterface=lo\nsyncid=255\n"
	    "syncport=9000\nsyncttl=4\nsyncmaxlen=1400\n"
	    "syncgroup=239.1.2.3\n" V80, "", "every sync directive");
	if (c != NULL) {
		is_int(c->c_syncstates, SYNC_MASTER | SYNC_BACKUP, "both");
		is_int(c->c_syncid, 255, "syncid");
		is_int(c->c_syncport, 9000, "syncport");
		is_int(c->c_syncttl, 4, "syncttl");
		is_int(c->c_syncmaxlen, 1400, "syncmaxlen");
		is_str(addr_ntop(&c->c_syncgroup, buf, sizeof(buf)),
		    "239.1.2.3", "syncgroup");
	}
	conf_free(c);
	c = taken("syncdaemon=backup\nsyncinterface=lo\n"
	    "syncgroup=[ff02::1:5]\n" V80, "", "an IPv6 group in brackets");
	if (c != NULL)
		is_str(addr_ntop(&c->c_syncgroup, buf, sizeof(buf)),
		    "ff02::1:5", "syncgroup v6");
	conf_free(c);
}

static void
test_conf_refused(void)
{
	refused("syncdaemon=primary\nsyncinterface=lo\n" V80,
	    "t.cf:1:12: error: unknown sync daemon state 'primary' (expected "
	    "master, backup or both)\n", "a state that is not one");
	refused("syncdaemon=master\n" V80,
	    "t.cf:1: error: syncdaemon needs syncinterface=, the interface "
	    "the sync messages use\n", "syncdaemon without an interface");
	refused("syncinterface=lo\nsyncid=3\n" V80,
	    "t.cf:1: error: syncinterface needs syncdaemon=master, backup "
	    "or both\n", "an interface without syncdaemon");
	refused("syncdaemon=master\nsyncinterface=nosuch-if0\n" V80,
	    "t.cf:2: error: syncinterface nosuch-if0: no such interface\n",
	    "an interface that does not exist");
	refused("syncdaemon=master\nsyncinterface=abcdefghijklmnop\n" V80,
	    "t.cf:2:15: error: syncinterface must be an interface name of "
	    "1 to 15 characters, not 'abcdefghijklmnop'\n",
	    "a name too long");
	refused("syncdaemon=master\nsyncinterface=lo\nsyncid=256\n"
	    "syncport=0\nsyncttl=256\nsyncmaxlen=100\n"
	    "syncgroup=192.0.2.1\n" V80,
	    "t.cf:3:8: error: syncid must be a whole number from 0 to 255, "
	    "not '256'\n"
	    "t.cf:4:10: error: syncport must be a whole number from 1 to "
	    "65535, not '0'\n"
	    "t.cf:5:9: error: syncttl must be a whole number from 1 to 255, "
	    "not '256'\n"
	    "t.cf:6:12: error: syncmaxlen must be a whole number from 1024 "
	    "to 65487, not '100'\n"
	    "t.cf:7:11: error: syncgroup must be a multicast address "
	    "(224.0.0.0/4 or ff00::/8), not '192.0.2.1'\n",
	    "values out of range");
	refused("virtual=127.0.0.100:80\n\treal=127.0.0.2:80 masq\n"
	    "\tsyncid=3\n",
	    "t.cf:3:2: error: 'syncid' is only allowed at the top level, "
	    "in column 0\n", "global only");
}

/* Printed and parsed again, the settings are the same. */
static void
test_conf_roundtrip(void)
{
	struct conf	*a, *b = NULL;
	char		*text = NULL;
	size_t		 len;
	FILE		*fp;

	a = taken("syncdaemon=both\nsyncinterface=lo\nsyncid=9\n"
	    "syncgroup=239.0.0.9\nsyncmaxlen=2000\n" V80, "",
	    "a config to print");
	if (a == NULL || (fp = open_memstream(&text, &len)) == NULL) {
		conf_free(a);
		return;
	}
	conf_print(a, fp);
	fclose(fp);
	like(text, "syncdaemon=both\nsyncinterface=lo\nsyncid=9\n"
	    "syncport=8848\nsyncttl=1\nsyncmaxlen=2000\nsyncgroup=239.0.0.9\n",
	    "printed whole");
	b = taken(text, "", "the printed config parses");
	ok(b != NULL && conf_eq(a, b), "and is the same");
	conf_free(a);
	conf_free(b);
	free(text);
}

static void
good_sync(struct msg_sync *sy)
{
	memset(sy, 0, sizeof(*sy));
	sy->sy_states = SYNC_MASTER | SYNC_BACKUP;
	sy->sy_ttl = 1;
	sy->sy_port = 8848;
	sy->sy_syncid = 5;
	addr_parse("224.0.0.81", AF_INET, &sy->sy_group);
	strlcpy(sy->sy_ifname, "eth1", sizeof(sy->sy_ifname));
}

static void
forged(void (*forge)(struct msg_sync *), const char *want, const char *desc)
{
	struct msg_sync	 sy;
	const char	*why;

	good_sync(&sy);
	forge(&sy);
	why = sync_msg_check(&sy);
	is_str(why != NULL ? why : "(accepted)", want, desc);
}

static void f_nostate(struct msg_sync *s) { s->sy_states = 0; }
static void f_state4(struct msg_sync *s) { s->sy_states = 4; }
static void f_ttl0(struct msg_sync *s) { s->sy_ttl = 0; }
static void f_port0(struct msg_sync *s) { s->sy_port = 0; }
static void f_id(struct msg_sync *s) { s->sy_syncid = 256; }
static void f_maxlen(struct msg_sync *s) { s->sy_maxlen = 100; }
static void f_maxlen2(struct msg_sync *s) { s->sy_maxlen = 65488; }
static void f_unicast(struct msg_sync *s)
{
	addr_parse("192.0.2.1", AF_INET, &s->sy_group);
}
static void f_family(struct msg_sync *s) { s->sy_group.a_af = 7; }
static void f_grouppad(struct msg_sync *s) { s->sy_group.a_pad[1] = 1; }
static void f_v4tail(struct msg_sync *s) { s->sy_group.a_u.raw[9] = 1; }
static void f_noname(struct msg_sync *s) { s->sy_ifname[0] = '\0'; }
static void f_unended(struct msg_sync *s)
{
	memset(s->sy_ifname, 'a', sizeof(s->sy_ifname));
}
static void f_slash(struct msg_sync *s) { s->sy_ifname[1] = '/'; }
static void f_space(struct msg_sync *s) { s->sy_ifname[1] = ' '; }
static void f_after(struct msg_sync *s) { s->sy_ifname[10] = 'x'; }
static void f_none(struct msg_sync *s) { (void)s; }
static void f_v6(struct msg_sync *s)
{
	addr_parse("ff02::1:5", AF_INET6, &s->sy_group);
	s->sy_maxlen = SYNC_MAXLEN_MAX;
	s->sy_states = SYNC_BACKUP;
}

static void
test_msg(void)
{
	forged(f_none, "(accepted)", "a good SYNC");
	forged(f_v6, "(accepted)", "a good SYNC, v6 group, largest maxlen");
	forged(f_nostate, "states out of range", "no state");
	forged(f_state4, "states out of range", "an unknown state bit");
	forged(f_ttl0, "ttl 0", "ttl 0");
	forged(f_port0, "port 0", "port 0");
	forged(f_id, "syncid out of range", "syncid 256");
	forged(f_maxlen, "maxlen out of range", "maxlen the kernel clamps");
	forged(f_maxlen2, "maxlen out of range", "maxlen too large");
	forged(f_unicast, "group not a multicast address", "unicast group");
	forged(f_family, "group not a multicast address", "bad family");
	forged(f_grouppad, "group not a multicast address", "address padding");
	forged(f_v4tail, "group not a multicast address", "bytes after v4");
	forged(f_noname, "bad interface name", "empty interface name");
	forged(f_unended, "bad interface name", "no NUL in the field");
	forged(f_slash, "bad interface name", "'/' in the name");
	forged(f_space, "bad interface name", "a space in the name");
	forged(f_after, "bad interface name", "bytes after the NUL");
}

/* The kernel's side as the dump gives it: maxlen always filled in. */
static void
kernel_has(struct sync_set *k, const struct sync_set *from, uint32_t maxlen)
{
	int	 i;

	*k = *from;
	k->ss_named = 1;
	for (i = 0; i < SYNC_SLOTS; i++)
		if (k->ss_has[i] && k->ss_d[i].dm_maxlen == 0)
			k->ss_d[i].dm_maxlen = maxlen;
}

static const char *
plan_text(const struct sync_set *want, const struct sync_set *prev,
    const struct sync_set *kern)
{
	static char	 out[1024];
	struct sync_op	 ops[SYNC_OPS_MAX];
	size_t		 i, n;

	n = sync_plan(want, prev, kern, ops);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strlcat(out, ops[i].so_cmd == SYNC_NEW ? "new " : "del ",
		    sizeof(out));
		strlcat(out, ops[i].so_d.dm_state == SYNC_MASTER ? "master" :
		    "backup", sizeof(out));
		strlcat(out, ";", sizeof(out));
	}
	return out;
}

static void
test_plan(void)
{
	struct msg_sync	 sy;
	struct sync_set	 both, master, none, kern, empty;

	memset(&empty, 0, sizeof(empty));
	empty.ss_named = 1;
	memset(&none, 0, sizeof(none));
	good_sync(&sy);
	sync_from_msg(&both, &sy);
	sy.sy_states = SYNC_MASTER;
	sync_from_msg(&master, &sy);

	is_str(plan_text(&both, NULL, &empty), "new master;new backup;",
	    "start: both started");
	kernel_has(&kern, &both, 1472);
	is_str(plan_text(&both, NULL, &kern), "",
	    "a restart with the same config: nothing (maxlen the kernel's)");
	is_str(plan_text(&both, &both, &kern), "", "a reload: nothing");
	is_str(plan_text(&master, &both, &kern), "del backup;",
	    "both -> master: the backup stops");
	is_str(plan_text(&none, &both, &kern), "del master;del backup;",
	    "sync removed from the config: both stop");
	is_str(plan_text(&none, &master, &kern), "del master;",
	    "removed: only what the old config named");
	is_str(plan_text(&none, NULL, &kern), "",
	    "a config without sync leaves the kernel's alone");
	is_str(plan_text(&master, NULL, &kern), "del backup;",
	    "a config that names sync owns both states");

	kern.ss_d[0].dm_syncid = 6;
	is_str(plan_text(&both, &both, &kern), "del master;new master;",
	    "another syncid: stop and start again");
	kernel_has(&kern, &both, 1472);
	strlcpy(kern.ss_d[1].dm_ifname, "eth2", sizeof(kern.ss_d[1].dm_ifname));
	is_str(plan_text(&both, NULL, &kern), "del backup;new backup;",
	    "another interface");
	kernel_has(&kern, &both, 1472);
	kern.ss_d[0].dm_port = 8849;
	kern.ss_d[1].dm_ttl = 2;
	is_str(plan_text(&both, NULL, &kern),
	    "del master;del backup;new master;new backup;",
	    "another port, another ttl: deletions first");
	kernel_has(&kern, &both, 1472);
	addr_parse("239.9.9.9", AF_INET, &kern.ss_d[0].dm_group);
	is_str(plan_text(&both, NULL, &kern), "del master;new master;",
	    "another group");
	both.ss_d[0].dm_maxlen = 1400;
	kernel_has(&kern, &both, 1472);
	is_str(plan_text(&both, NULL, &kern), "", "a maxlen as configured");
	kern.ss_d[0].dm_maxlen = 1472;
	is_str(plan_text(&both, NULL, &kern), "del master;new master;",
	    "a configured maxlen that differs");
}

static void
test_describe(void)
{
	struct sync_op	 op;
	char		 buf[256];
	struct msg_sync	 sy;
	struct sync_set	 ss;

	good_sync(&sy);
	sy.sy_maxlen = 1400;
	sync_from_msg(&ss, &sy);
	memset(&op, 0, sizeof(op));
	op.so_cmd = SYNC_NEW;
	op.so_why = SYNC_WHY_CONFIG;
	op.so_d = ss.ss_d[0];
	is_str(sync_describe(&op, buf, sizeof(buf)), "start sync master on "
	    "eth1 (syncid 5, group 224.0.0.81:8848, ttl 1, maxlen 1400): "
	    "configured", "the log line of a start");
	op.so_cmd = SYNC_DEL;
	op.so_why = SYNC_WHY_REMOVED;
	op.so_d = ss.ss_d[1];
	op.so_d.dm_maxlen = 0;
	is_str(sync_describe(&op, buf, sizeof(buf)), "stop sync backup on "
	    "eth1 (syncid 5, group 224.0.0.81:8848, ttl 1, maxlen the "
	    "kernel's): no longer configured", "the log line of a stop");
}

int
main(void)
{
	test_conf_defaults();
	test_conf_values();
	test_conf_refused();
	test_conf_roundtrip();
	test_msg();
	test_plan();
	test_describe();
	free(errs);
	return tap_done();
}
