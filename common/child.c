/*
 * The start every child of lvsd shares.  The parent runs each child
 * with the same options (-u uid:gid, -r chroot for the confined ones,
 * -v) and the channel on MSG_PARENT_FD; what differs between them, the
 * sandbox each then builds, stays in the child.
 */
#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "child.h"
#include "log.h"
#include "msg.h"
#include "sandbox.h"

static __attribute__((noreturn)) void
child_usage(const char *name, int with_root)
{
	fprintf(stderr, "usage: lvsd-%s -u uid:gid%s [-v]\n", name,
	    with_root ? " -r chrootdir" : "");
	exit(1);
}

static void
child_parse(int argc, char *argv[], const char *name, int with_root,
    struct child_opts *co)
{
	const char	*ids = NULL;
	int		 ch;

	co->co_root = NULL;
	co->co_verbose = 0;
	while ((ch = getopt(argc, argv, with_root ? "r:u:v" : "u:v")) != -1) {
		switch (ch) {
		case 'r':
			co->co_root = optarg;
			break;
		case 'u':
			ids = optarg;
			break;
		case 'v':
			co->co_verbose++;
			break;
		default:
			child_usage(name, with_root);
		}
	}
	if (argc != optind || ids == NULL || (with_root && co->co_root == NULL))
		child_usage(name, with_root);
	sandbox_parse_ids(ids, &co->co_uid, &co->co_gid);
}

/*
 * Parse the command line into co, clear the environment (libcurl and
 * libnl read settings from it), log through the parent as name, and
 * close every descriptor above lastfd.  Returns still privileged: the
 * child confines itself next.
 */
void
child_start(int argc, char *argv[], const char *name, int with_root,
    int lastfd, struct child_opts *co)
{
	log_procinit(name);
	log_to_parent(MSG_PARENT_FD);
	child_parse(argc, argv, name, with_root, co);
	clearenv();
	log_init(LOG_MODE_DEBUG, LOG_DAEMON);
	log_setverbose(co->co_verbose);
	sandbox_child_common(lastfd);
}

/* Whether the parent broke the protocol: the child then exits 1. */
static int	 child_violation;

/* The parent broke the protocol: log why and hang up on it. */
void
child_drop_parent(struct msg_chan *parent, const char *fmt, ...)
{
	char	 why[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	child_violation = 1;
	msg_chan_drop(parent, "%s", why);
}

/* The status to exit with once the parent's channel is closed. */
int
child_exit_status(void)
{
	return child_violation ? 1 : 0;
}
