/*
 * The start every child of lvsd shares (child.c): its command line, an
 * empty environment, logging through the parent, nothing inherited but
 * the descriptors the parent meant to pass.
 */
#ifndef LVSD_CHILD_H
#define LVSD_CHILD_H

#include <sys/types.h>

/* What the parent tells a child on its command line. */
struct child_opts {
	uid_t		 co_uid;	/* -u uid:gid, the ids to run as */
	gid_t		 co_gid;
	const char	*co_root;	/* -r dir, the chroot, or NULL */
	int		 co_verbose;	/* -v */
};

#define CHILD_NO_ROOT	0	/* the child takes no -r (lvsd-exec) */
#define CHILD_ROOT	1	/* -r is required */

struct msg_chan;

void	 child_start(int, char *[], const char *, int, int,
	    struct child_opts *);
void	 child_drop_parent(struct msg_chan *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 child_exit_status(void);

#endif /* LVSD_CHILD_H */
