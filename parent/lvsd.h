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
struct conf_virtual;
struct conf_real;

/* A service of the kernel's IPVS table, as /proc/net/ip_vs keys it. */
struct ksvc {
	uint8_t			 ks_proto;	/* enum msg_proto */
	struct addr		 ks_addr;
	uint16_t		 ks_port;
	uint32_t		 ks_fwmark;
};

struct kdest {
	struct ksvc		 kd_svc;
	struct addr		 kd_addr;
	uint16_t		 kd_port;
	uint32_t		 kd_weight;
};

struct ktable {
	struct kdest		*kt_dests;
	size_t			 kt_ndests;
	size_t			 kt_cap;
	size_t			 kt_nservices;
};

/* Its checks since lvsd started, from the checker's STATS (metrics.c). */
struct rcounts {
	uint64_t		 rc_checks;
	uint64_t		 rc_latency_us;
	uint64_t		 rc_fails[FAIL_CLASS_MAX];
	uint64_t		 rc_buckets[MSG_STATS_BUCKETS];	/* not cumulative */
};

/* What the parent knows of one real server, for show and metrics. */
struct rstatus {
	const struct conf_virtual *st_v;
	const struct conf_real	*st_r;
	uint8_t			 st_known;	/* a RESULT has come */
	uint8_t			 st_up;		/* STATE_UP, _DOWN, _UNKNOWN */
	uint8_t			 st_last_up;	/* the last check's verdict */
	uint8_t			 st_disabled;	/* by lvsd disable */
	uint32_t		 st_latency_us;
	uint64_t		 st_since_ms;	/* ev_now() of the change */
	uint64_t		 st_transitions;
	char			 st_reason[128];
	struct rcounts		 st_counts;
};

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
/*
 * Heartbeat: a PING to each child every WATCHDOG_INTERVAL_MS; one that
 * leaves a PING unanswered for WATCHDOG_TIMEOUT_MS is hung (a stuck loop,
 * a blocked call) and is killed and restarted.  Generous, so that a
 * reload of a large table on a slow machine is not taken for a hang:
 * ipvsd programs a whole table, and the checker takes in a whole config,
 * in one step, so WATCHDOG_US_PER_REAL more per real server (50 s more
 * for 100,000, whose table took ipvsd 25 s under emulation).
 */
#define WATCHDOG_INTERVAL_MS	5000
#define WATCHDOG_TIMEOUT_MS	20000
#define WATCHDOG_US_PER_REAL	500
/*
 * How long a fallbackcommand or the callback may run before lvsd-exec
 * stops it: ldirectord waits for ever, blocking its checks; a minute is
 * ample for a script that starts or stops a service.
 */
#define HOOK_TIMEOUT_MS		60000
/* How long `lvsd reload` waits for ipvsd to apply the new config. */
#define RELOAD_APPLY_TIMEOUT_MS	60000

enum child_id {
	CHILD_IPVSD = 0,
	CHILD_CHECKER,
	CHILD_EXEC,		/* lvsd-exec: runs commands for the checker */
	CHILD_COUNT
};

struct child {
	const char		*ch_name;	/* "ipvsd", "checker", "exec" */
	const char		*ch_prog;	/* "lvsd-ipvsd", ... */
	uint32_t		 ch_allowed;	/* messages it may send */
	pid_t			 ch_pid;	/* 0: not running */
	int			 ch_ready;
	struct msg_chan		 ch_chan;
	struct ev_timer		 ch_restart;
	uint64_t		 ch_started;	/* ev_now() at fork; 0: never */
	uint64_t		 ch_backoff;	/* next restart delay, ms */
	unsigned int		 ch_early_deaths;
	unsigned int		 ch_restarts;
	uint32_t		 ch_gen;	/* config last sent; 0: none */
	uint64_t		 ch_ping_seq;	/* last PING sent */
	uint64_t		 ch_ping_since;	/* unanswered since; 0: none */
	int			 ch_hung;	/* killed by the watchdog */
};

/* The one process-wide state of the parent. */
struct lvsd_env {
	const char		*e_conffile;
	const char		*e_libexecdir;
	const char		*e_user;	/* -u, for execute= */
	char			 e_pidfile[256];
	int			 e_foreground;
	int			 e_verbose;
	uid_t			 e_uid;
	gid_t			 e_gid;
	struct conf		*e_conf;		/* in force */
	uint32_t		 e_gen;			/* its generation */
	uint32_t		 e_applied_gen;	/* ipvsd's last APPLIED */
	unsigned int		 e_reloads;
	unsigned int		 e_reload_failures;
	int			 e_stopping;
	int			 e_keep_table;	/* stop without cleanstop */
	char			 e_ctlpath[108];	/* sun_path */
	struct ev_timer		 e_watchdog;
	struct child		 e_children[CHILD_COUNT];
	/* the checker's raw ICMP, ICMPv6 sockets; -1: none (icmpsock.c) */
	int			 e_icmp[2];
};

extern struct lvsd_env	*env;

/* proc.c */
void	 proc_init(void);
void	 proc_start_all(void);
void	 proc_push_config(void);
int	 proc_healthy(void);
const char *proc_state_name(const struct child *);
void	 proc_reap(void);
void	 proc_shutdown(void);

/* notify.c */
void	 notify_init(void);
void	 notify_start(void);
void	 notify_send(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 notify_ready(void);
void	 notify_starter(int);
void	 notify_reloading(void);

/* reload.c */
int	 reload_conf_owner_ok(const char *, FILE *);
struct conf *reload_load(const char *, FILE *);
void	 reload_log_target(const struct conf *);
int	 reload_run(FILE *);

/* autoreload.c */
void	 autoreload_init(void);
int	 autoreload_mark(void);

/* control.c */
void	 control_path(char *, size_t, const char *);
void	 control_open(void);
void	 control_close(void);
void	 control_applied(uint32_t, const struct msg_applied *);
int	 control_request(const char *, const char *);
int	 control_request_within(const char *, const char *, unsigned int);
/* control_request_within(): no daemon on the socket; no answer in time */
#define CTL_NO_DAEMON		(-1)
#define CTL_NO_ANSWER		(-2)

/* kernel.c */
int	 kernel_table_read(struct ktable *);
void	 kernel_table_free(struct ktable *);
long	 kernel_weight(const struct ktable *, const struct conf_virtual *,
	    const struct addr *, uint16_t);

/* A real server named by hand or by a maintenance file (maintname.c). */
struct maint {
	struct addr	 m_addr;
	uint16_t	 m_port;	/* 0: every port */
};
/* "[" INET6_ADDRSTRLEN "]:65535", rounded up: longer is no such name */
#define MAINT_NAME_MAX		64
/* Files in a maintenancedir: far more than anyone takes out at once. */
#define MAINTDIR_MAX		1024

/* maintname.c */
int	 maint_parse(const char *, struct maint *);
int	 maint_matches(const struct maint *, const struct addr *, uint16_t);
int	 maint_same(const struct maint *, const struct maint *);
int	 maintdir_read(const char *, struct maint *, size_t, size_t *,
	    void (*)(const char *, const char *, void *), void *);

/* maintdir.c */
int	 maintdir_matches(const struct addr *, uint16_t);
int	 maintdir_covers(const struct maint *);
void	 maintdir_load(const struct conf *);
void	 maintdir_init(void);

/* maint.c */
int	 maint_is_disabled(const struct addr *, uint16_t);
int	 maint_set(const char *, int, FILE *, int *);

/* keyidx.c */
#define KEYIDX_NO_REAL	((size_t)-1)
struct keyidx {
	const void	*ki_base;
	uint32_t	*ki_ids;	/* entries by key, then position; NULL
					   until a lookup needs it */
	uint32_t	 ki_n;
	size_t		 ki_size;
	size_t		 ki_voff;	/* its const struct conf_virtual * */
	size_t		 ki_roff;	/* its const struct conf_real * */
};
int	 keyidx_virtual_cmp(const struct conf_virtual *,
	    const struct conf_virtual *);
void	 keyidx_build(struct keyidx *, const void *, uint32_t, size_t, size_t,
	    size_t);
long	 keyidx_find(struct keyidx *, const struct conf_virtual *,
	    const struct conf_real *);
long	 keyidx_find_at(struct keyidx *, uint32_t,
	    const struct conf_virtual *, const struct conf_real *);
void	 keyidx_free(struct keyidx *);
long	 keyidx_range_find(const void *, uint32_t, size_t, size_t, size_t,
	    uint32_t);

/* status.c */
void	 status_rebuild(const struct conf *);
void	 status_maint_changed(void);
void	 status_result(struct msg_chan *, uint32_t, const struct msg_result *);
const struct rstatus *status_get(uint32_t);
struct rcounts *status_counts(uint32_t);
void	 status_show(FILE *, int);
void	 status_metrics(FILE *);

/* showsync.c */
void	 showsync_text(FILE *, const struct conf *);
void	 showsync_json(FILE *, const struct conf *);
void	 showsync_metrics(FILE *, const struct conf *);

/* execute.c */
void	 execute_init(void);
void	 execute_all(const struct conf *, const char *);

/* monitor.c: a line is the id of the real, its fields and the reason */
#define MONITOR_LINE_MAX	4096
void	 monitor_format(char *, size_t, time_t, long,
	    const struct conf_virtual *, const struct conf_real *, int,
	    const char *);
void	 monitor_result(const struct conf_virtual *, const struct conf_real *,
	    int, const char *);

/* metrics.c */
/* virtual="FWM 4294967295",real="[ffff:...:ffff]:65535" and room */
#define METRICS_LABELS_LEN	(2 * ADDR_STRLEN + 32)
const char *metrics_reason_name(unsigned int);
void	 metrics_add(struct rcounts *, const struct msg_stats *);
void	 metrics_stats(struct msg_chan *, uint32_t, const void *);
void	 metrics_labels(const struct rstatus *, char *, size_t);
void	 metrics_write(FILE *, const struct rstatus *, uint32_t);

/* confmsg.c */
void	 confmsg_send_ipvsd(struct msg_chan *, const struct conf *, uint32_t);
int	 confmsg_sync(struct msg_sync *, const struct conf *);
void	 confmsg_send_checker(struct msg_chan *, const struct conf *,
	    uint32_t);
void	 confmsg_send_exec(struct msg_chan *, const struct conf *, uint32_t);
int	 confmsg_validate(const struct conf *, FILE *, int);

/* hooks.c */
void	 hooks_rebuild(const struct conf *);
void	 hooks_real_changed(uint32_t);
void	 hooks_evaluate_all(void);
void	 hooks_callback(void);

/* alerts.c */
void	 alerts_rebuild(const struct conf *);
void	 alerts_real_changed(uint32_t, int);
void	 alerts_evaluate_all(void);
void	 alerts_stop(void);
uint64_t alerts_repeat_due(uint32_t);

/* pidfile.c */
void	 lvsd_pidfile_path(char *, size_t, const char *);
pid_t	 lvsd_pidfile_running(const char *);
int	 lvsd_pidfile_create(const char *);
void	 lvsd_pidfile_remove(const char *);

#endif /* LVSD_PARENT_H */
