/*
 * Names of real servers (parent/maintname.c): what `lvsd disable` and
 * the files of maintenancedir may be called, which reals a name covers,
 * and the bounded reading of a maintenance directory.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "lvsd.h"

struct lvsd_env	*env;

static struct addr
a(const char *s)
{
	struct addr	 x;

	if (addr_parse(s, AF_UNSPEC, &x) == -1)
		abort();
	return x;
}

static void
test_parse(void)
{
	struct maint	 m;
	struct addr	 r4 = a("192.0.2.1"), r6 = a("2001:db8::1");

	ok(maint_parse("192.0.2.1", &m) == 0 && m.m_port == 0 &&
	    addr_eq(&m.m_addr, &r4), "an IPv4 address: every port");
	ok(maint_parse("192.0.2.1:80", &m) == 0 && m.m_port == 80 &&
	    addr_eq(&m.m_addr, &r4), "IPv4:port");
	ok(maint_parse("2001:db8::1", &m) == 0 && m.m_port == 0 &&
	    addr_eq(&m.m_addr, &r6), "a bare IPv6 address");
	ok(maint_parse("[2001:db8::1]", &m) == 0 && m.m_port == 0 &&
	    addr_eq(&m.m_addr, &r6), "[IPv6], as ldirectord writes it");
	ok(maint_parse("[2001:db8::1]:443", &m) == 0 && m.m_port == 443 &&
	    addr_eq(&m.m_addr, &r6), "[IPv6]:port");
	ok(maint_parse("192.0.2.1:0", &m) == -1, "port 0: refused");
	ok(maint_parse("192.0.2.1:65536", &m) == -1, "port 65536: refused");
	ok(maint_parse("192.0.2.1:80x", &m) == -1, "a port with junk");
	ok(maint_parse("web1.example.com", &m) == -1, "a host name: not "
	    "matched (no reverse lookup)");
	ok(maint_parse("[192.0.2.1]:80", &m) == -1, "IPv4 in brackets");
	ok(maint_parse("2001:db8::1]:80", &m) == -1, "half a bracket");
	ok(maint_parse("", &m) == -1, "empty");
	ok(maint_parse(":80", &m) == -1, "no address");
}

static void
test_matches(void)
{
	struct maint	 m;
	struct addr	 r4 = a("192.0.2.1"), o4 = a("192.0.2.2");

	maint_parse("192.0.2.1", &m);
	ok(maint_matches(&m, &r4, 80) && maint_matches(&m, &r4, 443),
	    "an address covers every port of it");
	ok(!maint_matches(&m, &o4, 80), "not another address");
	maint_parse("192.0.2.1:80", &m);
	ok(maint_matches(&m, &r4, 80), "address:port covers that port");
	ok(!maint_matches(&m, &r4, 443), "not another port");
}

struct seen {
	char	 names[16][128];
	int	 n;
};

static void
ignored(const char *name, const char *why, void *arg)
{
	struct seen	*s = arg;

	if (s->n < 16)
		snprintf(s->names[s->n++], sizeof(s->names[0]), "%s: %s",
		    name, why);
}

static int
seen(const struct seen *s, const char *what)
{
	int	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->names[i], what) == 0)
			return 1;
	return 0;
}

static void
touch(const char *dir, const char *name)
{
	char	 p[512];
	int	 fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((fd = open(p, O_WRONLY | O_CREAT, 0644)) == -1)
		abort();
	close(fd);
}

static void
test_read(void)
{
	char		 dir[] = "/tmp/test_maintdir.XXXXXX", p[512], q[512];
	char		 longname[200];
	struct maint	 tab[4];
	struct seen	 s;
	struct addr	 r6 = a("2001:db8::1");
	size_t		 n;

	if (mkdtemp(dir) == NULL)
		abort();
	memset(&s, 0, sizeof(s));
	ok(maintdir_read("/nonexistent/lvsd", tab, 4, &n, ignored, &s) == -1 &&
	    n == 0, "a missing directory: -1, no files");
	ok(maintdir_read(dir, tab, 4, &n, ignored, &s) == 0 && n == 0 &&
	    s.n == 0, "an empty directory: no files");
	touch(dir, "192.0.2.1:80");
	touch(dir, "[2001:db8::1]");
	touch(dir, "2001:db8::1");
	touch(dir, "web1");
	memset(longname, '1', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	touch(dir, longname);
	snprintf(p, sizeof(p), "%s/192.0.2.3", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/192.0.2.4", dir);
	snprintf(q, sizeof(q), "%s/192.0.2.1:80", dir);
	if (symlink(q, p) == -1)
		abort();
	ok(maintdir_read(dir, tab, 4, &n, ignored, &s) == 0,
	    "a directory with files");
	is_int(n, 2, "two maintenance files ([IPv6] and IPv6 are one real)");
	ok((tab[0].m_port == 80 || tab[1].m_port == 80) &&
	    (addr_eq(&tab[0].m_addr, &r6) || addr_eq(&tab[1].m_addr, &r6)),
	    "192.0.2.1:80 and 2001:db8::1");
	ok(seen(&s, "web1: not ADDRESS or ADDRESS:PORT"), "a host name: "
	    "ignored, told why");
	ok(seen(&s, "192.0.2.3: not a regular file"), "a directory: ignored");
	ok(seen(&s, "192.0.2.4: not a regular file"), "a symbolic link: "
	    "ignored, not followed");
	ok(s.n == 4, "a name too long: ignored too");
	memset(&s, 0, sizeof(s));
	touch(dir, "192.0.2.5");
	ok(maintdir_read(dir, tab, 2, &n, ignored, &s) == 0 && n == 2 &&
	    seen(&s, "192.0.2.5: too many maintenance files") +
	    seen(&s, "192.0.2.1:80: too many maintenance files") +
	    seen(&s, "2001:db8::1: too many maintenance files") +
	    seen(&s, "[2001:db8::1]: too many maintenance files") >= 1,
	    "beyond the bound: ignored, told");
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	if (system(p) != 0)
		diag("could not remove %s", dir);
}

int
main(void)
{
	test_parse();
	test_matches();
	test_read();
	return tap_done();
}
