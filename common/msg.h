/*
 * The wire messages between lvsd's three processes: the one place where
 * the parent, the checker and ipvsd meet.
 *
 * Every message is one SOCK_SEQPACKET record: a struct msg_hdr followed by
 * a payload whose length is exact for its type.  Structures have explicit
 * padding and fixed-width members, so their size is the same on both ends;
 * both ends are the same build, so host byte order is used throughout.
 * A receiver checks, in order: the record length, that the type is allowed
 * on that channel in that direction, the exact payload length, then every
 * enum, index and string of the payload.  The first violation drops the
 * peer.
 */
#ifndef LVSD_MSG_H
#define LVSD_MSG_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "ev.h"

/* Descriptor of a child's channel to the parent, fixed across exec. */
#define MSG_PARENT_FD		3
/*
 * The checker's raw ICMP and ICMPv6 sockets for ping checks, opened by
 * the parent and fixed across exec; absent when the parent has none.
 */
#define MSG_ICMP4_FD		4
#define MSG_ICMP6_FD		5

/* Largest record: the biggest payload (MSG_CHECK) plus the header. */
#define MSG_MAX			4096

/* Scheduler names are at most IP_VS_SCHEDNAME_MAXLEN (16) in the kernel. */
#define MSG_SCHED_LEN		16
/* A URL path or query; longer ones are refused by the parser. */
#define MSG_REQUEST_LEN		1024
/* A regular expression for the body. */
#define MSG_RECEIVE_LEN		512
/* A host name (RFC 1035 allows 253) for the Host: header and SNI. */
#define MSG_VHOST_LEN		256
/* A login, a password, a radius secret. */
#define MSG_CRED_LEN		128
/* A database name: MySQL allows 64 characters, PostgreSQL 63 bytes. */
#define MSG_DATABASE_LEN	128
/* One log line. */
#define MSG_LOG_LEN		1024
/* A command's path (checkcommand): PATH_MAX would not fit a message. */
#define MSG_PATH_LEN		1024
/* Distinct CA files in one config: a handful of internal CAs at most. */
#define MSG_CA_FILES		16
/* A CA bundle's size: Debian's whole system bundle is about 220 KiB. */
#define MSG_CA_MAX		((size_t)1024 * 1024)
/* Redirects an http check follows at most: a health page needs one. */
#define MSG_REDIRECTS_MAX	5

enum msg_type {
	MSG_NONE = 0,
	/* parent -> child */
	MSG_CONF_BEGIN,		/* struct msg_conf_begin */
	MSG_SERVICE,		/* struct msg_service, parent -> ipvsd */
	MSG_DEST,		/* struct msg_dest, parent -> ipvsd */
	MSG_CHECK,		/* struct msg_check, parent -> checker */
	MSG_CONF_END,		/* no payload */
	MSG_PEER,		/* no payload; SCM_RIGHTS: the peer channel */
	MSG_SHUTDOWN,		/* struct msg_shutdown, parent -> ipvsd */
	MSG_PING,		/* struct msg_ping */
	/* child -> parent */
	MSG_READY,		/* no payload */
	MSG_APPLIED,		/* struct msg_applied, ipvsd -> parent */
	MSG_LOG,		/* struct msg_log */
	MSG_PONG,		/* struct msg_ping */
	MSG_RESULT,		/* struct msg_result, checker -> parent */
	/* checker <-> ipvsd */
	MSG_STATE,		/* struct msg_state, checker -> ipvsd */
	MSG_SNAPSHOT_REQUEST,	/* no payload, ipvsd -> checker */
	/* the exec helper (lvsd-exec) */
	MSG_EXEC_CMD,		/* struct msg_exec_cmd, parent -> exec */
	MSG_EXEC_PEER,		/* no payload; SCM_RIGHTS, parent -> checker */
	MSG_EXEC_RUN,		/* struct msg_exec_run, checker -> exec */
	MSG_EXEC_DONE,		/* struct msg_exec_done, exec -> checker */
	MSG_EXEC_HOOK,		/* struct msg_exec_hook, parent -> exec */
	MSG_EXEC_FIRE,		/* struct msg_exec_fire, parent -> exec */
	/* parent -> checker, inside a config, before the CHECKs */
	MSG_CA,			/* struct msg_ca; SCM_RIGHTS: the CA file */
	/* parent -> checker, at any time: an e-mail alert to send */
	MSG_ALERT,		/* struct msg_alert */
	/* parent -> ipvsd, inside a config: the connection sync daemons */
	MSG_SYNC,		/* struct msg_sync */
	/* checker -> parent, answering a PING: check counts per real */
	MSG_STATS,		/* struct msg_stats */
	/* parent -> checker: a CHECK like the one before it */
	MSG_CHECK_LIKE,		/* struct msg_check_like */
	MSG_TYPE_MAX
};

struct msg_hdr {
	uint16_t	 mh_type;	/* enum msg_type */
	uint16_t	 mh_len;	/* payload length, header excluded */
	uint32_t	 mh_gen;	/* config generation it belongs to */
};

/*
 * Records travel packed: a datagram holds as many whole records as fit
 * in MSG_MAX bytes, back to back, each its header and then its payload.
 * A record that passes a descriptor travels alone.  A config of 100,000
 * reals was 100,000 datagrams, most of some 40 bytes, each a kernel
 * buffer allocated, copied and freed; packed, it is about a thousand.
 * A record taken out of a datagram is copied into this, aligned.
 */
union msg_record {
	struct msg_hdr	 hdr;
	uint64_t	 align;
	unsigned char	 buf[MSG_MAX];
};

enum msg_proto {
	PROTO_TCP = 1,
	PROTO_UDP,
	PROTO_FWM,		/* firewall-mark service */
	PROTO_MAX
};

enum msg_fwd {
	FWD_GATE = 1,		/* direct routing */
	FWD_MASQ,		/* NAT */
	FWD_IPIP,		/* tunnel */
	FWD_MAX
};

struct msg_conf_begin {
	uint32_t	 cb_nservices;
	uint32_t	 cb_ndests;
};

/* One virtual service; ids run 0 .. cb_nservices-1 in order. */
struct msg_service {
	uint32_t	 sv_id;
	uint8_t		 sv_proto;	/* enum msg_proto */
	uint8_t		 sv_quiescent;	/* 0 or 1: down reals get weight 0 */
	uint16_t	 sv_port;	/* 0 for PROTO_FWM */
	struct addr	 sv_addr;	/* family also for PROTO_FWM */
	uint32_t	 sv_fwmark;	/* PROTO_FWM only */
	uint32_t	 sv_persistent;	/* seconds, 0: none */
	uint32_t	 sv_netmask;	/* persistence netmask or v6 prefix */
	char		 sv_sched[MSG_SCHED_LEN];
	/* fallback ("sorry") server, weight 1 */
	uint8_t		 sv_has_fallback;
	uint8_t		 sv_fb_fwd;	/* enum msg_fwd */
	uint16_t	 sv_fb_port;
	struct addr	 sv_fb_addr;
	uint32_t	 sv_flags;	/* MSG_SVC_* */
	/* 0 or 1: a down real found missing goes back with weight 0 */
	uint8_t		 sv_readd;
	/* 0 or 1: removed when lvsd stops (SHUTDOWN with sd_cleanstop) */
	uint8_t		 sv_cleanstop;
	uint8_t		 sv_pad[2];
};

/*
 * sv_flags: ops=yes and schedflags=, which ipvsd maps to the kernel's
 * IP_VS_SVC_F_ONEPACKET and IP_VS_SVC_F_SCHED1..3.  Which scheduler a
 * SCHED flag suits is the parent's check (conf/); msg_svc_flags_ok()
 * takes only these bits, and ONEPACKET only on a UDP service.
 */
#define MSG_SVC_ONEPACKET	0x01	/* ops=yes */
#define MSG_SVC_SCHED1		0x02	/* flag-1, sh-fallback, mh-fallback */
#define MSG_SVC_SCHED2		0x04	/* flag-2, sh-port, mh-port */
#define MSG_SVC_SCHED3		0x08	/* flag-3 */
#define MSG_SVC_FLAGS		0x0f

/* One real server; ids run 0 .. cb_ndests-1 in order. */
struct msg_dest {
	uint32_t	 ds_id;
	uint32_t	 ds_service;	/* sv_id it belongs to */
	struct addr	 ds_addr;
	uint16_t	 ds_port;
	uint8_t		 ds_fwd;	/* enum msg_fwd */
	uint8_t		 ds_disabled;	/* 0, or 1: out by lvsd disable */
	uint32_t	 ds_weight;	/* configured weight, when up */
	uint32_t	 ds_uthresh;	/* upper connection threshold */
	uint32_t	 ds_lthresh;	/* lower connection threshold */
	uint8_t		 ds_fixed;	/* enum msg_fixed: a check's verdict */
	uint8_t		 ds_pad[3];
};

/*
 * A real whose check needs no probe (checktype on or off, negotiate with
 * service none) has its state in the config: ipvsd gives it that state at
 * once, and the checker's word on it changes nothing.
 */
enum msg_fixed {
	FIXED_NONE = 0,		/* the checker says */
	FIXED_UP,
	FIXED_DOWN,
	FIXED_MAX
};

enum msg_checktype {
	CHECK_CONNECT = 1,
	CHECK_NEGOTIATE,
	CHECK_ON,		/* always up */
	CHECK_OFF,		/* always down */
	/* known to conf; run once check_type_runs() in checker/validate.c says so */
	CHECK_PING,
	CHECK_EXTERNAL,
	CHECK_EXTERNAL_PERL,
	CHECK_COMBINED,		/* "N": negotiate, then N connect checks */
	CHECK_MAX
};

enum msg_service_kind {
	SERVICE_NONE = 1,	/* negotiate with "none": always up */
	SERVICE_HTTP,
	SERVICE_SMTP,		/* also submission: greeting, EHLO, QUIT */
	SERVICE_POP,		/* greeting, USER/PASS if a login, QUIT */
	SERVICE_IMAP,		/* greeting, LOGIN if a login, LOGOUT */
	SERVICE_NNTP,		/* greeting 2xx, QUIT */
	SERVICE_SIMPLETCP,	/* send request, a line matching receive */
	SERVICE_DNS,		/* query request, an answer matching receive */
	/*
	 * Known to conf, run by the checker once check_service_runs() in
	 * checker/validate.c says so; the order is conf/directives.c's.
	 */
	SERVICE_FTP,
	SERVICE_HTTP_PROXY,
	SERVICE_HTTPS,
	SERVICE_IMAPS,
	SERVICE_LDAP,
	SERVICE_LDAPS,
	SERVICE_MYSQL,
	SERVICE_ORACLE,
	SERVICE_PGSQL,
	SERVICE_POPS,
	SERVICE_RADIUS,
	SERVICE_SIP,
	SERVICE_MAX
};

enum msg_httpmethod {
	HTTP_GET = 1,
	HTTP_HEAD,
	HTTP_MAX
};

/* One real server to probe; ck_id is the ds_id that ipvsd knows. */
struct msg_check {
	uint32_t	 ck_id;
	uint8_t		 ck_type;	/* enum msg_checktype */
	uint8_t		 ck_service;	/* enum msg_service_kind */
	uint8_t		 ck_proto;	/* PROTO_TCP or PROTO_UDP */
	uint8_t		 ck_method;	/* enum msg_httpmethod */
	struct addr	 ck_addr;
	uint16_t	 ck_port;
	uint16_t	 ck_pad;
	uint32_t	 ck_interval_ms;
	uint32_t	 ck_connect_timeout_ms;
	uint32_t	 ck_negotiate_timeout_ms;
	uint32_t	 ck_failurecount;
	char		 ck_request[MSG_REQUEST_LEN];	/* path, "/..." */
	char		 ck_receive[MSG_RECEIVE_LEN];	/* ERE, "" = any */
	char		 ck_vhost[MSG_VHOST_LEN];	/* "" = the address */
	char		 ck_login[MSG_CRED_LEN];	/* "" = none */
	char		 ck_passwd[MSG_CRED_LEN];
	char		 ck_secret[MSG_CRED_LEN];	/* radius shared secret */
	/* CHECK_COMBINED: connect checks after each good negotiate, >= 1 */
	uint32_t	 ck_combined;
	/* successes in a row that bring a down real back up; 0 means 1 */
	uint32_t	 ck_rise;
	/* CHECK_PING: echo requests, one per checktimeout; 0 means 1 */
	uint32_t	 ck_checkcount;
	char		 ck_database[MSG_DATABASE_LEN];	/* mysql, pgsql */
	/* TLS: verify chain and name against CA file ck_tls_ca (1..) */
	uint8_t		 ck_tls_verify;	/* 0 or 1 */
	uint8_t		 ck_tls_ca;	/* msg_ca ca_id + 1; 0 iff no verify */
	/* http, https: redirects followed to the same real, at most */
	uint8_t		 ck_redirects;
	uint8_t		 ck_pad2;
};

/*
 * The CHECK sent just before this one in the same config, with this id,
 * address and port.  The reals of a virtual service are mostly probed
 * alike, and a whole CHECK is over 2 KiB: 100,000 reals made a reload
 * write 240 MB to the checker.  The checker refuses one that has no
 * CHECK before it in its config; it shares that CHECK's parameters,
 * validated once, and validates the real's address and port as a
 * CHECK's.
 */
struct msg_check_like {
	uint32_t	 cl_id;
	struct addr	 cl_addr;
	uint16_t	 cl_port;
	uint16_t	 cl_pad;
};

/*
 * A CA bundle (PEM) the checker verifies real servers' certificates
 * against, as a descriptor of the file the parent opened: the checker
 * cannot open files in its chroot.  ca_id runs 0 .. MSG_CA_FILES-1 in
 * one config; the checker reads at most MSG_CA_MAX bytes of it.
 */
struct msg_ca {
	uint32_t	 ca_id;
};

/*
 * An e-mail alert (emailalert=), which the parent composes and the
 * checker sends: the parent never talks to the network, and the checker
 * already runs libcurl, which speaks SMTP, inside its sandbox.  The
 * checker sends one mail to al_server:al_port with every recipient of
 * al_rcpt in its own RCPT TO, gives up after al_timeout_ms, and logs how
 * it went; nothing comes back.  Every string ends inside its field and
 * holds printable ASCII only; al_body may also hold newlines.
 */
/* conf keeps emailalert in 1024 bytes: "a@x, b@y, ..." */
#define MSG_ALERT_RCPT_LEN	1024
/* emailalertfrom, used as the From: header: "Name <user@host>" */
#define MSG_ALERT_FROM_LEN	256
/* The log line, "[servicename] " before it. */
#define MSG_ALERT_SUBJECT_LEN	512
/* Four to six short lines (host, message, status, service, comment). */
#define MSG_ALERT_BODY_LEN	1536

struct msg_alert {
	struct addr	 al_server;	/* the smtp= host, resolved */
	uint16_t	 al_port;	/* 25 */
	uint16_t	 al_pad;
	uint32_t	 al_timeout_ms;
	char		 al_rcpt[MSG_ALERT_RCPT_LEN];	/* "a@x, b@y" */
	char		 al_from[MSG_ALERT_FROM_LEN];
	char		 al_helo[MSG_VHOST_LEN];	/* our host name */
	char		 al_subject[MSG_ALERT_SUBJECT_LEN];
	char		 al_body[MSG_ALERT_BODY_LEN];	/* "\n" ends lines */
};

/*
 * The kernel's connection synchronisation daemons (syncdaemon= and the
 * other sync directives), sent at most once per configuration, after
 * the services and reals.  A configuration without one leaves the
 * kernel's sync daemons alone; one with it makes the kernel run exactly
 * the states in sy_states, with these parameters.  It is the parent's
 * configuration only: the checker's channel never carries it.
 */
#define SYNC_MASTER		0x01	/* IP_VS_STATE_MASTER */
#define SYNC_BACKUP		0x02	/* IP_VS_STATE_BACKUP */
/* An interface name: IFNAMSIZ, the kernel's IP_VS_IFNAME_MAXLEN. */
#define MSG_IFNAME_LEN		16
/* sync_maxlen that no kernel clamps, in either state and family. */
#define SYNC_MAXLEN_MIN		1024
#define SYNC_MAXLEN_MAX		65487

struct msg_sync {
	uint8_t		 sy_states;	/* SYNC_MASTER | SYNC_BACKUP, not 0 */
	uint8_t		 sy_ttl;	/* 1 .. 255 */
	uint16_t	 sy_port;	/* UDP port, not 0 */
	uint32_t	 sy_syncid;	/* 0 .. 255 */
	uint32_t	 sy_maxlen;	/* 0: the kernel's, else MIN .. MAX */
	struct addr	 sy_group;	/* a multicast group */
	char		 sy_ifname[MSG_IFNAME_LEN];	/* not "" */
};

struct msg_shutdown {
	uint8_t		 sd_cleanstop;	/* 1: remove those with sv_cleanstop */
	uint8_t		 sd_pad[3];
};

struct msg_ping {
	uint64_t	 pg_seq;
};

struct msg_applied {
	uint32_t	 ap_nservices;
	uint32_t	 ap_ndests;
	uint32_t	 ap_nops;	/* netlink changes it took */
	uint32_t	 ap_nerrors;	/* netlink changes the kernel refused */
};

struct msg_log {
	int32_t		 lg_priority;	/* syslog LOG_ERR .. LOG_DEBUG */
	char		 lg_text[MSG_LOG_LEN];
};

enum msg_updown {
	STATE_DOWN = 0,
	STATE_UP = 1,
	STATE_UNKNOWN = 2	/* a RESULT's rs_state only: too few verdicts */
};

struct msg_state {
	uint32_t	 st_id;
	uint8_t		 st_up;		/* enum msg_updown */
	uint8_t		 st_pad[3];
};

/* Why the last check of ck_id ended as it did, for status. */
struct msg_result {
	uint32_t	 rs_id;
	uint8_t		 rs_up;		/* this check's verdict */
	uint8_t		 rs_state;	/* the real's state after it, or unknown */
	uint16_t	 rs_pad;
	uint32_t	 rs_latency_us;
	char		 rs_reason[128];
};

/*
 * Why a check failed, in a few classes fixed here so that a metric's
 * label set is bounded (the free text stays in RESULT's rs_reason).
 */
enum msg_fail_class {
	FAIL_REFUSED = 0,	/* connection refused or reset */
	FAIL_TIMEOUT,		/* no (whole) answer within the timeout */
	FAIL_UNREACHABLE,	/* no route, host or network unreachable */
	FAIL_CLOSED,		/* the server hung up in the middle */
	FAIL_MISMATCH,		/* it answered, but not what was expected */
	FAIL_PROTOCOL,		/* a malformed or oversized answer */
	FAIL_OTHER,		/* anything else, local errors included */
	FAIL_CLASS_MAX
};

/*
 * Check latency buckets, upper bounds in microseconds; the last bucket
 * (+Inf) has no bound.  From a loopback connect to a slow database.
 */
#define MSG_STATS_BUCKETS	9
#define MSG_STATS_BOUNDS_US	{ 1000, 5000, 10000, 50000, 100000, 500000, \
				  1000000, 5000000 }

/*
 * The checks of one real since the previous STATS for it: counts, not
 * totals, so that a restarted checker needs no memory.  Sent in answer
 * to the parent's PING, only for a real that was checked meanwhile.
 */
struct msg_stats {
	uint64_t	 sa_latency_us;	/* the sa_checks latencies summed */
	uint32_t	 sa_id;		/* the real's id in this generation */
	uint32_t	 sa_checks;	/* probes that ended */
	uint32_t	 sa_fails[FAIL_CLASS_MAX];	/* of them failed, why */
	uint32_t	 sa_buckets[MSG_STATS_BUCKETS];	/* of them, by latency */
};

/*
 * The exec helper.  The parent sends it, per configuration, one
 * EXEC_CMD per real server whose check runs a command, indexed by the
 * real's id (the CHECK's ck_id); the checker asks it to run the command
 * of one id and learns only how it ended.  The checker never sends a
 * string: argv is built by the helper from the parent's fields.
 */
enum msg_exec_kind {
	EXEC_EXTERNAL = 1,	/* checkcommand VIP VPORT RIP RPORT */
	EXEC_EXTERNAL_PERL,	/* perl checkcommand VIP VPORT RIP RPORT */
	EXEC_KIND_MAX
};

struct msg_exec_cmd {
	uint32_t	 ec_id;		/* the real's id, < cb_ndests */
	uint8_t		 ec_kind;	/* enum msg_exec_kind */
	uint8_t		 ec_fwm;	/* 1: the virtual is a fwmark */
	uint16_t	 ec_vport;	/* 0 for a fwmark */
	uint32_t	 ec_fwmark;	/* ec_fwm only */
	uint32_t	 ec_timeout_ms;	/* then SIGTERM, SIGKILL */
	struct addr	 ec_vaddr;	/* unused for a fwmark */
	struct addr	 ec_raddr;
	uint16_t	 ec_rport;
	uint16_t	 ec_pad;
	char		 ec_path[MSG_PATH_LEN];	/* absolute */
};

/* Run the command of ec_id; mh_gen is the checker's generation. */
struct msg_exec_run {
	uint32_t	 er_id;
	uint32_t	 er_pad;
	uint64_t	 er_seq;	/* the checker's, echoed back */
};

enum msg_exec_result {
	EXEC_EXITED = 1,	/* ed_status: its exit status */
	EXEC_SIGNALED,		/* ed_status: the signal */
	EXEC_TIMEDOUT,		/* killed at its timeout */
	EXEC_NOSTART,		/* fork or execve failed */
	EXEC_STALE,		/* another generation than the helper's */
	EXEC_BUSY,		/* that id's command is still running */
	EXEC_RESULT_MAX
};

struct msg_exec_done {
	uint32_t	 ed_id;
	uint8_t		 ed_result;	/* enum msg_exec_result */
	uint8_t		 ed_pad[3];
	uint64_t	 ed_seq;	/* er_seq */
	int32_t		 ed_status;
	uint32_t	 ed_ms;		/* how long it ran */
};

/*
 * The parent's own commands, run by the exec helper through /bin/sh:
 * fallbackcommand (one per virtual service that has one, indexed by the
 * virtual's id) and callback (index cb_nservices).  They are part of
 * the helper's table, sent between CONF_BEGIN and CONF_END; the parent
 * then names one by index and action in an EXEC_FIRE of the generation
 * in force.  The helper logs how each run ended; nothing comes back.
 */
enum msg_hook_kind {
	HOOK_FALLBACK = 1,	/* eh_cmd start|stop VIP:VPORT tcp|udp|fwm */
	HOOK_CALLBACK,		/* eh_cmd CONFIG */
	HOOK_KIND_MAX
};

enum msg_hook_action {
	HOOK_START = 1,		/* fallbackcommand start */
	HOOK_STOP,		/* fallbackcommand stop */
	HOOK_RUN,		/* callback */
	HOOK_ACTION_MAX
};

struct msg_exec_hook {
	uint32_t	 eh_id;		/* virtual id, or cb_nservices */
	uint8_t		 eh_kind;	/* enum msg_hook_kind */
	uint8_t		 eh_proto;	/* enum msg_proto; fallback only */
	uint16_t	 eh_vport;	/* 0 for a fwmark */
	uint32_t	 eh_timeout_ms;	/* then SIGTERM, SIGKILL */
	uint32_t	 eh_fwmark;	/* HOOK_FALLBACK of a fwmark */
	struct addr	 eh_vaddr;	/* unused for a fwmark */
	char		 eh_cmd[MSG_PATH_LEN];	/* a shell command */
	char		 eh_arg[MSG_PATH_LEN];	/* callback: the config */
};

/* Run hook ef_id of generation mh_gen, which must be the helper's. */
struct msg_exec_fire {
	uint32_t	 ef_id;
	uint8_t		 ef_action;	/* enum msg_hook_action */
	uint8_t		 ef_pad[3];
};

/*
 * A channel: one SOCK_SEQPACKET descriptor with an output queue, driven
 * by the event loop.  msg_chan_send() never blocks: what the socket will
 * not take now waits in the queue, in order.  A handler or closed
 * callback may close its channel but must not free it: the struct
 * outlives the callback.
 */
struct msg_out;

struct msg_chan;
typedef void	(*msg_handler)(struct msg_chan *, const struct msg_hdr *,
		    const void *, int);
typedef void	(*msg_closed)(struct msg_chan *);

struct msg_chan {
	int			 mc_fd;
	const char		*mc_name;	/* "checker", "ipvsd", ... */
	uint32_t		 mc_allowed;	/* bit (1 << type) per type */
	msg_handler		 mc_handler;
	msg_closed		 mc_closed;
	void			*mc_arg;
	struct ev_io		 mc_io;
	TAILQ_HEAD(, msg_out)	 mc_out;
	size_t			 mc_queued;	/* bytes waiting */
	size_t			 mc_burst;	/* a config's room above the cap */
	size_t			 mc_room;	/* lasting room above the cap */
	int			 mc_corked;	/* queue, send at uncork */
};

#define MSG_ALLOW(t)		(1U << (t))

size_t	 msg_payload_len(enum msg_type);
const char *msg_type_name(unsigned int);
int	 msg_svc_flags_ok(uint32_t, unsigned int);
int	 msg_str_ok(const char *, size_t);
int	 msg_addr_ok(const struct addr *);
int	 msg_stats_ok(const struct msg_stats *);

void	 msg_chan_init(struct msg_chan *, int, const char *, uint32_t,
	    msg_handler, msg_closed, void *);
void	 msg_chan_close(struct msg_chan *);
int	 msg_chan_open(const struct msg_chan *);
int	 msg_chan_crowded(const struct msg_chan *);
int	 msg_chan_send(struct msg_chan *, enum msg_type, uint32_t,
	    const void *, size_t);
int	 msg_chan_send_fd(struct msg_chan *, enum msg_type, uint32_t,
	    const void *, size_t, int);
void	 msg_chan_drop(struct msg_chan *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 msg_chan_burst(struct msg_chan *, size_t);
void	 msg_chan_room(struct msg_chan *, size_t);
void	 msg_chan_cork(struct msg_chan *);
void	 msg_chan_uncork(struct msg_chan *);

int	 msg_unpack(const void *, size_t, size_t *, union msg_record *);

/* Blocking one-shot send, for paths without an event loop. */
int	 msg_send_record(int, const void *, size_t, int);
int	 msg_pack_record(unsigned char *, size_t *, enum msg_type,
	    const void *, size_t);
int	 msg_send_raw(int, enum msg_type, uint32_t, const void *, size_t,
	    int);

#endif /* LVSD_MSG_H */
