/*
 * Privilege drop and seccomp for the two children.  The order is fixed:
 * chroot, then the ids, then capabilities, then the filter, all before the
 * first message from a peer is read.  Any failure is fatal: a child never
 * runs with less confinement than it asked for.
 */
#ifndef LVSD_SANDBOX_H
#define LVSD_SANDBOX_H

#include <sys/types.h>

#include <stdint.h>

/* One allowed syscall and the reason, shown in the debug build. */
struct sandbox_rule {
	int		 sr_nr;		/* __NR_..., via SCMP_SYS() */
	const char	*sr_why;
};

/* Soft-denied: returns an errno instead of killing. */
struct sandbox_deny {
	int		 sd_nr;
	int		 sd_errno;
};

#define SANDBOX_KEEP_NONE	0
#define SANDBOX_KEEP_NET_ADMIN	1

void	 sandbox_parse_ids(const char *, uid_t *, gid_t *);
void	 sandbox_drop(const char *, uid_t, gid_t, int);
/* Adds argument-filtered rules; its argument is the scmp_filter_ctx. */
typedef void	(*sandbox_extra_fn)(void *);

void	 sandbox_filter(const struct sandbox_rule *, size_t,
	    const struct sandbox_deny *, size_t, sandbox_extra_fn);
void	 sandbox_child_common(int);

#endif /* LVSD_SANDBOX_H */
