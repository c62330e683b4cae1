/*
 * lvsd-ipvsd: the only process that changes the IPVS table.
 *
 * table.c holds the configured table as the parent sent it (in kernel
 * terms), each real server's state and a model of what the kernel has;
 * plan.c turns those into the list of netlink operations that makes the
 * kernel right; netlink.c sends them; describe.c words them for the log;
 * ipvsd.c is the process and its dispatchers.
 */
#ifndef LVSD_IPVSD_H
#define LVSD_IPVSD_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "msg.h"

/*
 * Bounds on one configuration, so that a count in CONF_BEGIN cannot make
 * ipvsd allocate without limit.  Far above any real director: the kernel
 * itself slows down long before (every service is one hash entry, every
 * real one list element walked by the schedulers).
 */
#define TABLE_MAX_SERVICES	65536
#define TABLE_MAX_DESTS		(1024 * 1024)

/* Weight of the fallback server, as ldirectord gives it. */
#define FALLBACK_WEIGHT		1

/* What ipvsd has heard from the checker about one real server. */
enum rs_state {
	RS_UNKNOWN = 0,		/* nothing yet: leave the kernel alone */
	RS_UP,
	RS_DOWN
};

/* A virtual service as the kernel keys and describes it. */
struct ipvs_service {
	struct addr	 vs_addr;	/* family also for fwmark services */
	uint16_t	 vs_proto;	/* IPPROTO_TCP or _UDP; 0: fwmark */
	uint16_t	 vs_port;
	uint32_t	 vs_fwmark;
	char		 vs_sched[MSG_SCHED_LEN];
	uint32_t	 vs_flags;	/* IP_VS_SVC_F_*, without HASHED */
	uint32_t	 vs_timeout;	/* persistence, seconds */
	uint32_t	 vs_netmask;	/* v4: mask, network order; v6: /N */
};

/* A destination (real server) as the kernel keys and describes it. */
struct ipvs_dest {
	struct addr	 rd_addr;
	uint16_t	 rd_port;
	uint16_t	 rd_fwd;	/* IP_VS_CONN_F_MASQ, DROUTE, TUNNEL */
	uint32_t	 rd_weight;
	uint32_t	 rd_uthresh;
	uint32_t	 rd_lthresh;
};

/* A connection sync daemon as the kernel keys and describes it. */
struct ipvs_daemon {
	uint32_t		 dm_state;	/* SYNC_MASTER or SYNC_BACKUP */
	uint32_t		 dm_syncid;
	uint32_t		 dm_maxlen;	/* wanted 0: the kernel's */
	uint16_t		 dm_port;
	uint8_t			 dm_ttl;
	uint8_t			 dm_pad;
	struct addr		 dm_group;
	char			 dm_ifname[MSG_IFNAME_LEN];
};

/*
 * The sync daemons of a configuration, or of the kernel: one slot per
 * state, master then backup.  ss_named: the configuration names sync
 * daemons, so lvsd owns both slots (always 1 for the kernel's).
 */
#define SYNC_SLOTS		2
struct sync_set {
	uint8_t			 ss_named;
	uint8_t			 ss_has[SYNC_SLOTS];
	struct ipvs_daemon	 ss_d[SYNC_SLOTS];
};

/* One configured real server. */
struct table_dest {
	struct ipvs_dest	 td_want;	/* as configured, when up */
	uint32_t		 td_service;
	uint8_t			 td_state;	/* enum rs_state */
	uint8_t			 td_shadowed;	/* key of an earlier real */
	uint8_t			 td_disabled;	/* by hand: down, whatever */
	uint8_t			 td_fixed;	/* its state is the config's */
};

/* One configured virtual service and what the kernel has of it. */
struct table_service {
	struct ipvs_service	 ts_want;
	uint8_t			 ts_quiescent;
	uint8_t			 ts_has_fallback;
	uint8_t			 ts_dirty;	/* to plan again */
	uint8_t			 ts_kpresent;	/* the kernel has it */
	uint8_t			 ts_readd;	/* readdquiescent */
	uint8_t			 ts_cleanstop;	/* removed at a clean stop */
	struct ipvs_dest	 ts_fallback;
	uint32_t		 ts_first;	/* its reals in t_order */
	uint32_t		 ts_nreals;
	struct ipvs_service	 ts_kern;	/* the kernel's attributes */
	struct ipvs_dest	*ts_kdests;	/* the kernel's, by key */
	size_t			 ts_nkdests;
	size_t			 ts_kcap;
};

struct table {
	uint32_t		 t_gen;
	uint32_t		 t_nservices;
	uint32_t		 t_ndests;
	struct table_service	*t_services;
	struct table_dest	*t_dests;
	uint32_t		*t_order;	/* dest ids, by service */
	uint32_t		*t_svckey;	/* service ids sorted by key */
	uint32_t		*t_destkey;	/* dest ids by key */
	uint32_t		*t_dirty;	/* ids of the dirty services */
	uint32_t		 t_ndirty;
	/* while the configuration is being received */
	uint32_t		 t_gotservices;
	uint32_t		 t_gotdests;
	uint8_t			*t_early;	/* STATE before END: 1+state */
	struct sync_set		 t_sync;	/* MSG_SYNC, if one came */
};

/* table.c */
struct table	*table_begin(uint32_t, const struct msg_conf_begin *,
		    const char **);
const char	*table_add_service(struct table *, const struct msg_service *);
const char	*table_add_dest(struct table *, const struct msg_dest *);
const char	*table_end(struct table *);
void		 table_early_state(struct table *, uint32_t, int);
void		 table_inherit(struct table *, const struct table *);
void		 table_free(struct table *);
int		 table_set_state(struct table *, uint32_t, int);
uint32_t	 table_take_dirty(struct table *, uint32_t **);
struct table_service *table_find_service(const struct table *,
		    const struct ipvs_service *);
struct table_service *table_find_service_at(const struct table *, uint32_t,
		    const struct ipvs_service *);
void		 table_kernel_reset(struct table *);
void		 table_kernel_take(struct table_service *,
		    struct table_service *);
void		 table_kernel_service(struct table_service *,
		    const struct ipvs_service *);
void		 table_kernel_dest(struct table_service *,
		    const struct ipvs_dest *);
void		 table_kernel_sort(struct table_service *);
struct ipvs_dest *table_kernel_find(const struct table_service *,
		    const struct ipvs_dest *);
void		 table_kernel_put(struct table_service *,
		    const struct ipvs_dest *);
void		 table_kernel_del(struct table_service *,
		    const struct ipvs_dest *);
int		 ipvs_service_cmp(const struct ipvs_service *,
		    const struct ipvs_service *);
int		 ipvs_service_same(const struct ipvs_service *,
		    const struct ipvs_service *);
int		 ipvs_dest_cmp(const struct ipvs_dest *,
		    const struct ipvs_dest *);
int		 ipvs_dest_same(const struct ipvs_dest *,
		    const struct ipvs_dest *);

/* plan.c */
enum plan_cmd {
	PLAN_NEW_SERVICE = 1,
	PLAN_SET_SERVICE,
	PLAN_DEL_SERVICE,
	PLAN_NEW_DEST,
	PLAN_SET_DEST,
	PLAN_DEL_DEST
};

/* Why: what the log line says. */
enum plan_why {
	WHY_CONFIG = 1,		/* service created or its attributes */
	WHY_REMOVED,		/* service left the configuration */
	WHY_SHUTDOWN,		/* clean stop */
	WHY_UP,			/* the checker said up */
	WHY_DOWN,		/* the checker said down */
	WHY_UNCHECKED,		/* not checked yet: quiescent or corrected */
	WHY_FALLBACK_ON,	/* no real server up */
	WHY_FALLBACK_OFF,	/* a real server is up */
	WHY_PURGE,		/* in the service, not in the configuration */
	WHY_DISABLED		/* taken out by hand (lvsd disable) */
};

struct plan_op {
	uint8_t			 op_cmd;	/* enum plan_cmd */
	uint8_t			 op_why;	/* enum plan_why */
	uint32_t		 op_service;	/* index in the table */
	struct ipvs_service	 op_vs;		/* key, and attributes */
	struct ipvs_service	 op_oldvs;	/* SET_SERVICE: what was */
	struct ipvs_dest	 op_rd;		/* key, and attributes */
	struct ipvs_dest	 op_oldrd;	/* SET_DEST: what was */
};

struct plan {
	struct plan_op		*p_ops;
	size_t			 p_nops;
	size_t			 p_cap;
	/* deletions of one service wait here, to come after its adds */
	struct plan_op		*p_dels;
	size_t			 p_ndels;
	size_t			 p_delcap;
	uint8_t			*p_seen;	/* kernel dests matched */
	size_t			 p_seencap;
	/* planning a new configuration: quiesced reals are all re-added */
	uint8_t			 p_newconf;
};

void	 plan_init(struct plan *);
void	 plan_clear(struct plan *);
void	 plan_free(struct plan *);
void	 plan_service(struct plan *, const struct table *, uint32_t);
void	 plan_table(struct plan *, const struct table *);
void	 plan_removed(struct plan *, const struct table *,
	    const struct table *);
void	 plan_shutdown(struct plan *, const struct table *);
void	 plan_commit(struct table *, const struct plan_op *);

/* sync.c */
enum sync_cmd {
	SYNC_NEW = 1,
	SYNC_DEL
};

enum sync_why {
	SYNC_WHY_CONFIG = 1,	/* configured, not running */
	SYNC_WHY_CHANGED,	/* running with other parameters: again */
	SYNC_WHY_UNWANTED,	/* the configuration names the other state */
	SYNC_WHY_REMOVED	/* the configuration no longer names sync */
};

/* A DEL and a NEW per slot at most. */
#define SYNC_OPS_MAX		4	/* 2 * SYNC_SLOTS */

struct sync_op {
	uint8_t			 so_cmd;	/* enum sync_cmd */
	uint8_t			 so_why;	/* enum sync_why */
	struct ipvs_daemon	 so_d;		/* DEL: the kernel's */
};

const char	*sync_msg_check(const struct msg_sync *);
void		 sync_from_msg(struct sync_set *, const struct msg_sync *);
int		 sync_slot(uint32_t);
int		 ipvs_daemon_same(const struct ipvs_daemon *,
		    const struct ipvs_daemon *);
size_t		 sync_plan(const struct sync_set *, const struct sync_set *,
		    const struct sync_set *, struct sync_op *);
const char	*sync_describe(const struct sync_op *, char *, size_t);

/* describe.c */
const char *describe_service(const struct ipvs_service *, char *, size_t);
const char *describe_fwd(unsigned int);
const char *describe_op(const struct plan_op *, char *, size_t);

/* filter.c */
void	 filter_install(void);

/* netlink.c */
typedef void	(*ipvs_service_cb)(const struct ipvs_service *, void *);
typedef void	(*ipvs_dest_cb)(const struct ipvs_dest *, void *);

void	 ipvs_open(void);
int	 ipvs_dump_services(ipvs_service_cb, void *);
int	 ipvs_get_service(const struct ipvs_service *, struct ipvs_service *);
int	 ipvs_dump_dests(const struct ipvs_service *, ipvs_dest_cb, void *);
void	 ipvs_apply(const struct plan_op *, size_t, int *);
int	 ipvs_dump_daemons(struct sync_set *);
void	 ipvs_sync_apply(const struct sync_op *, size_t, int *);

#endif /* LVSD_IPVSD_H */
