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
	uint32_t	 fsm_oks;	/* consecutive good probes */
};

/* Which probe a check has in flight (sched.c picks it per round). */
enum check_probe {
	PROBE_NONE = 0,		/* service none: up, no traffic */
	PROBE_TCP,
	PROBE_UDP,
	PROBE_HTTP,
	PROBE_LINE,
	PROBE_DNS,
	PROBE_PING,
	PROBE_EXCHANGE,		/* radius, sip, simpletcp/udp (check_exchange.c) */
	PROBE_SQL,		/* mysql, pgsql (check_sql.c) */
	PROBE_EXEC,		/* external, external-perl (check_exec.c) */
	PROBE_HTTP_PLAIN	/* http without libcurl (check_http_plain.c) */
};

/* Longest reason a probe gives; the size of rs_reason on the wire. */
#define CHECK_REASON_LEN	sizeof(((struct msg_result *)0)->rs_reason)

/*
 * One real's CHECK or CHECK_LIKE as a reload stages it: a few words, not
 * a struct check, which a reload makes only for a real it did not probe
 * the same way before.  cs_msg and cs_re are check.c's interned copies,
 * one reference each; cs_msg NULL: it holds nothing (none staged, or
 * given over to a check).
 */
struct check_spec {
	const struct msg_check	*cs_msg;
	const regex_t		*cs_re;		/* NULL: no receive */
	struct addr		 cs_addr;
	uint32_t		 cs_id;
	uint16_t		 cs_port;
};

/*
 * One real server to probe, for one generation of the config or several:
 * a reload that sends the same CHECK again keeps this struct, its state
 * and its timer.
 */
struct check {
	/*
	 * What the probe is, shared by every check that probes the same
	 * way (check.c interns it): canonical (validate.c), but with
	 * ck_id, ck_addr and ck_port zero.  Those three are the real's own,
	 * below: the reals of a virtual service differ in nothing else.
	 */
	const struct msg_check	*ck_msg;
	uint32_t		 ck_id;		/* ck_ids[0] */
	struct addr		 ck_addr;
	uint16_t		 ck_port;
	const regex_t		*ck_re;		/* ck_receive compiled, shared */
	int			 ck_has_re;
	char			 ck_name[ADDR_STRLEN];	/* "addr:port" */
	struct check_fsm	 ck_fsm;
	int			 ck_last_up;	/* last verdict, -1: none yet */
	struct msg_stats	 ck_stats;	/* probes since the last STATS */
	/*
	 * The reals this one probe stands for: every id whose CHECK is the
	 * same but for the id (the same real in several virtual services)
	 * shares one struct check, one probe and one failure count.
	 * ck_ids[0] is ck_id, the lowest.
	 */
	uint32_t		*ck_ids;
	uint32_t		 ck_nids;

	/* scheduling (sched.c) */
	struct ev_timer		 ck_timer;	/* the next probe */
	int			 ck_running;	/* scheduled, sched_start */
	int			 ck_first_round; /* the first probe is due */
	uint64_t		 ck_second_ms;	/* then the second, at this */
	int			 ck_busy;	/* a probe is in flight */
	uint64_t		 ck_started_us;	/* for the latency */
	uint64_t		 ck_due_ms;	/* when it was due: its phase */
	uint64_t		 ck_started_ms;	/* on the event loop clock */
	uint8_t			 ck_probe;	/* enum check_probe in flight */
	/* checktype N: connect rounds left before the next negotiate */
	uint32_t		 ck_connects_left;
	/* descriptors (sched_gate.c): held by the probe, or waiting */
	uint32_t		 ck_gate_held;
	int			 ck_gate_waiting;
	TAILQ_ENTRY(check)	 ck_gate_entry;

	/* the probe in flight (check_tcp.c, check_udp.c, check_http.c) */
	int			 ck_fd;
	struct ev_io		 ck_io;
	struct ev_timer		 ck_deadline;
	void			*ck_easy;	/* CURL * */
	void			*ck_multi;	/* http_loop.c's, ck_easy on */
	char			*ck_curlerr;	/* CURLOPT_ERRORBUFFER */
	/* what http_loop.c calls when ck_easy's transfer ends */
	void			(*ck_xfer_done)(struct check *, int);
	void			*ck_connect_to;	/* curl_slist: CONNECT_TO */
	char			*ck_body;
	size_t			 ck_bodylen;
	size_t			 ck_bodycap;
	int			 ck_overflow;
	unsigned int		 ck_hops;	/* http: redirects followed */
	struct http_reply	*ck_reply;	/* check_http_plain.c's */
	/* the line dialogues (check_line.c) */
	const struct line_service *ck_line;
	int			 ck_step;	/* the service's own */
	int			 ck_connecting;
	int			 ck_shut_wr;	/* 1: after send, 2: done */
	int			 ck_end_sent;	/* the verdict once all is sent */
	char			*ck_out;	/* what to send */
	size_t			 ck_outlen;
	size_t			 ck_outoff;
	size_t			 ck_total;	/* bytes read in all */
	size_t			 ck_msglen;	/* a framed message's length */
	/* ftp's file, ldap's entry DN (line_ftp.c, line_ldap.c) */
	char			*ck_data;
	size_t			 ck_datalen;
	int			 ck_count;	/* ldap: entries; ftp: flags */
	/* ftp's data connection (line_ftp.c) */
	int			 ck_data_fd;
	struct ev_io		 ck_data_io;
	int			 ck_data_connecting;
	int			 ck_tls;	/* over tls_conn.c, not a socket */
	/* dns (check_dns.c) */
	uint16_t		 ck_dns_id;
	uint16_t		 ck_dns_type;
	/* radius and sip (check_exchange.c) */
	const struct exchange_service *ck_xs;
	struct ev_timer		 ck_resend;	/* UDP: send again */
	uint32_t		 ck_resend_ms;	/* the next wait */
	uint8_t			 ck_nonce[16];	/* from getrandom(2) */
	/* an echo request in flight (check_ping.c) */
	RB_ENTRY(check)		 ck_ping_node;
	int			 ck_ping_pending;	/* in the table */
	uint16_t		 ck_ping_seq;
	uint64_t		 ck_ping_sent_us;
	void			(*ck_ping_reply)(struct check *, uint32_t);
	int			 ck_udp_echoed;	/* 1, 0; -1: cannot ping */
	uint32_t		 ck_ping_tries;	/* echo requests of this probe */
	/* mysql, pgsql (check_sql.c): a struct sql_conn */
	void			*ck_sql;
	/* external (check_exec.c) */
	struct ev_timer		 ck_retry;
	uint64_t		 ck_exec_seq;
	uint32_t		 ck_exec_id;	/* the id it was asked for */
	int			 ck_exec_pending;
	TAILQ_ENTRY(check)	 ck_exec_entry;
};

/* checker.c: where every verdict ends */
void	 checker_verdict(struct check *, int, int, const char *, uint32_t);
int	 checker_exec_send(const struct msg_exec_run *);

/* stats.c */
int	 stats_fail_class(const char *);
int	 stats_bucket(uint32_t);
void	 stats_count(struct msg_stats *, int, const char *, uint32_t);
void	 stats_flush(struct msg_chan *, uint32_t, struct check **, uint32_t);

/* fsm.c */
int	 check_fsm_verdict(struct check_fsm *, int, uint32_t, uint32_t);
int	 check_fsm_force(struct check_fsm *, int);
const char *check_state_name(int);

/* validate.c */
int	 check_negotiates(const struct msg_check *);
int	 check_line_handles(const struct msg_check *);
int	 check_is_dns(const struct msg_check *);
int	 check_is_exchange(const struct msg_check *);
int	 check_is_simpleudp(const struct msg_check *);
int	 check_is_sql(const struct msg_check *);
int	 check_is_exec(const struct msg_check *);
int	 check_service_runs(unsigned int);
int	 check_type_runs(unsigned int);
int	 check_validate(struct msg_check *, regex_t *, int *, char *, size_t);
int	 check_validate_real(const struct msg_check *, const struct addr *,
	    uint16_t, char *, size_t);
int	 check_static_verdict(const struct msg_check *, int *, const char **);

/* check.c */
int	 check_spec_make(const struct msg_check *, struct check_spec *, char *,
	    size_t);
int	 check_spec_like(const struct check_spec *,
	    const struct msg_check_like *, struct check_spec *, char *, size_t);
void	 check_spec_release(struct check_spec *);
struct check	*check_from_spec(struct check_spec *);
struct check	*check_new(const struct msg_check *, char *, size_t);
void	 check_interned_refs(size_t *, size_t *);
void	 check_free(struct check *);
void	 check_release_probe(struct check *);

/* reload.c */
struct reload;
struct reload	*reload_begin(uint32_t, uint32_t);
uint32_t reload_gen(const struct reload *);
int	 reload_add(struct reload *, struct check_spec *, char *, size_t);
const struct check_spec *reload_last(const struct reload *);
void	 reload_apply(struct reload *, struct check ***, uint32_t *);
void	 reload_abort(struct reload *);

/* sched.c */
uint64_t sched_now_us(void);
int	 sched_probe_for(const struct check *);
void	 sched_start(struct check *, uint32_t, uint32_t);
void	 sched_stop(struct check *);
void	 sched_done(struct check *, int, const char *);
/* sched_gate.c */
void	 sched_gate_init(void);
int	 sched_gate_enter(struct check *, int);
void	 sched_gate_leave(struct check *);
/* sched_offset.c */
#define SCHED_FIRST_MS		5000	/* the first probes' window, at most */
uint64_t sched_first_ms(uint64_t, uint32_t, uint32_t);
uint64_t sched_phase_ms(uint64_t, uint32_t, uint32_t);
uint64_t sched_second_ms(uint64_t, uint32_t, uint32_t);
/* a round this much after its time, or half an interval, is late */
#define SCHED_ON_TIME_MS	50
uint64_t sched_next_ms(uint64_t, uint64_t, uint64_t);

/* sock.c */
int	 sock_connect(const struct addr *, uint16_t, int, int *,
	    const char **);
int	 sock_error(int);
int	 sock_connected(int, uint32_t);

/* check_tcp.c */
void	 check_tcp_start(struct check *);
void	 check_tcp_stop(struct check *);

/* check_udp.c */
void	 check_udp_start(struct check *);
void	 check_udp_stop(struct check *);

/* check_http.c */
/*
 * Most of a body the checker holds to match receive against.  A health
 * page is small; a bigger body means a wrong request or a hostile real,
 * and the cap bounds the checker's memory per probe.  Without a receive
 * expression the body is not kept, so its size does not matter.
 */
#define CHECK_HTTP_BODY_MAX	((size_t)64 * 1024)
void	 check_http_start(struct check *);
void	 check_http_stop(struct check *);
void	 check_http_done(struct check *, int);
size_t	 check_http_body(struct check *, const char *, size_t);
int	 check_http_match(const struct check *);
int	 check_http_judge(struct check *, long, char *, size_t);
void	 check_http_too_big(const struct check *, char *, size_t);

/* check_http_plain.c: service http without redirects, over a socket */
int	 check_http_plain_fits(const struct msg_check *);
void	 check_http_plain_start(struct check *);
void	 check_http_plain_stop(struct check *);
size_t	 check_http_plain_request(const struct check *, char *, size_t);

/* http_reply.c: an HTTP/1.x reply as it comes */
#define HTTP_REPLY_LINE_MAX	4096		/* a line, its NUL too */
/* the status and header lines, as libcurl's bound */
#define HTTP_REPLY_HEAD_MAX	((size_t)100 * 1024)
enum http_reply_state {
	HR_STATUS, HR_HEADER, HR_BODY_LEN, HR_BODY_EOF, HR_CHUNK_SIZE,
	HR_CHUNK_DATA, HR_CHUNK_END, HR_TRAILER, HR_DONE
};
/* what http_reply_feed and http_reply_eof return */
#define HR_BAD		(-1)
#define HR_MORE		0
#define HR_END		1
struct http_reply {
	int		 hr_state;	/* enum http_reply_state */
	int		 hr_head;	/* the request was HEAD: no body */
	int		 hr_status;
	int		 hr_has_len;	/* a Content-Length came */
	int		 hr_chunked;	/* Transfer-Encoding: chunked */
	int		 hr_skip;	/* in a header line too long to keep */
	uint64_t	 hr_left;	/* body or chunk bytes to come */
	size_t		 hr_headbytes;	/* of the status and header lines */
	size_t		 hr_seen;	/* bytes in all */
	size_t		 hr_linelen;
	char		 hr_line[HTTP_REPLY_LINE_MAX];
};
/* where the body goes: -1 from hs_body ends the reply as bad */
struct http_reply_sink {
	int		(*hs_body)(void *, const char *, size_t);
	void		*hs_arg;
};
void	 http_reply_init(struct http_reply *, int);
int	 http_reply_feed(struct http_reply *, const char *, size_t,
	    const struct http_reply_sink *, char *, size_t);
int	 http_reply_eof(struct http_reply *, char *, size_t);

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
	/*
	 * A binary protocol (ldap) cuts the real's bytes into messages
	 * instead of lines: the length of the first whole message, 0 if
	 * more bytes are needed, -1 if they cannot be one; ls_step then
	 * gets each message (NULL at the close) and its length in
	 * ck_msglen.  NULL for a line protocol.
	 */
	ssize_t		(*ls_frame)(const uint8_t *, size_t, size_t);
};

void	 check_line_start(struct check *);
void	 check_line_stop(struct check *);
void	 line_sendf(struct check *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 line_send_bytes(struct check *, const char *, size_t);
void	 line_shutdown_after_send(struct check *);
void	 line_end_after_send(struct check *);
int	 line_refused(struct check *, const char *, const char *, char *,
	    size_t);
void	 line_local_literal(struct check *, char *, size_t);
void	 line_flush(struct check *);
void	 line_finish(struct check *, int, const char *);
const char *line_quote(const char *, size_t, char *, size_t);

/* line_ftp.c, line_ldap.c */
extern const struct line_service line_ftp, line_ldap, line_ldaps;
int	 ftp_passive_port(const char *);

/* ldap_ber.c: what the checker reads of an LDAP message */
struct ldap_reply {
	uint32_t	 lr_id;		/* messageID */
	uint8_t		 lr_op;		/* protocolOp's tag number */
	uint32_t	 lr_code;	/* resultCode, if an LDAPResult */
	const uint8_t	*lr_dn;		/* objectName of an entry */
	size_t		 lr_dnlen;
	const uint8_t	*lr_diag;	/* diagnosticMessage of a result */
	size_t		 lr_diaglen;
};
#define LDAP_OP_BIND_REQUEST	0
#define LDAP_OP_BIND_RESPONSE	1
#define LDAP_OP_UNBIND		2
#define LDAP_OP_SEARCH_REQUEST	3
#define LDAP_OP_SEARCH_ENTRY	4
#define LDAP_OP_SEARCH_DONE	5
#define LDAP_OP_SEARCH_REF	19
#define LDAP_OP_EXTENDED_RESP	24
ssize_t	 ldap_frame(const uint8_t *, size_t, size_t);
int	 ldap_reply_parse(const uint8_t *, size_t, struct ldap_reply *);
size_t	 ldap_bind_request(uint8_t *, size_t, uint32_t, const char *,
	    const char *);
size_t	 ldap_search_request(uint8_t *, size_t, uint32_t, const char *);
size_t	 ldap_unbind_request(uint8_t *, size_t, uint32_t);

/* line_mail.c, line_simpletcp.c */
extern const struct line_service line_smtp, line_pop, line_imap, line_nntp;
extern const struct line_service line_pops, line_imaps;
extern const struct line_service line_simpletcp;
size_t	 simpletcp_request(const char *, char *, size_t);

/* check_ping.c */
void	 ping_init(void);
int	 ping_send(struct check *, void (*)(struct check *, uint32_t));
void	 ping_cancel(struct check *);
void	 check_ping_start(struct check *);
void	 check_ping_stop(struct check *);

/* icmp_wire.c: echo requests and replies, without the IP header */
#define ICMP_ECHO_HDR		8
/* what an echo request carries: the checker's cookie */
#define PING_DATA_LEN		16
/* the largest echo reply read: an IPv4 header with options, and more */
#define PING_PACKET_MAX		(60 + ICMP_ECHO_HDR + PING_DATA_LEN + 64)
struct icmp_echo {
	uint16_t	 ie_id;
	uint16_t	 ie_seq;
	const uint8_t	*ie_data;
	size_t		 ie_datalen;
};
size_t	 icmp_echo_build(uint8_t *, size_t, int, uint16_t, uint16_t,
	    const uint8_t *, size_t);
int	 icmp_echo_reply_parse(int, const uint8_t *, size_t,
	    struct icmp_echo *);
uint16_t icmp_cksum(const uint8_t *, size_t);
/* check_exec.c */
void	 check_exec_start(struct check *);
void	 check_exec_stop(struct check *);
int	 check_exec_done(const struct msg_exec_done *, char *, size_t);
void	 check_exec_lost(void);

/* check_dns.c */
void	 check_dns_start(struct check *);
void	 check_dns_stop(struct check *);

/* check_sql.c */
void	 check_sql_start(struct check *);
void	 check_sql_stop(struct check *);

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

/* wire_*: what a reader of a real's message makes of it */
#define WIRE_DOWN	(-1)
#define WIRE_SKIP	0	/* not the answer: wait for another */
#define WIRE_UP		1
#define WIRE_PARTIAL	2	/* less than one message: read on */
/* The most bytes of a real's a reason quotes. */
#define WIRE_QUOTE_MAX	48

/* check_exchange.c: one request, one reply, over UDP or TCP */
struct exchange_service {
	const char	*xs_name;
	size_t		 xs_reply_max;	/* the longest reply read */
	int		 xs_udp_only;	/* whatever the virtual's protocol */
	/* the request into ck_out, once connected; -1 and why */
	int		(*xs_request)(struct check *, char *, size_t);
	/* WIRE_* on the reply's bytes, and how many a SKIP took */
	int		(*xs_reply)(struct check *, const uint8_t *, size_t,
			    size_t *, char *, size_t);
};

void	 check_exchange_start(struct check *);
void	 check_exchange_stop(struct check *);
int	 exchange_local(struct check *, struct addr *, uint16_t *);
extern const struct exchange_service exchange_radius, exchange_sip;

/* check_simpleudp.c: simpletcp of a UDP service */
#define SIMPLEUDP_REPLY_MAX	2048
extern const struct exchange_service exchange_simpleudp;
int	 simpleudp_reply_check(const regex_t *, const uint8_t *, size_t, char *,
	    size_t);

/* radius_wire.c */
#define RADIUS_REQUEST_MAX	512
struct radius_cred {
	const char	*rc_login;
	const char	*rc_passwd;
	const char	*rc_secret;
};
size_t	 radius_request_build(uint8_t *, size_t, uint8_t, const uint8_t *,
	    const struct radius_cred *, const uint8_t *, size_t);
int	 radius_reply_check(const uint8_t *, size_t, uint8_t, const uint8_t *,
	    const char *, char *, size_t);

/* sip_wire.c */
#define SIP_REQUEST_MAX		2048
struct sip_request {
	const char	*sr_uri;	/* "sip:user@host" */
	const char	*sr_transport;	/* "UDP" or "TCP" */
	const char	*sr_local;	/* "addr:port" of the checker */
	const char	*sr_branch;	/* after z9hG4bK */
	const char	*sr_tag;
	const char	*sr_callid;
	uint32_t	 sr_cseq;
};
size_t	 sip_options_build(char *, size_t, const struct sip_request *);
int	 sip_reply_check(const char *, size_t, const char *, uint32_t,
	    size_t *, char *, size_t);
void	 wire_quote(char *, size_t, const void *, size_t);
/* tls_conn.c: a TLS client stream, libcurl's, for a non-HTTP probe */
int	 tls_conn_start(struct check *, void (*)(struct check *, int));
int	 tls_conn_fd(struct check *);
ssize_t	 tls_conn_send(struct check *, const void *, size_t,
	    const char **);
ssize_t	 tls_conn_recv(struct check *, void *, size_t, const char **);
const char *tls_conn_strerror(struct check *, int);
void	 tls_conn_stop(struct check *);

/* http_loop.c */
void	 http_loop_init(void);
int	 http_loop_errbuf(struct check *);
void	 http_loop_errbuf_free(struct check *);
const char *http_loop_error(struct check *, int);
void	*http_loop_easy(void);
void	 http_loop_easy_free(void *);
int	 http_loop_add(struct check *);
void	 http_loop_remove(struct check *);

/* filter.c */
void	 checker_sandbox(const char *, uid_t, gid_t);

/* tls_ca.c */
int		 tls_ca_stage(const struct msg_ca *, int, char *, size_t);
int		 tls_ca_staged_has(unsigned int);
void		 tls_ca_abort(void);
void		 tls_ca_apply(void);
int		 tls_ca_setopts(const struct check *, void *);	/* CURL * */

#endif /* LVSD_CHECKER_H */
