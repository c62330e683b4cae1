/*
 * The parsed ldirectord.cf, as the parent holds it.  Every default and
 * every inherited value is resolved by the parser: a reader of this
 * struct never has to know ldirectord's rules of precedence.
 */
#ifndef LVSD_CONF_H
#define LVSD_CONF_H

#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "msg.h"

/*
 * ldirectord's check types and services, by msg.h's values, which the
 * checker shares.  conf keeps them all; parent/confmsg.c refuses to run
 * one that checker/validate.c's check_type_runs() or check_service_runs()
 * says the checker does not have yet.
 */
enum conf_checktype {
	CONF_CHECK_PING = CHECK_PING,
	CONF_CHECK_EXTERNAL = CHECK_EXTERNAL,
	CONF_CHECK_EXTERNAL_PERL = CHECK_EXTERNAL_PERL,
	CONF_CHECK_COMBINED = CHECK_COMBINED,
	CONF_CHECK_MAX = CHECK_MAX
};

enum conf_service {
	CONF_SVC_SUBMISSION = SERVICE_MAX,	/* the checker's smtp, port 587 */
	CONF_SVC_MAX,
	/* the checker's, by the names conf uses */
	CONF_SVC_DNS = SERVICE_DNS,
	CONF_SVC_FTP = SERVICE_FTP,
	CONF_SVC_HTTP_PROXY = SERVICE_HTTP_PROXY,
	CONF_SVC_HTTPS = SERVICE_HTTPS,
	CONF_SVC_IMAP = SERVICE_IMAP,
	CONF_SVC_IMAPS = SERVICE_IMAPS,
	CONF_SVC_LDAP = SERVICE_LDAP,
	CONF_SVC_LDAPS = SERVICE_LDAPS,
	CONF_SVC_MYSQL = SERVICE_MYSQL,
	CONF_SVC_NNTP = SERVICE_NNTP,
	CONF_SVC_ORACLE = SERVICE_ORACLE,
	CONF_SVC_PGSQL = SERVICE_PGSQL,
	CONF_SVC_POP = SERVICE_POP,
	CONF_SVC_POPS = SERVICE_POPS,
	CONF_SVC_RADIUS = SERVICE_RADIUS,
	CONF_SVC_SIMPLETCP = SERVICE_SIMPLETCP,
	CONF_SVC_SIP = SERVICE_SIP,
	CONF_SVC_SMTP = SERVICE_SMTP
};

/* emailalertstatus: the daemon states in which alerts are sent. */
#define CONF_ALERT_STARTING	0x01
#define CONF_ALERT_RUNNING	0x02
#define CONF_ALERT_STOPPING	0x04
#define CONF_ALERT_RELOADING	0x08
#define CONF_ALERT_ALL		0x0f
#define CONF_ALERT_UNSET	0x100	/* a virtual's: the global value */

/* Room for every directive, to remember the line each was set on. */
#define CONF_NDIR		80

/*
 * Where a block set a directive (its last value): a short list, as a
 * block sets a few of the CONF_NDIR directives, and a config may hold
 * 10,000 blocks.
 */
struct conf_seen {
	unsigned int	 s_dir;		/* conf_dir_index() */
	unsigned int	 s_line;
	unsigned int	 s_col;		/* of the value */
};

struct conf_fallback {
	int		 fb_set;
	struct addr	 fb_addr;
	uint16_t	 fb_port;	/* 0: the virtual's port */
	uint8_t		 fb_fwd;	/* enum msg_fwd, default FWD_GATE */
};

struct conf_real {
	TAILQ_ENTRY(conf_real) r_entry;
	unsigned int	 r_line;
	struct addr	 r_addr;
	uint16_t	 r_port;	/* 0 for fwmark services */
	uint8_t		 r_fwd;		/* enum msg_fwd */
	uint32_t	 r_weight;
	uint32_t	 r_uthresh;	/* u:N, 0 unset */
	uint32_t	 r_lthresh;	/* l:N, 0 unset */
	char		*r_request;	/* per-real override, NULL if none */
	char		*r_receive;	/* per-real override, NULL if none */
};

struct conf_virtual {
	TAILQ_ENTRY(conf_virtual) v_entry;
	unsigned int	 v_line;
	struct addr	 v_addr;
	uint16_t	 v_port;
	uint32_t	 v_fwmark;	/* v_proto == PROTO_FWM */
	uint8_t		 v_proto;	/* enum msg_proto */
	char		 v_sched[MSG_SCHED_LEN];	/* default "wrr" */
	uint32_t	 v_persistent;
	uint32_t	 v_netmask;
	char		*v_schedflags;	/* "sh-port,...", NULL: none */
	int		 v_ops;		/* one-packet scheduling, UDP only */
	uint32_t	 v_schedbits;	/* v_schedflags as MSG_SVC_SCHED* */
	uint8_t		 v_checktype;	/* msg_checktype or conf_checktype */
	uint8_t		 v_service;	/* msg_service_kind or conf_service */
	uint32_t	 v_combined;	/* CONF_CHECK_COMBINED: its N */
	uint8_t		 v_httpmethod;	/* enum msg_httpmethod */
	uint16_t	 v_checkport;	/* 0: the real's port */
	char		*v_request;	/* default "/" */
	char		*v_receive;	/* default "" (no body check) */
	char		*v_virtualhost;	/* NULL: the real's address */
	char		*v_login;	/* these four NULL when unset */
	char		*v_passwd;
	char		*v_database;
	char		*v_secret;
	char		*v_checkcommand;	/* default "/bin/true" */
	char		*v_monitorfile;		/* NULL: none */
	char		*v_servicename;		/* NULL: none */
	char		*v_comment;		/* NULL: none */
	/* resolved: virtual value, else global, else the default */
	unsigned int	 v_checktimeout;	/* seconds */
	unsigned int	 v_negotiatetimeout;	/* seconds */
	unsigned int	 v_checkinterval;	/* seconds */
	unsigned int	 v_failurecount;
	unsigned int	 v_rise;		/* lvsd's own: successes to return */
	int		 v_quiescent;		/* 0 or 1 */
	int		 v_cleanstop;		/* 0 or 1 */
	unsigned int	 v_checkcount;
	char		*v_fallbackcommand;	/* NULL: none */
	char		*v_emailalert;		/* NULL: no alerts */
	int		 v_emailalertfreq;	/* seconds, 0: no repeats */
	unsigned int	 v_emailalertstatus;	/* CONF_ALERT_* */
	char		*v_smtp;		/* as written; NULL: unset */
	struct addr	 v_smtp_addr;		/* resolved, else 127.0.0.1 */
	uint16_t	 v_smtp_port;		/* default 25 */
	struct conf_fallback v_fallback;	/* virtual's, else global */
	/* lvsd's own (dir_tls.c), resolved like the others */
	int		 v_tlsverify;		/* 0 or 1; -1 while unset */
	char		*v_tlsca;		/* NULL: the system bundle */
	int		 v_redirects;		/* -1 while unset */
	/* the directives set in the block, each once (conf_seen_find) */
	struct conf_seen *v_seen;
	unsigned int	 v_nseen;
	TAILQ_HEAD(, conf_real) v_reals;
	unsigned int	 v_nreals;
};

struct conf {
	char		*c_path;
	unsigned int	 c_checktimeout;	/* 0: unset */
	unsigned int	 c_negotiatetimeout;	/* 0: unset */
	unsigned int	 c_checkinterval;	/* default 10 */
	unsigned int	 c_failurecount;	/* default 1 */
	unsigned int	 c_rise;		/* default 1, as ldirectord */
	int		 c_quiescent;		/* default 0 (as ldirectord's code) */
	int		 c_cleanstop;		/* default 1, as ldirectord */
	unsigned int	 c_checkcount;		/* default 1 */
	struct conf_fallback c_fallback;
	struct conf_fallback c_fallback6;
	char		*c_fallbackcommand;	/* NULL: none */
	char		*c_emailalert;		/* NULL: no alerts */
	int		 c_emailalertfreq;	/* default 0 */
	unsigned int	 c_emailalertstatus;	/* default CONF_ALERT_ALL */
	char		*c_smtp;		/* as written; NULL: unset */
	struct addr	 c_smtp_addr;		/* resolved, else 127.0.0.1 */
	uint16_t	 c_smtp_port;		/* default 25 */
	char		*c_emailalertfrom;
	int		 c_autoreload;
	char		*c_callback;
	char		*c_logfile;	/* path or facility; NULL: default */
	char		**c_execute;
	size_t		 c_nexecute;
	int		 c_fork;
	int		 c_supervised;
	int		 c_readdquiescent;
	char		*c_maintenancedir;
	int		 c_tlsverify;		/* default 0: no verification */
	char		*c_tlsca;		/* NULL: the system bundle */
	int		 c_redirects;		/* default 0: none followed */
	/* lvsd's own: the kernel's connection sync daemons (dir_sync.c) */
	unsigned int	 c_syncstates;		/* SYNC_*; 0: left alone */
	char		 c_syncif[MSG_IFNAME_LEN];	/* syncinterface */
	unsigned int	 c_syncid;		/* 0 .. 255, default 0 */
	uint16_t	 c_syncport;		/* default 8848 */
	unsigned int	 c_syncttl;		/* default 1 */
	unsigned int	 c_syncmaxlen;		/* 0: the kernel's choice */
	struct addr	 c_syncgroup;		/* default 224.0.0.81 */
	unsigned int	 c_seen[CONF_NDIR];	/* line of each global */
	TAILQ_HEAD(conf_vhead, conf_virtual) c_virtuals;
	unsigned int	 c_nvirtuals;
	unsigned int	 c_nreals;
	struct conf_slab *c_slabs;	/* where the reals live (conf_real_new) */
};

/*
 * Parse path.  On success return the config; on failure print every error
 * to errs as "FILE:LINE:COLUMN: error: ..." and return NULL.  Warnings go
 * to errs as "FILE:LINE:COLUMN: warning: ..." either way.
 */
struct conf	*conf_parse_file(const char *, FILE *);
struct conf	*conf_parse_string(const char *, const char *, FILE *);
/* The same, with CONF_NORESOLVE: host names are errors, no DNS asked. */
#define CONF_NORESOLVE	0x01
struct conf	*conf_parse_string_flags(const char *, const char *, FILE *,
		    int);
void		 conf_free(struct conf *);
void		 conf_print(const struct conf *, FILE *);

/* Where block v set directive idx (conf_dir_index), else NULL. */
const struct conf_seen *conf_seen_find(const struct conf_virtual *, size_t);
/* The line a directive was set on: v's, else the global one, else 0. */
unsigned int	 conf_line(const struct conf *, const struct conf_virtual *,
		    const char *);
/* Names of the enums, as the file writes them. */
const char	*conf_checktype_name(unsigned int);
const char	*conf_service_name(unsigned int);
/* dir_tls.c: the CA bundle of a verifying check of v, and opening it */
const char	*conf_tls_ca_path(const struct conf_virtual *);
int		 conf_tls_ca_open(const char *, char *, size_t);
/* ldirectord's well-known port of a service, 0 if it has none. */
uint16_t	 conf_service_port(unsigned int);

#endif /* LVSD_CONF_H */
