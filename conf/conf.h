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
	uint8_t		 v_checktype;	/* enum msg_checktype */
	uint8_t		 v_service;	/* enum msg_service_kind */
	uint8_t		 v_httpmethod;	/* enum msg_httpmethod */
	uint16_t	 v_checkport;	/* 0: the real's port */
	char		*v_request;	/* default "/" */
	char		*v_receive;	/* default "" (no body check) */
	char		*v_virtualhost;	/* NULL: the real's address */
	/* resolved: virtual value, else global, else the default */
	unsigned int	 v_checktimeout;	/* seconds */
	unsigned int	 v_negotiatetimeout;	/* seconds */
	unsigned int	 v_checkinterval;	/* seconds */
	unsigned int	 v_failurecount;
	int		 v_quiescent;		/* 0 or 1 */
	struct conf_fallback v_fallback;	/* virtual's, else global */
	TAILQ_HEAD(, conf_real) v_reals;
	unsigned int	 v_nreals;
};

struct conf {
	char		*c_path;
	unsigned int	 c_checktimeout;	/* 0: unset */
	unsigned int	 c_negotiatetimeout;	/* 0: unset */
	unsigned int	 c_checkinterval;	/* default 10 */
	unsigned int	 c_failurecount;	/* default 1 */
	int		 c_quiescent;		/* default 0 (as ldirectord's code) */
	int		 c_cleanstop;		/* default 1, as ldirectord */
	char		*c_logfile;		/* path or facility; NULL: daemon */
	int		 c_autoreload;		/* default 0 */
	struct conf_fallback c_fallback;
	TAILQ_HEAD(, conf_virtual) c_virtuals;
	unsigned int	 c_nvirtuals;
	unsigned int	 c_nreals;
};

/*
 * Parse path.  On success return the config; on failure print every error
 * to errs as "FILE:LINE:COLUMN: error: ..." and return NULL.  Warnings go
 * to errs as "FILE:LINE:COLUMN: warning: ..." either way.
 */
struct conf	*conf_parse_file(const char *, FILE *);
struct conf	*conf_parse_string(const char *, const char *, FILE *);
void		 conf_free(struct conf *);
void		 conf_print(const struct conf *, FILE *);

#endif /* LVSD_CONF_H */
