/*
 * service pgsql: the PostgreSQL frontend/backend protocol 3.0, as much
 * as a health check needs.  A StartupMessage for login and database;
 * authentication by trust, cleartext password, md5 or SCRAM-SHA-256 (RFC
 * 5802 and 7677, without channel binding: the server's signature is
 * checked before its AuthenticationOk counts); at ReadyForQuery request
 * as a simple Query; DataRows counted until the next ReadyForQuery;
 * Terminate.  Up iff the query returned at least one row.
 *
 * Every message is a type byte, a 4-byte length (itself included) and
 * the rest, bounded by SQL_PACKET_MAX.  An ErrorResponse ends the check,
 * its message quoted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "md5.h"
#include "sql.h"

#define PG_PROTOCOL_3		0x00030000U
#define PG_AUTH_OK		0
#define PG_AUTH_CLEARTEXT	3
#define PG_AUTH_MD5		5
#define PG_AUTH_SASL		10
#define PG_AUTH_SASL_CONTINUE	11
#define PG_AUTH_SASL_FINAL	12
#define PG_SCRAM		"SCRAM-SHA-256"
/* A salt longer than any server sends (PostgreSQL: 16 bytes). */
#define PG_SALT_MAX		128

enum pgsql_step {
	PG_STARTUP = 0,		/* sent the startup: authentication */
	PG_SCRAM_FIRST,		/* sent client-first: server-first */
	PG_SCRAM_FINAL,		/* sent client-final: server-final */
	PG_SCRAM_VERIFIED,	/* the server's signature was right */
	PG_AUTHENTICATED,	/* AuthenticationOk: until ReadyForQuery */
	PG_QUERY		/* sent the query: rows until ReadyForQuery */
};

/* Queue a message of type t with n bytes of payload to come. */
static int
pg_header(struct sql_conn *sc, char t, size_t n)
{
	return sql_put_u8(sc, (uint8_t)t) == -1 ||
	    sql_put_be32(sc, (uint32_t)(4 + n)) == -1 ? -1 : 0;
}

/* The StartupMessage: no type byte, user and database. */
static void
pgsql_begin(struct sql_conn *sc)
{
	const struct msg_check	*ck = sc->sc_ck;
	size_t			 n;

	n = 4 + 4 + sizeof("user") + strlen(ck->ck_login) + 1 + 1;
	if (ck->ck_database[0] != '\0')
		n += sizeof("database") + strlen(ck->ck_database) + 1;
	/* SQL_OUT_MAX holds two credentials and a database */
	(void)sql_put_be32(sc, (uint32_t)n);
	(void)sql_put_be32(sc, PG_PROTOCOL_3);
	(void)sql_put_str(sc, "user");
	(void)sql_put_str(sc, ck->ck_login);
	if (ck->ck_database[0] != '\0') {
		(void)sql_put_str(sc, "database");
		(void)sql_put_str(sc, ck->ck_database);
	}
	(void)sql_put_u8(sc, 0);
}

/* ErrorResponse: fields of a type byte and a string; quote 'M'. */
static int
pg_error(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	const uint8_t	*end;
	const char	*what = sc->sc_step == PG_QUERY ? "query failed" :
			    "refused";

	while (n > 1 && p[0] != '\0') {
		if ((end = memchr(p + 1, '\0', n - 1)) == NULL)
			break;
		if (p[0] == 'M')
			return sql_refused(sc, why, len, what, p + 1,
			    (size_t)(end - p) - 1);
		n -= (size_t)(end - p) + 1;
		p = end + 1;
	}
	return sql_fail(sc, why, len, "%s, no message", what);
}

static int
pg_cleartext(struct sql_conn *sc, char *why, size_t len)
{
	const char	*pw = sc->sc_ck->ck_passwd;

	if (sc->sc_step != PG_STARTUP)
		return sql_fail(sc, why, len, "a password asked twice");
	if (pg_header(sc, 'p', strlen(pw) + 1) == -1 ||
	    sql_put_str(sc, pw) == -1)
		return sql_fail(sc, why, len, "password too long to send");
	return SQL_MORE;
}

/* md5 of a then b, in lower-case hex. */
static void
pg_md5_hex(const void *a, size_t alen, const void *b, size_t blen,
    char out[2 * MD5_DIGEST_LEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	struct md5_ctx		 c;
	uint8_t			 d[MD5_DIGEST_LEN];
	size_t			 i;

	md5_init(&c);
	md5_update(&c, a, alen);
	md5_update(&c, b, blen);
	md5_final(&c, d);
	for (i = 0; i < MD5_DIGEST_LEN; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[(size_t)2 * MD5_DIGEST_LEN] = '\0';
	memset(d, 0, sizeof(d));
}

/*
 * AuthenticationMD5Password: "md5" and md5(md5(password login) salt) in
 * hex.  It proves nothing about the server, which may be anyone.
 */
static int
pg_md5(struct sql_conn *sc, const uint8_t salt[4], char *why, size_t len)
{
	const struct msg_check	*ck = sc->sc_ck;
	char			 inner[2 * MD5_DIGEST_LEN + 1],
				 outer[2 * MD5_DIGEST_LEN + 1];

	if (sc->sc_step != PG_STARTUP)
		return sql_fail(sc, why, len, "a password asked twice");
	pg_md5_hex(ck->ck_passwd, strlen(ck->ck_passwd), ck->ck_login,
	    strlen(ck->ck_login), inner);
	pg_md5_hex(inner, strlen(inner), salt, 4, outer);
	memset(inner, 0, sizeof(inner));
	if (pg_header(sc, 'p', 3 + strlen(outer) + 1) == -1 ||
	    sql_put(sc, "md5", 3) == -1 || sql_put_str(sc, outer) == -1)
		return sql_fail(sc, why, len, "no room for the password");
	return SQL_MORE;
}

/* AuthenticationSASL: a list of mechanisms; take SCRAM-SHA-256. */
static int
pg_sasl(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	char	 nonce[2 * SQL_NONCE_LEN];
	size_t	 off, first, l;
	int	 found = 0;

	for (off = 0; off < n && p[off] != '\0'; off += l + 1) {
		l = strnlen((const char *)p + off, n - off);
		if (l == strlen(PG_SCRAM) && memcmp(p + off, PG_SCRAM, l) == 0)
			found = 1;
	}
	if (!found)
		return sql_refused(sc, why, len, "no SCRAM-SHA-256 among the "
		    "SASL mechanisms", p, n);
	if (sc->sc_step != PG_STARTUP)
		return sql_fail(sc, why, len, "SASL asked twice");
	sql_b64_encode(sc->sc_nonce_raw, SQL_NONCE_LEN, nonce, sizeof(nonce));
	/* the user name is the startup's: SCRAM's n= stays empty */
	snprintf(sc->sc_first_bare, sizeof(sc->sc_first_bare), "n=,r=%s",
	    nonce);
	first = 3 + strlen(sc->sc_first_bare);
	if (pg_header(sc, 'p', sizeof(PG_SCRAM) + 4 + first) == -1 ||
	    sql_put_str(sc, PG_SCRAM) == -1 ||
	    sql_put_be32(sc, (uint32_t)first) == -1 ||
	    sql_put(sc, "n,,", 3) == -1 ||
	    sql_put(sc, sc->sc_first_bare, strlen(sc->sc_first_bare)) == -1)
		return sql_fail(sc, why, len, "no room for SCRAM");
	sc->sc_step = PG_SCRAM_FIRST;
	return SQL_MORE;
}

/*
 * One attribute of a SCRAM message ("r=...,s=...,i=..."), by its
 * letter: its value and length, or NULL.
 */
static const char *
pg_scram_attr(const char *msg, size_t n, char name, size_t *vlen)
{
	const char	*p = msg, *end = msg + n, *comma;

	while (p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		if (comma - p >= 2 && p[0] == name && p[1] == '=') {
			*vlen = (size_t)(comma - p) - 2;
			return p + 2;
		}
		p = comma + 1;
	}
	return NULL;
}

/*
 * From the password, the salt and the iterations: the ClientProof to
 * send (RFC 5802 section 3), and the ServerSignature to expect.
 */
static void
pg_scram_keys(struct sql_conn *sc, const uint8_t *salt, size_t saltlen,
    uint32_t iter, const char *authmsg, uint8_t proof[SHA256_LEN])
{
	const char	*pw = sc->sc_ck->ck_passwd;
	uint8_t		 salted[SHA256_LEN], ckey[SHA256_LEN],
			 stored[SHA256_LEN], key[SHA256_LEN];
	int		 i;

	pbkdf2_sha256(pw, strlen(pw), salt, saltlen, iter, salted,
	    sizeof(salted));
	hmac_sha256(salted, sizeof(salted), "Client Key", 10, ckey);
	sha256(ckey, sizeof(ckey), stored);
	hmac_sha256(stored, sizeof(stored), authmsg, strlen(authmsg), proof);
	for (i = 0; i < SHA256_LEN; i++)
		proof[i] ^= ckey[i];
	hmac_sha256(salted, sizeof(salted), "Server Key", 10, key);
	hmac_sha256(key, sizeof(key), authmsg, strlen(authmsg),
	    sc->sc_server_sig);
	memset(salted, 0, sizeof(salted));
	memset(ckey, 0, sizeof(ckey));
	memset(stored, 0, sizeof(stored));
	memset(key, 0, sizeof(key));
}

/* The server-first message's nonce, salt and iterations, checked. */
static int
pg_scram_server_first(struct sql_conn *sc, const char *m, size_t n,
    uint8_t *salt, size_t *saltlen, uint32_t *iter)
{
	const char	*r, *s, *i, *mine = strstr(sc->sc_first_bare, ",r=") + 3;
	char		 num[16];
	size_t		 rlen, slen, ilen;
	const char	*err = NULL;

	if (memchr(m, '\0', n) != NULL || n < 2 || m[0] == 'm' ||
	    (r = pg_scram_attr(m, n, 'r', &rlen)) == NULL ||
	    (s = pg_scram_attr(m, n, 's', &slen)) == NULL ||
	    (i = pg_scram_attr(m, n, 'i', &ilen)) == NULL)
		return -1;
	if (rlen <= strlen(mine) || strncmp(r, mine, strlen(mine)) != 0)
		return -1;
	if (sql_b64_decode(s, slen, salt, PG_SALT_MAX, saltlen) == -1 ||
	    *saltlen == 0 || ilen == 0 || ilen >= sizeof(num))
		return -1;
	memcpy(num, i, ilen);
	num[ilen] = '\0';
	*iter = (uint32_t)strtonum(num, 1, SQL_SCRAM_ITER_MAX, &err);
	return err != NULL ? -1 : 0;
}

/* AuthenticationSASLContinue: answer the server-first message. */
static int
pg_scram_continue(struct sql_conn *sc, const uint8_t *p, size_t n,
    char *why, size_t len)
{
	char		 final[SQL_PACKET_MAX / 64], authmsg[sizeof(final) * 3],
			 b64[2 * SHA256_LEN];
	uint8_t		 salt[PG_SALT_MAX], proof[SHA256_LEN];
	size_t		 saltlen, rlen = 0;
	uint32_t	 iter;
	const char	*r;

	if (sc->sc_step != PG_SCRAM_FIRST)
		return sql_fail(sc, why, len, "a SCRAM message out of order");
	if (n >= sizeof(final) - 64 || pg_scram_server_first(sc,
	    (const char *)p, n, salt, &saltlen, &iter) == -1)
		return sql_refused(sc, why, len, "a bad SCRAM server-first "
		    "message (or more than 16384 iterations)", p, n);
	if ((r = pg_scram_attr((const char *)p, n, 'r', &rlen)) == NULL)
		return sql_fail(sc, why, len, "no nonce");	/* checked */
	snprintf(final, sizeof(final), "c=biws,r=%.*s", (int)rlen, r);
	snprintf(authmsg, sizeof(authmsg), "%s,%.*s,%s", sc->sc_first_bare,
	    (int)n, (const char *)p, final);
	pg_scram_keys(sc, salt, saltlen, iter, authmsg, proof);
	sql_b64_encode(proof, sizeof(proof), b64, sizeof(b64));
	memset(proof, 0, sizeof(proof));
	if (pg_header(sc, 'p', strlen(final) + 3 + strlen(b64)) == -1 ||
	    sql_put(sc, final, strlen(final)) == -1 ||
	    sql_put(sc, ",p=", 3) == -1 || sql_put(sc, b64, strlen(b64)) == -1)
		return sql_fail(sc, why, len, "no room for SCRAM");
	sc->sc_step = PG_SCRAM_FINAL;
	return SQL_MORE;
}

/* AuthenticationSASLFinal: "v=" and the server's signature, checked. */
static int
pg_scram_final(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	uint8_t		 sig[SHA256_LEN + 3];
	size_t		 siglen;
	const char	*v;
	size_t		 vlen;
	uint8_t		 diff = 0;
	int		 i;

	if (sc->sc_step != PG_SCRAM_FINAL)
		return sql_fail(sc, why, len, "a SCRAM message out of order");
	if ((v = pg_scram_attr((const char *)p, n, 'v', &vlen)) == NULL ||
	    sql_b64_decode(v, vlen, sig, sizeof(sig), &siglen) == -1 ||
	    siglen != SHA256_LEN)
		return sql_refused(sc, why, len, "a bad SCRAM server-final "
		    "message", p, n);
	for (i = 0; i < SHA256_LEN; i++)
		diff |= sig[i] ^ sc->sc_server_sig[i];
	if (diff != 0)
		return sql_fail(sc, why, len, "the server's SCRAM signature "
		    "is wrong: it does not know the password");
	sc->sc_step = PG_SCRAM_VERIFIED;
	return SQL_MORE;
}

/* An Authentication message: its code, then what the code says. */
static int
pg_auth(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	uint32_t	 code;

	if (n < 4)
		return sql_fail(sc, why, len, "an authentication message cut "
		    "short");
	code = sql_get_be32(p);
	switch (code) {
	case PG_AUTH_OK:
		if (sc->sc_step != PG_STARTUP &&
		    sc->sc_step != PG_SCRAM_VERIFIED)
			return sql_fail(sc, why, len, "AuthenticationOk "
			    "before the SCRAM exchange ended");
		sc->sc_step = PG_AUTHENTICATED;
		return SQL_MORE;
	case PG_AUTH_CLEARTEXT:
		return pg_cleartext(sc, why, len);
	case PG_AUTH_SASL:
		return pg_sasl(sc, p + 4, n - 4, why, len);
	case PG_AUTH_SASL_CONTINUE:
		return pg_scram_continue(sc, p + 4, n - 4, why, len);
	case PG_AUTH_SASL_FINAL:
		return pg_scram_final(sc, p + 4, n - 4, why, len);
	case PG_AUTH_MD5:
		if (n < 8)
			return sql_fail(sc, why, len, "an md5 salt cut short");
		return pg_md5(sc, p + 4, why, len);
	default:
		return sql_fail(sc, why, len, "unsupported authentication "
		    "method %u", code);
	}
}

/* ReadyForQuery: the first sends the query, the second ends it all. */
static int
pg_ready(struct sql_conn *sc, char *why, size_t len)
{
	const char	*q = sc->sc_ck->ck_request;

	if (sc->sc_step == PG_AUTHENTICATED) {
		if (pg_header(sc, 'Q', strlen(q) + 1) == -1 ||
		    sql_put_str(sc, q) == -1)
			return sql_fail(sc, why, len, "query too long to send");
		sc->sc_step = PG_QUERY;
		return SQL_MORE;
	}
	if (sc->sc_step != PG_QUERY)
		return sql_fail(sc, why, len, "ReadyForQuery before "
		    "authentication");
	(void)pg_header(sc, 'X', 0);
	if (sc->sc_rows == 0)
		return sql_fail(sc, why, len, "the query returned no rows");
	sql_fail(sc, why, len, "%u row%s", sc->sc_rows,
	    sc->sc_rows == 1 ? "" : "s");
	return SQL_UP;
}

/* One message of type t, its n bytes at p. */
static int
pg_message(struct sql_conn *sc, uint8_t t, const uint8_t *p, size_t n,
    char *why, size_t len)
{
	int	 querying = sc->sc_step == PG_QUERY;

	switch (t) {
	case 'E':
		return pg_error(sc, p, n, why, len);
	case 'R':
		if (sc->sc_step >= PG_AUTHENTICATED)
			break;
		return pg_auth(sc, p, n, why, len);
	case 'Z':
		return pg_ready(sc, why, len);
	case 'S':	/* ParameterStatus */
	case 'N':	/* NoticeResponse */
	case 'K':	/* BackendKeyData */
	case 'v':	/* NegotiateProtocolVersion */
		return SQL_MORE;
	case 'T':	/* RowDescription */
	case 'C':	/* CommandComplete */
	case 'I':	/* EmptyQueryResponse */
		if (!querying)
			break;
		return SQL_MORE;
	case 'D':
		if (!querying)
			break;
		sc->sc_rows++;
		return SQL_MORE;
	default:
		break;
	}
	return sql_fail(sc, why, len, "unexpected message '%c'",
	    t >= 0x21 && t <= 0x7e ? t : '?');
}

/* One whole message, if sc_in holds one. */
static int
pgsql_step(struct sql_conn *sc, char *why, size_t len)
{
	uint32_t	 n;
	int		 v;

	if (sc->sc_inlen < 5)
		return SQL_MORE;
	n = sql_get_be32(sc->sc_in + 1);
	if (n < 4 || n - 4 > SQL_PACKET_MAX)
		return sql_fail(sc, why, len, "a message of %u bytes", n);
	if (sc->sc_inlen < 1 + (size_t)n)
		return SQL_MORE;
	v = pg_message(sc, sc->sc_in[0], sc->sc_in + 5, n - 4, why, len);
	sql_consume(sc, 1 + (size_t)n);
	return v;
}

const struct sql_proto sql_pgsql = {
	.sp_name = "pgsql",
	.sp_begin = pgsql_begin,
	.sp_step = pgsql_step,
};
