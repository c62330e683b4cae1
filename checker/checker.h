/*
 * lvsd-checker: the unprivileged process that probes every real server
 * and tells ipvsd which ones are up.  It holds no privilege and trusts no
 * byte a real server sends; the worst a hostile server can do to it is
 * mark configured reals up or down.
 */
#ifndef LVSD_CHECKER_H
#define LVSD_CHECKER_H

#include <sys/queue.h>
#include <sys/tree.h>
#include <sys/types.h>

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "ev.h"
#include "msg.h"

/* What the checker believes of one real server. */
enum check_state {
	CS_UNKNOWN = 0,		/* no verdict yet, or too few failures */
	CS_UP,
	CS_DOWN
};

/* The state machine's memory between two verdicts. */
struct check_fsm {
	uint8_t		 fsm_state;	/* enum check_state */
	uint32_t	 fsm_fails;	/* consecutive failed probes */
};

/* Longest reason a probe gives; the size of rs_reason on the wire. */
#define CHECK_REASON_LEN	sizeof(((struct msg_result *)0)->rs_reason)

/*
 * One real server to probe, for one generation of the config or several:
 * a reload that sends the same CHECK again keeps this struct, its state
 * and its timer.
 */
struct check {
	struct msg_check	 ck_msg;	/* canonical, see validate.c */
	regex_t			 ck_re;		/* ck_receive compiled */
	int			 ck_has_re;
	char			 ck_name[ADDR_STRLEN];	/* "addr:port" */
	struct check_fsm	 ck_fsm;
	int			 ck_last_up;	/* last verdict, -1: none yet */

	/* scheduling (sched.c) */
	struct ev_timer		 ck_timer;	/* the next probe */
	int			 ck_running;	/* scheduled, sched_start */
	int			 ck_busy;	/* a probe is in flight */
	uint64_t		 ck_started_us;	/* for the latency */
	uint64_t		 ck_started_ms;	/* on the event loop clock */

	/* the probe in flight (check_tcp.c, check_udp.c, check_http.c) */
	int			 ck_fd;
	struct ev_io		 ck_io;
	struct ev_timer		 ck_deadline;
	void			*ck_easy;	/* CURL * */
	void			*ck_headers;	/* struct curl_slist * */
	char			*ck_body;
	size_t			 ck_bodylen;
	size_t			 ck_bodycap;
	int			 ck_overflow;
	/* the line dialogues (check_line.c) */
	const struct line_service *ck_line;
	int			 ck_step;	/* the service's own */
	int			 ck_connecting;
	int			 ck_shut_wr;	/* 1: after send, 2: done */
	char			*ck_out;	/* what to send */
	size_t			 ck_outlen;
	size_t			 ck_outoff;
	size_t			 ck_total;	/* bytes read in all */
	/* dns (check_dns.c) */
	uint16_t		 ck_dns_id;
	uint16_t		 ck_dns_type;
	/* external (check_exec.c) */
	struct ev_timer		 ck_retry;
	uint64_t		 ck_exec_seq;
	uint32_t		 ck_exec_id;	/* the id it was asked for */
	int			 ck_exec_pending;
	TAILQ_ENTRY(check)	 ck_exec_entry;

	/* matching of old and new checks at a reload (reload.c) */
	RB_ENTRY(check)		 ck_node;
};

/* checker.c: where every verdict ends */
void	 checker_verdict(struct check *, int, int, const char *, uint32_t);
int	 checker_exec_send(const struct msg_exec_run *);

/* fsm.c */
int	 check_fsm_verdict(struct check_fsm *, int, uint32_t);
int	 check_fsm_force(struct check_fsm *, int);
const char *check_state_name(int);

/* validate.c */
int	 check_line_handles(const struct msg_check *);
int	 check_is_dns(const struct msg_check *);
int	 check_is_exec(const struct msg_check *);
int	 check_service_runs(unsigned int);
int	 check_type_runs(unsigned int);
int	 check_validate(struct msg_check *, regex_t *, int *, char *, size_t);
int	 check_static_verdict(const struct msg_check *, int *, const char **);

/* check.c */
struct check	*check_new(const struct msg_check *, char *, size_t);
void	 check_free(struct check *);
void	 check_release_probe(struct check *);

/* reload.c */
struct reload;
struct reload	*reload_begin(uint32_t, uint32_t);
uint32_t reload_gen(const struct reload *);
int	 reload_add(struct reload *, struct check *, char *, size_t);
void	 reload_apply(struct reload *, struct check ***, uint32_t *);
void	 reload_abort(struct reload *);

/* sched.c */
void	 sched_start(struct check *, uint32_t, uint32_t);
void	 sched_stop(struct check *);
void	 sched_done(struct check *, int, const char *);

/* check_tcp.c */
void	 check_tcp_start(struct check *);
void	 check_tcp_stop(struct check *);

/* check_udp.c */
void	 check_udp_start(struct check *);
void	 check_udp_stop(struct check *);

/* check_http.c */
void	 check_http_start(struct check *);
void	 check_http_stop(struct check *);
void	 check_http_done(struct check *, int);
size_t	 check_http_body(struct check *, const char *, size_t);
int	 check_http_match(const struct check *);

/* check_line.c: what a line service's step returns */
#define LINE_DOWN	(-1)
#define LINE_MORE	0
#define LINE_UP		1

struct line_service {
	const char	*ls_name;
	/* after the connect: queue what goes first, or NULL */
	void		(*ls_begin)(struct check *);
	/* one line of the real's, NULL at its close; LINE_* and why */
	int		(*ls_step)(struct check *, const char *, char *,
			    size_t);
};

void	 check_line_start(struct check *);
void	 check_line_stop(struct check *);
void	 line_sendf(struct check *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 line_send_bytes(struct check *, const char *, size_t);
void	 line_shutdown_after_send(struct check *);
int	 line_refused(struct check *, const char *, const char *, char *,
	    size_t);
void	 line_local_literal(struct check *, char *, size_t);

/* line_mail.c, line_simpletcp.c */
extern const struct line_service line_smtp, line_pop, line_imap, line_nntp;
extern const struct line_service line_simpletcp;
size_t	 simpletcp_request(const char *, char *, size_t);

/* check_exec.c */
void	 check_exec_start(struct check *);
void	 check_exec_stop(struct check *);
int	 check_exec_done(const struct msg_exec_done *, char *, size_t);
void	 check_exec_lost(void);

/* check_dns.c */
void	 check_dns_start(struct check *);
void	 check_dns_stop(struct check *);

/* dns_wire.c */
#define DNS_T_A		1
#define DNS_T_PTR	12
#define DNS_T_AAAA	28
#define DNS_NAME_MAX	255
#define DNS_QUERY_MAX	(12 + DNS_NAME_MAX + 2 + 4)
size_t	 dns_query_build(uint8_t *, size_t, uint16_t, const char *, uint16_t);
int	 dns_ptr_name(const char *, char *, size_t);
int	 dns_answer_check(const uint8_t *, size_t, uint16_t, uint16_t,
	    const regex_t *, char *, size_t);

/* http_loop.c */
void	 http_loop_init(void);
int	 http_loop_add(void *);
void	 http_loop_remove(void *);

/* filter.c */
void	 checker_sandbox(const char *, uid_t, gid_t);

#endif /* LVSD_CHECKER_H */
