/*
 * monitorfile=: the line in ldirectord's format, and the file appended
 * to, a write that fails leaving lvsd running.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf_test.h"
#include "log.h"
#include "lvsd.h"

/* 2026-11-30 06:00:00 UTC */
#define NOW	((time_t)1796018400)

static void
line_is(const char *text, int up, const char *reason, const char *want,
    const char *desc)
{
	struct conf	*c = parse(text);
	char		 line[MONITOR_LINE_MAX];

	if (c == NULL) {
		ok(0, desc);
		diag("%s", errs);
		return;
	}
	monitor_format(line, sizeof(line), NOW, 42, vfirst(c), rfirst(c), up,
	    reason);
	is_str(line, want, desc);
	conf_free(c);
}

static void
test_format(void)
{
	line_is("virtual=192.0.2.10:80\n\treal=192.0.2.2:80 gate\n"
	    "\treceive=\"Test Page\"\n", 0, "timeout after 5000 ms",
	    "[Mon Nov 30 06:00:00 2026] [42] negotiate http tcp 192.0.2.2 80 "
	    "1 gate / Test Page [down] timeout after 5000 ms\n",
	    "ldirectord's line: empty fields squeezed away");
	line_is("virtual=192.0.2.10:80\n\treal=192.0.2.2:8080 masq 3 "
	    "\"/h\\\\x\",\"a:b\"\n\tvirtualhost=www.example.org\n"
	    "\tcheckport=81\n", 1, "50% up | ok",
	    "[Mon Nov 30 06:00:00 2026] [42] negotiate http tcp 192.0.2.2 8080 "
	    "www.example.org 81 3 masq /hx a b [up] 50%25 up %7C ok\n",
	    "the real's request and receive, '\\' dropped, ':' a blank, "
	    "'%' and '|' escaped");
	line_is("virtual=192.0.2.10:53\n\tprotocol=udp\n\treal=192.0.2.2:53 "
	    "gate\n\tchecktype=connect\n", 1, "",
	    "[Mon Nov 30 06:00:00 2026] [42] connect udp 192.0.2.2 53 1 gate "
	    "/ [up] \n", "a connect check of a UDP service");
	line_is("virtual=192.0.2.10:80\n\treal=192.0.2.2:80 ipip\n"
	    "\tchecktype=external\n\tcheckcommand=/usr/local/bin/chk\n", 0,
	    "exit 1", "[Mon Nov 30 06:00:00 2026] [42] external /usr/local/bin"
	    "/chk tcp 192.0.2.2 80 1 ipip / [down] exit 1\n",
	    "an external check names its command");
}

static int
count_lines(const char *path)
{
	FILE	*fp;
	int	 ch, n = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while ((ch = getc(fp)) != EOF)
		n += ch == '\n';
	fclose(fp);
	return n;
}

static void
test_file(void)
{
	char		 dir[] = "/tmp/lvsd-monitor.XXXXXX", path[128], text[256];
	struct conf	*c;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/m", dir);
	snprintf(text, sizeof(text), "virtual=192.0.2.10:80\n"
	    "\treal=192.0.2.2:80 gate\n\tmonitorfile=%s\n", path);
	c = parse(text);
	ok(c != NULL && access(path, F_OK) == -1,
	    "parsing the config creates no file");
	monitor_result(vfirst(c), rfirst(c), 1, "ok");
	monitor_result(vfirst(c), rfirst(c), 0, "refused");
	is_int(count_lines(path), 2, "a line per result, appended");
	unlink(path);
	rmdir(dir);
	monitor_result(vfirst(c), rfirst(c), 1, "ok");
	monitor_result(vfirst(c), rfirst(c), 1, "ok");
	ok(1, "a file that cannot be opened: warned, lvsd goes on");
	conf_free(c);
	c = parse("virtual=192.0.2.10:80\n\treal=192.0.2.2:80 gate\n");
	monitor_result(vfirst(c), rfirst(c), 1, "ok");
	ok(1, "no monitorfile: nothing written");
	conf_free(c);
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	log_init(LOG_MODE_DEBUG, LOG_DAEMON);
	test_format();
	test_file();
	free(errs);
	return tap_done();
}
