/*
 * service mysql: the MySQL/MariaDB client/server protocol, as much as a
 * health check needs.  Read the server's initial handshake (protocol
 * 10), answer with a HandshakeResponse41 that logs in with
 * mysql_native_password (also after an AuthSwitchRequest to it), send
 * request as a COM_QUERY, read the result set (column count, column
 * definitions, EOF, rows, EOF) counting its rows, then COM_QUIT.  Up iff
 * the query returned at least one row.
 *
 * Every packet is 3 bytes of length, 1 of sequence id, the payload; the
 * length is bounded by SQL_PACKET_MAX and the sequence id must be the
 * one that comes next.  Any other authentication plugin is refused with
 * its name.
 */
#include <string.h>

#include "checker.h"
#include "sql.h"

/* Capability flags of the protocol (include/mysql_com.h's names). */
#define MY_LONG_PASSWORD	0x00000001U
#define MY_CONNECT_WITH_DB	0x00000008U
#define MY_PROTOCOL_41		0x00000200U
#define MY_TRANSACTIONS		0x00002000U
#define MY_SECURE_CONNECTION	0x00008000U
#define MY_PLUGIN_AUTH		0x00080000U

#define MY_COM_QUIT		0x01
#define MY_COM_QUERY		0x03
#define MY_CHARSET_UTF8		33	/* utf8_general_ci */
#define MY_NATIVE		"mysql_native_password"
/* More columns than any health check asks for; a bound on the loop. */
#define MY_COLUMNS_MAX		4096

enum mysql_step {
	MY_HANDSHAKE = 0,	/* waiting for the server's greeting */
	MY_AUTH,		/* sent the login: OK, ERR or a switch */
	MY_QUERY,		/* sent the query: column count, OK or ERR */
	MY_COLUMNS,		/* column definitions, then EOF */
	MY_ROWS			/* rows, then EOF */
};

static uint32_t
my_le(const uint8_t *p, int n)
{
	uint32_t	 v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* Queue a packet header for a payload of n bytes, with the next id. */
static int
my_header(struct sql_conn *sc, size_t n)
{
	uint8_t	 h[4] = { (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
	    sc->sc_seq++ };

	return sql_put(sc, h, sizeof(h));
}

/*
 * mysql_native_password: SHA1(pw) XOR SHA1(scramble, SHA1(SHA1(pw))).
 * No password, no answer.
 */
static size_t
my_native(const struct sql_conn *sc, uint8_t out[SHA1_LEN])
{
	struct sha1_ctx	 c;
	const char	*pw = sc->sc_ck->ck_passwd;
	uint8_t		 h1[SHA1_LEN], h2[SHA1_LEN];
	int		 i;

	if (*pw == '\0')
		return 0;
	sha1(pw, strlen(pw), h1);
	sha1(h1, sizeof(h1), h2);
	sha1_init(&c);
	sha1_update(&c, sc->sc_scramble, sizeof(sc->sc_scramble));
	sha1_update(&c, h2, sizeof(h2));
	sha1_final(&c, out);
	for (i = 0; i < SHA1_LEN; i++)
		out[i] ^= h1[i];
	memset(h1, 0, sizeof(h1));
	memset(h2, 0, sizeof(h2));
	return SHA1_LEN;
}

/* The HandshakeResponse41 that logs in to database as login. */
static int
my_login(struct sql_conn *sc, char *why, size_t len)
{
	const struct msg_check	*ck = sc->sc_ck;
	uint8_t			 auth[SHA1_LEN], zero[23];
	uint32_t		 caps;
	size_t			 n, alen;

	caps = MY_LONG_PASSWORD | MY_PROTOCOL_41 | MY_TRANSACTIONS |
	    MY_SECURE_CONNECTION | MY_PLUGIN_AUTH;
	if (ck->ck_database[0] != '\0')
		caps |= MY_CONNECT_WITH_DB;
	alen = my_native(sc, auth);
	n = 4 + 4 + 1 + sizeof(zero) + strlen(ck->ck_login) + 1 + 1 + alen +
	    sizeof(MY_NATIVE);
	if (caps & MY_CONNECT_WITH_DB)
		n += strlen(ck->ck_database) + 1;
	memset(zero, 0, sizeof(zero));
	if (my_header(sc, n) == -1 || sql_put_le32(sc, caps) == -1 ||
	    sql_put_le32(sc, (uint32_t)SQL_PACKET_MAX) == -1 ||
	    sql_put_u8(sc, MY_CHARSET_UTF8) == -1 ||
	    sql_put(sc, zero, sizeof(zero)) == -1 ||
	    sql_put_str(sc, ck->ck_login) == -1 ||
	    sql_put_u8(sc, (uint8_t)alen) == -1 ||
	    sql_put(sc, auth, alen) == -1 ||
	    ((caps & MY_CONNECT_WITH_DB) &&
	    sql_put_str(sc, ck->ck_database) == -1) ||
	    sql_put_str(sc, MY_NATIVE) == -1)
		return sql_fail(sc, why, len, "login too long to send");
	memset(auth, 0, sizeof(auth));
	sc->sc_step = MY_AUTH;
	return SQL_MORE;
}

/* An ERR packet (0xff, code, maybe '#' and a SQL state, message). */
static int
my_err(struct sql_conn *sc, char *why, size_t len, const char *what,
    const uint8_t *p, size_t n)
{
	size_t	 skip = 3;

	if (n > 3 && p[3] == '#')
		skip = 9;
	if (n < skip)
		skip = n;
	return sql_refused(sc, why, len, what, p + skip, n - skip);
}

/*
 * The initial handshake, protocol 10: version string, connection id,
 * the first 8 bytes of the scramble, capabilities; then the other 12
 * (and a NUL) and the server's default plugin, which does not matter:
 * the checker always offers mysql_native_password.
 */
static int
my_handshake(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	const uint8_t	*v;
	size_t		 off;
	uint32_t	 caps;

	if (n > 0 && p[0] == 0xff)
		return my_err(sc, why, len, "refused", p, n);
	if (n == 0 || p[0] != 10)
		return sql_fail(sc, why, len, "not a MySQL handshake "
		    "(protocol %u)", n > 0 ? p[0] : 0);
	if ((v = memchr(p + 1, '\0', n - 1)) == NULL)
		return sql_fail(sc, why, len, "a handshake cut short");
	off = (size_t)(v - p) + 1;
	/* id 4, scramble 8, filler 1, caps 2, charset 1, status 2, caps 2,
	 * scramble length 1, reserved 10, scramble 12 */
	if (n < off + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10 + 12)
		return sql_fail(sc, why, len, "a handshake too short for "
		    "protocol 4.1");
	caps = my_le(p + off + 13, 2) | my_le(p + off + 18, 2) << 16;
	if ((caps & MY_PROTOCOL_41) == 0 || (caps & MY_SECURE_CONNECTION) == 0)
		return sql_fail(sc, why, len, "a server older than 4.1");
	memcpy(sc->sc_scramble, p + off + 4, 8);
	memcpy(sc->sc_scramble + 8, p + off + 31, 12);
	return my_login(sc, why, len);
}

/* AuthSwitchRequest: name the plugin, then its data (a new scramble). */
static int
my_switch(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	const uint8_t	*end;
	uint8_t		 auth[SHA1_LEN];
	size_t		 alen;

	if (n == 1)
		return sql_fail(sc, why, len, "unsupported auth plugin "
		    "mysql_old_password");
	if ((end = memchr(p + 1, '\0', n - 1)) == NULL)
		return sql_fail(sc, why, len, "an auth switch cut short");
	if (strcmp((const char *)p + 1, MY_NATIVE) != 0)
		return sql_refused(sc, why, len, "unsupported auth plugin",
		    p + 1, (size_t)(end - p) - 1);
	if (sc->sc_switched++ || (size_t)(p + n - end - 1) < SHA1_LEN)
		return sql_fail(sc, why, len, "a bad auth switch");
	memcpy(sc->sc_scramble, end + 1, SHA1_LEN);
	alen = my_native(sc, auth);
	if (my_header(sc, alen) == -1 || sql_put(sc, auth, alen) == -1)
		return sql_fail(sc, why, len, "no room for the auth answer");
	return SQL_MORE;
}

/* Logged in: send request as a query, as a new command (id 0). */
static int
my_query(struct sql_conn *sc, char *why, size_t len)
{
	const char	*q = sc->sc_ck->ck_request;

	sc->sc_seq = 0;
	if (my_header(sc, 1 + strlen(q)) == -1 ||
	    sql_put_u8(sc, MY_COM_QUERY) == -1 ||
	    sql_put(sc, q, strlen(q)) == -1)
		return sql_fail(sc, why, len, "query too long to send");
	sc->sc_step = MY_QUERY;
	return SQL_MORE;
}

static int
my_auth(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	if (n == 0)
		return sql_fail(sc, why, len, "an empty packet");
	switch (p[0]) {
	case 0x00:
		return my_query(sc, why, len);
	case 0xff:
		return my_err(sc, why, len, "login refused", p, n);
	case 0xfe:
		return my_switch(sc, p, n, why, len);
	default:
		return sql_fail(sc, why, len, "unsupported auth exchange "
		    "(packet 0x%02x): a plugin other than " MY_NATIVE, p[0]);
	}
}

/* The first packet of the answer: a column count, OK or ERR. */
static int
my_result(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	uint32_t	 cols;

	if (n == 0)
		return sql_fail(sc, why, len, "an empty packet");
	if (p[0] == 0xff)
		return my_err(sc, why, len, "query failed", p, n);
	if (p[0] == 0x00)
		return sql_fail(sc, why, len, "the query returned no result "
		    "set");
	if (p[0] == 0xfb)
		return sql_fail(sc, why, len, "the query asked for a local "
		    "file");
	if (p[0] < 0xfb)
		cols = p[0];
	else if (p[0] == 0xfc && n >= 3)
		cols = my_le(p + 1, 2);
	else
		cols = MY_COLUMNS_MAX + 1;
	if (cols == 0 || cols > MY_COLUMNS_MAX)
		return sql_fail(sc, why, len, "a bad column count");
	sc->sc_columns = cols;
	sc->sc_step = MY_COLUMNS;
	return SQL_MORE;
}

/* An EOF packet: 0xfe and at most 8 bytes (else a row that starts so). */
static int
my_is_eof(const uint8_t *p, size_t n)
{
	return n > 0 && n < 9 && p[0] == 0xfe;
}

/* The result set's end: say goodbye, give the verdict. */
static int
my_done(struct sql_conn *sc, char *why, size_t len)
{
	sc->sc_seq = 0;
	(void)my_header(sc, 1);
	(void)sql_put_u8(sc, MY_COM_QUIT);
	if (sc->sc_rows == 0)
		return sql_fail(sc, why, len, "the query returned no rows");
	sql_fail(sc, why, len, "%u row%s", sc->sc_rows,
	    sc->sc_rows == 1 ? "" : "s");
	return SQL_UP;
}

static int
my_row(struct sql_conn *sc, const uint8_t *p, size_t n, char *why,
    size_t len)
{
	if (n > 0 && p[0] == 0xff)
		return my_err(sc, why, len, "query failed", p, n);
	if (sc->sc_step == MY_COLUMNS) {
		if (sc->sc_columns > 0) {
			sc->sc_columns--;
			return SQL_MORE;
		}
		if (!my_is_eof(p, n))
			return sql_fail(sc, why, len, "no EOF after the "
			    "columns");
		sc->sc_step = MY_ROWS;
		return SQL_MORE;
	}
	if (my_is_eof(p, n))
		return my_done(sc, why, len);
	sc->sc_rows++;
	return SQL_MORE;
}

/* One whole packet, if sc_in holds one. */
static int
mysql_step(struct sql_conn *sc, char *why, size_t len)
{
	const uint8_t	*p = sc->sc_in + 4;
	size_t		 n;
	int		 v;

	if (sc->sc_inlen < 4)
		return SQL_MORE;
	n = my_le(sc->sc_in, 3);
	if (n > SQL_PACKET_MAX)
		return sql_fail(sc, why, len, "a packet of %zu bytes (more "
		    "than %zu)", n, SQL_PACKET_MAX);
	if (sc->sc_inlen < 4 + n)
		return SQL_MORE;
	if (sc->sc_in[3] != sc->sc_seq)
		return sql_fail(sc, why, len, "packet out of sequence (%u, "
		    "expected %u)", sc->sc_in[3], sc->sc_seq);
	sc->sc_seq++;
	switch (sc->sc_step) {
	case MY_HANDSHAKE:
		v = my_handshake(sc, p, n, why, len);
		break;
	case MY_AUTH:
		v = my_auth(sc, p, n, why, len);
		break;
	case MY_QUERY:
		v = my_result(sc, p, n, why, len);
		break;
	default:
		v = my_row(sc, p, n, why, len);
		break;
	}
	sql_consume(sc, 4 + n);
	return v;
}

const struct sql_proto sql_mysql = {
	.sp_name = "mysql",
	.sp_begin = NULL,
	.sp_step = mysql_step,
};
