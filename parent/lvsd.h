/*
 * The parent process: supervisor of lvsd-checker and lvsd-ipvsd.
 */
#ifndef LVSD_PARENT_H
#define LVSD_PARENT_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>

#include "ev.h"
#include "msg.h"

struct conf;

#ifndef LVSD_LIBEXECDIR
#define LVSD_LIBEXECDIR		"/usr/local/libexec/lvsd"
#endif
#ifndef LVSD_USER
#define LVSD_USER		"_lvsd"
#endif
#define LVSD_CONF_DEFAULT	"/etc/ha.d/ldirectord.cf"
#define LVSD_RUNDIR		"/run/lvsd"
/* the children's root: empty, root-owned, read-only to them */
#define LVSD_EMPTYDIR		LVSD_RUNDIR "/empty"

/* Restart back-off: first delay, cap, and the uptime that resets it. */
#define CHILD_BACKOFF_MIN_MS	100
#define CHILD_BACKOFF_MAX_MS	30000
#define CHILD_STABLE_MS		60000
/* Deaths before READY, in a row, after which lvsd gives up. */
#define CHILD_MAX_EARLY_DEATHS	5
/* How long a stop waits for the children before SIGKILL. */
#define PROC_STOP_TIMEOUT_MS	10000

enum child_id {
	CHILD_IPVSD = 0,
	CHILD_CHECKER,
	CHILD_COUNT
};

struct child {
	const char		*ch_name;	/* "ipvsd", "checker" */
	const char		*ch_prog;	/* "lvsd-ipvsd", ... */
	uint32_t		 ch_allowed;	/* messages it may send */
	pid_t			 ch_pid;	/* 0: not running */
	int			 ch_ready;
	struct msg_chan		 ch_chan;
	struct ev_timer		 ch_restart;
	uint64_t		 ch_started;	/* ev_now() at fork */
	uint64_t		 ch_backoff;	/* next restart delay, ms */
	unsigned int		 ch_early_deaths;
	unsigned int		 ch_restarts;
};

/* The one process-wide state of the parent. */
struct lvsd_env {
	const char		*e_conffile;
	const char		*e_libexecdir;
	char			 e_pidfile[256];
	int			 e_foreground;
	int			 e_verbose;
	uid_t			 e_uid;
	gid_t			 e_gid;
	struct conf		*e_conf;
	uint32_t		 e_gen;
	int			 e_stopping;
	struct child		 e_children[CHILD_COUNT];
};

extern struct lvsd_env	*env;

/* proc.c */
void	 proc_init(void);
void	 proc_start_all(void);
void	 proc_reap(void);
void	 proc_shutdown(void);

/* confmsg.c */
void	 confmsg_send_ipvsd(struct msg_chan *, const struct conf *, uint32_t);
void	 confmsg_send_checker(struct msg_chan *, const struct conf *,
	    uint32_t);
int	 confmsg_validate(const struct conf *, FILE *, int);

/* pidfile.c */
void	 lvsd_pidfile_path(char *, size_t, const char *);
pid_t	 lvsd_pidfile_running(const char *);
int	 lvsd_pidfile_create(const char *);
void	 lvsd_pidfile_remove(const char *);

#endif /* LVSD_PARENT_H */
