/*
 * The SQL negotiate checks, mysql and pgsql: log in as login with
 * passwd to database, run request as a query, up iff it returns at
 * least one row (ldirectord's check_sql).  check_sql.c owns the socket
 * and the deadline; sql_mysql.c and sql_pgsql.c read the server's bytes
 * and say what to send next, without a socket, so that a unit test or
 * a fuzzer can drive them; sql_wire.c holds what they share.
 */
#ifndef LVSD_SQL_H
#define LVSD_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "sha.h"

/* What a protocol's step returns, as the line services do. */
#define SQL_DOWN	(-1)
#define SQL_MORE	0
#define SQL_UP		1

/*
 * The largest packet (mysql) or message (pgsql) read: a health check's
 * greeting, error or row is far smaller; a longer one ends the check as
 * down rather than grow a buffer to the server's choosing.
 */
#define SQL_PACKET_MAX		((size_t)64 * 1024)
/* Room for one whole packet and its header (mysql 4, pgsql 5 bytes). */
#define SQL_IN_MAX		(SQL_PACKET_MAX + 8)
/* Bytes a server may send in one exchange: rows are counted, not kept. */
#define SQL_TOTAL_MAX		((size_t)4 * 1024 * 1024)
/* What the checker sends at most: a login, a database, the query. */
#define SQL_OUT_MAX		(MSG_REQUEST_LEN + 2 * MSG_CRED_LEN + \
				    MSG_DATABASE_LEN + 256)
/* How much of a server's message a reason quotes. */
#define SQL_QUOTE_MAX		64
/*
 * Most PBKDF2 iterations a SCRAM server may ask: PostgreSQL uses 4096.
 * They run on the checker's one thread, during which no other real is
 * checked: 4096 took 28 ms here, 65536 took 0.65 s.  A server asking
 * more than four times PostgreSQL's is refused.
 */
#define SQL_SCRAM_ITER_MAX	16384
/* Random bytes in the SCRAM client nonce (24 base64 characters). */
#define SQL_NONCE_LEN		18

struct sql_conn;

struct sql_proto {
	const char	*sp_name;
	/* after the connect: queue what goes first, if anything */
	void		(*sp_begin)(struct sql_conn *);
	/* one whole packet or message, if sc_in holds one: SQL_* and why */
	int		(*sp_step)(struct sql_conn *, char *, size_t);
};

struct sql_conn {
	const struct sql_proto	*sc_proto;
	const struct msg_check	*sc_ck;		/* login, passwd, ... */
	uint8_t			 sc_in[SQL_IN_MAX];
	size_t			 sc_inlen;
	size_t			 sc_total;	/* bytes read in all */
	uint8_t			 sc_out[SQL_OUT_MAX];
	size_t			 sc_outlen;
	int			 sc_step;	/* the protocol's own */
	uint8_t			 sc_seq;	/* mysql: next sequence id */
	uint8_t			 sc_switched;	/* mysql: auth switched */
	uint32_t		 sc_columns;	/* mysql: left to read */
	uint32_t		 sc_rows;
	/* mysql_native_password's scramble */
	uint8_t			 sc_scramble[SHA1_LEN];
	/* pgsql SCRAM-SHA-256 */
	uint8_t			 sc_nonce_raw[SQL_NONCE_LEN];
	char			 sc_first_bare[64];	/* "n=,r=NONCE" */
	uint8_t			 sc_server_sig[SHA256_LEN];
};

/* sql_wire.c */
extern const struct sql_proto sql_mysql, sql_pgsql;
void	 sql_conn_init(struct sql_conn *, const struct msg_check *);
int	 sql_feed(struct sql_conn *, const void *, size_t, char *, size_t);
int	 sql_steps(struct sql_conn *, char *, size_t);
void	 sql_consume(struct sql_conn *, size_t);
int	 sql_put(struct sql_conn *, const void *, size_t);
int	 sql_put_str(struct sql_conn *, const char *);
int	 sql_put_u8(struct sql_conn *, uint8_t);
int	 sql_put_be32(struct sql_conn *, uint32_t);
int	 sql_put_le32(struct sql_conn *, uint32_t);
void	 sql_be32_at(uint8_t *, uint32_t);
uint32_t sql_get_be32(const uint8_t *);
void	 sql_quote(char *, size_t, const uint8_t *, size_t);
int	 sql_fail(struct sql_conn *, char *, size_t, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
int	 sql_refused(struct sql_conn *, char *, size_t, const char *,
	    const uint8_t *, size_t);
size_t	 sql_b64_encode(const uint8_t *, size_t, char *, size_t);
int	 sql_b64_decode(const char *, size_t, uint8_t *, size_t, size_t *);

#endif /* LVSD_SQL_H */
