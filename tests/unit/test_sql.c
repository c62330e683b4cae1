/*
 * The SQL protocols of service mysql and pgsql (checker/sql_*.c) against
 * canned server bytes: a whole good exchange of each, what they send,
 * SCRAM-SHA-256 against RFC 7677's example, and the ways a server's
 * bytes end a check as down: errors quoted, sequence ids, bounds, a
 * wrong server signature, a SCRAM exchange out of order.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "checker.h"
#include "sql.h"

static struct msg_check	 ck;
static struct sql_conn	 sc;
static char		 why[CHECK_REASON_LEN];

static void
conn(uint8_t service, const char *login, const char *pw, const char *db,
    const char *query)
{
	memset(&ck, 0, sizeof(ck));
	ck.ck_type = CHECK_NEGOTIATE;
	ck.ck_service = service;
	strlcpy(ck.ck_login, login, sizeof(ck.ck_login));
	strlcpy(ck.ck_passwd, pw, sizeof(ck.ck_passwd));
	strlcpy(ck.ck_database, db, sizeof(ck.ck_database));
	strlcpy(ck.ck_request, query, sizeof(ck.ck_request));
	sql_conn_init(&sc, &ck);
	if (sc.sc_proto->sp_begin != NULL)
		sc.sc_proto->sp_begin(&sc);
	why[0] = '\0';
}

static int
feed(const void *p, size_t n)
{
	why[0] = '\0';
	return sql_feed(&sc, p, n, why, sizeof(why));
}

/* ---- mysql --------------------------------------------------------------- */

/* A mysql packet: length, sequence id, payload. */
static int
my_feed(uint8_t seq, const void *p, size_t n)
{
	uint8_t	 b[512];

	b[0] = (uint8_t)n;
	b[1] = (uint8_t)(n >> 8);
	b[2] = 0;
	b[3] = seq;
	memcpy(b + 4, p, n);
	return feed(b, n + 4);
}

/* MariaDB's greeting, its scramble "abcdefgh" "ijklmnopqrst". */
static const uint8_t my_hello[] = {
	10, '5', '.', '5', '.', '5', '-', '1', '0', '.', '1', '1', 0,
	1, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0,
	0xfe, 0xf7, 33, 2, 0, 0xff, 0x81, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 0,
	'm', 'y', 's', 'q', 'l', '_', 'n', 'a', 't', 'i', 'v', 'e', '_', 'p',
	'a', 's', 's', 'w', 'o', 'r', 'd', 0
};
static const uint8_t my_ok[] = { 0, 0, 0, 2, 0, 0, 0 };
static const uint8_t my_eof[] = { 0xfe, 0, 0, 2, 0 };

static void
test_mysql_good(void)
{
	static const uint8_t coldef[] = { 3, 'd', 'e', 'f', 0, 0, 0, 1, 'x' };
	static const uint8_t row[] = { 1, '1' };
	/* SHA1("s3cret") ^ SHA1(scramble, SHA1(SHA1("s3cret"))) */
	static const uint8_t want[] = { 0x85, 0x10, 0x60, 0x5a, 0x5e, 0xc0,
	    0xd3, 0xd9, 0x58, 0x05, 0x86, 0x36, 0xe0, 0xa2, 0xeb, 0xdf, 0xcf,
	    0x34, 0xbe, 0x4c };
	const uint8_t *user;

	conn(SERVICE_MYSQL, "lvs", "s3cret", "probe", "SELECT 1");
	is_int(sc.sc_outlen, 0, "mysql: the server speaks first");
	is_int(my_feed(0, my_hello, sizeof(my_hello)), SQL_MORE,
	    "mysql: a greeting");
	ok(sc.sc_outlen > 36 && sc.sc_out[3] == 1, "  answered, sequence 1");
	user = sc.sc_out + 4 + 32;
	ok(memcmp(user, "lvs\0\x14", 5) == 0, "  the login, 20 bytes of auth");
	ok(memcmp(user + 5, want, sizeof(want)) == 0,
	    "  mysql_native_password's scramble");
	ok(memcmp(user + 25, "probe\0mysql_native_password\0", 28) == 0,
	    "  the database and the plugin");
	sc.sc_outlen = 0;
	is_int(my_feed(2, my_ok, sizeof(my_ok)), SQL_MORE, "mysql: logged in");
	ok(sc.sc_outlen == 4 + 9 && memcmp(sc.sc_out, "\x09\0\0\0\x03SELECT 1",
	    13) == 0, "  COM_QUERY, sequence 0");
	sc.sc_outlen = 0;
	my_feed(1, "\x01", 1);
	my_feed(2, coldef, sizeof(coldef));
	my_feed(3, my_eof, sizeof(my_eof));
	my_feed(4, row, sizeof(row));
	is_int(my_feed(5, row, sizeof(row)), SQL_MORE, "  two rows");
	is_int(my_feed(6, my_eof, sizeof(my_eof)), SQL_UP, "mysql: up");
	is_str(why, "mysql: 2 rows", "  because: 2 rows");
	ok(sc.sc_outlen == 5 && memcmp(sc.sc_out, "\x01\0\0\0\x01", 5) == 0,
	    "  COM_QUIT");
}

static void
test_mysql_down(void)
{
	static const uint8_t denied[] = { 0xff, 0x15, 0x04, '#', '2', '8',
	    '0', '0', '0', 'A', 'c', 'c', 'e', 's', 's', '\n', 'd' };
	static const uint8_t sw_ed[] = { 0xfe, 'c', 'l', 'i', 'e', 'n', 't',
	    '_', 'e', 'd', '2', '5', '5', '1', '9', 0, 'x' };

	conn(SERVICE_MYSQL, "lvs", "s3cret", "", "SELECT 1");
	my_feed(0, my_hello, sizeof(my_hello));
	is_int(my_feed(2, denied, sizeof(denied)), SQL_DOWN,
	    "mysql: an ERR at login: down");
	is_str(why, "mysql: login refused: 'Access?d'", "  quoted, cleaned");

	conn(SERVICE_MYSQL, "lvs", "s3cret", "", "SELECT 1");
	my_feed(0, my_hello, sizeof(my_hello));
	is_int(my_feed(2, sw_ed, sizeof(sw_ed)), SQL_DOWN,
	    "mysql: a switch to another plugin: down");
	is_str(why, "mysql: unsupported auth plugin: 'client_ed25519'",
	    "  named");

	conn(SERVICE_MYSQL, "lvs", "s3cret", "", "SELECT 1");
	is_int(my_feed(1, my_hello, sizeof(my_hello)), SQL_DOWN,
	    "mysql: a sequence id out of order: down");

	conn(SERVICE_MYSQL, "lvs", "s3cret", "", "SELECT 1");
	is_int(feed("\xff\xff\x01\x00", 4), SQL_DOWN,
	    "mysql: a packet over 64 KiB: down");
	like(why, "a packet of 131071 bytes", "  said so");

	conn(SERVICE_MYSQL, "lvs", "s3cret", "", "SELECT 1");
	my_feed(0, my_hello, sizeof(my_hello));
	my_feed(2, my_ok, sizeof(my_ok));
	my_feed(1, "\x01", 1);
	my_feed(2, "\x03" "def", 4);
	my_feed(3, my_eof, sizeof(my_eof));
	is_int(my_feed(4, my_eof, sizeof(my_eof)), SQL_DOWN,
	    "mysql: no rows: down");
	is_str(why, "mysql: the query returned no rows", "  said so");
}

static void
test_mysql_switch(void)
{
	uint8_t	 sw[1 + 22 + 21];

	conn(SERVICE_MYSQL, "lvs", "", "", "SELECT 1");
	my_feed(0, my_hello, sizeof(my_hello));
	sc.sc_outlen = 0;
	sw[0] = 0xfe;
	memcpy(sw + 1, "mysql_native_password", 22);
	memset(sw + 23, 'z', 20);
	sw[43] = 0;
	is_int(my_feed(2, sw, sizeof(sw)), SQL_MORE,
	    "mysql: a switch to mysql_native_password");
	ok(sc.sc_outlen == 4 && sc.sc_out[3] == 3,
	    "  answered in sequence, empty for no password");
	sc.sc_outlen = 0;
	is_int(my_feed(4, my_ok, sizeof(my_ok)), SQL_MORE, "  logged in");
	is_int(my_feed(6, sw, sizeof(sw)), SQL_DOWN,
	    "  a packet skipping an id: down");
}

/* ---- pgsql --------------------------------------------------------------- */

/* A pgsql message: type, length, payload. */
static int
pg_feed(char t, const void *p, size_t n)
{
	uint8_t	 b[512];

	b[0] = (uint8_t)t;
	sql_be32_at(b + 1, (uint32_t)(n + 4));
	memcpy(b + 5, p, n);
	return feed(b, n + 5);
}

static int
pg_auth_n(uint32_t code, const char *data, size_t n)
{
	uint8_t	 b[256];

	sql_be32_at(b, code);
	memcpy(b + 4, data, n);
	return pg_feed('R', b, 4 + n);
}

static int
pg_auth(uint32_t code, const char *data)
{
	return pg_auth_n(code, data, strlen(data));
}

static void
test_pgsql_startup(void)
{
	static const char want[] = "\0\0\0\x21\0\x03\0\0user\0lvs\0database\0"
	    "probe\0\0";

	conn(SERVICE_PGSQL, "lvs", "s3cret", "probe", "SELECT 1");
	ok(sc.sc_outlen == sizeof(want) - 1 && memcmp(sc.sc_out, want,
	    sc.sc_outlen) == 0, "pgsql: the startup message");
	sc.sc_outlen = 0;
	is_int(pg_auth(3, ""), SQL_MORE, "pgsql: a cleartext password asked");
	ok(sc.sc_outlen == 12 && memcmp(sc.sc_out, "p\0\0\0\x0bs3cret", 12) ==
	    0, "  sent");
	sc.sc_outlen = 0;
	pg_auth(0, "");
	pg_feed('S', "a\0b", 4);
	pg_feed('K', "12345678", 8);
	is_int(pg_feed('Z', "I", 1), SQL_MORE, "pgsql: ready for the query");
	ok(sc.sc_outlen == 14 && memcmp(sc.sc_out, "Q\0\0\0\x0dSELECT 1", 14) ==
	    0, "  the query sent");
	sc.sc_outlen = 0;
	pg_feed('T', "\0\0", 2);
	pg_feed('D', "\0\1\0\0\0\1x", 7);
	pg_feed('C', "SELECT 1", 9);
	is_int(pg_feed('Z', "I", 1), SQL_UP, "pgsql: one row: up");
	is_str(why, "pgsql: 1 row", "  said so");
	ok(sc.sc_outlen == 5 && memcmp(sc.sc_out, "X\0\0\0\x04", 5) == 0,
	    "  Terminate");
}

/* RFC 7677 section 3: user "user", password "pencil". */
#define RFC_NONCE	"rOprNGfwEbeRWgbNEkqO"
#define RFC_SFIRST	"r=" RFC_NONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," \
			"s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
#define RFC_CFINAL	"c=biws,r=" RFC_NONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," \
			"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define RFC_SFINAL	"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

/* A SCRAM exchange up to the server-first, the client-first RFC 7677's. */
static int
scram_to_first(const char *sfirst)
{
	conn(SERVICE_PGSQL, "user", "pencil", "", "SELECT 1");
	sc.sc_outlen = 0;
	pg_auth_n(10, "SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0", 34);
	ok(sc.sc_outlen > 0 && memcmp(sc.sc_out + 5, "SCRAM-SHA-256\0", 14) ==
	    0 && memcmp(sc.sc_out + 23, "n,,n=,r=", 8) == 0,
	    "pgsql: SCRAM-SHA-256 chosen, no channel binding");
	strlcpy(sc.sc_first_bare, "n=user,r=" RFC_NONCE,
	    sizeof(sc.sc_first_bare));
	sc.sc_outlen = 0;
	return pg_auth(11, sfirst);
}

static void
test_pgsql_scram(void)
{
	is_int(scram_to_first(RFC_SFIRST), SQL_MORE, "  the server-first");
	ok(sc.sc_outlen == 5 + strlen(RFC_CFINAL) && memcmp(sc.sc_out + 5,
	    RFC_CFINAL, strlen(RFC_CFINAL)) == 0,
	    "  the client-final of RFC 7677, its proof");
	is_int(pg_auth(12, RFC_SFINAL), SQL_MORE, "  the server's signature "
	    "verifies");
	is_int(pg_auth(0, ""), SQL_MORE, "  then AuthenticationOk");

	scram_to_first(RFC_SFIRST);
	is_int(pg_auth(12, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G8="),
	    SQL_DOWN, "pgsql: a wrong server signature: down");
	like(why, "signature is wrong", "  said so");

	scram_to_first(RFC_SFIRST);
	is_int(pg_auth(0, ""), SQL_DOWN,
	    "pgsql: AuthenticationOk before the server-final: down");

	is_int(scram_to_first("r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
	    "i=4096"), SQL_DOWN, "pgsql: a server nonce not ours: down");
	is_int(scram_to_first("r=" RFC_NONCE "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
	    "i=1000000"), SQL_DOWN, "pgsql: a million iterations: down");
	is_int(scram_to_first("r=" RFC_NONCE "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
	    "i=16385"), SQL_DOWN, "pgsql: one iteration above the bound: down");
	is_int(scram_to_first("r=" RFC_NONCE "x,s=W22ZaJ0SNY7soEsUEjb6g===,"
	    "i=4096"), SQL_DOWN, "pgsql: a salt that is not base64: down");
}

static void
test_pgsql_down(void)
{
	static const char err[] = "SFATAL\0C28P01\0Mpassword authentication "
	    "failed for user \"lvs\"\0\0";

	conn(SERVICE_PGSQL, "lvs", "x", "", "SELECT 1");
	is_int(pg_feed('E', err, sizeof(err)), SQL_DOWN,
	    "pgsql: an ErrorResponse: down");
	is_str(why, "pgsql: refused: 'password authentication failed for "
	    "user \"lvs\"'", "  its message quoted");
	conn(SERVICE_PGSQL, "lvs", "s3cret", "", "SELECT 1");
	sc.sc_outlen = 0;
	is_int(pg_auth(5, "salt"), SQL_MORE, "pgsql: md5 asked");
	/* python3: md5(md5(b"s3cretlvs").hexdigest() + "salt") */
	ok(sc.sc_outlen == 5 + 36 && memcmp(sc.sc_out + 5,
	    "md5" "3d0ea8b2e7c7247fb9a44aaa227cc961", 36) == 0,
	    "  md5(md5(password login) salt)");
	conn(SERVICE_PGSQL, "lvs", "x", "", "SELECT 1");
	is_int(pg_feed('Z', "I", 1), SQL_DOWN,
	    "pgsql: ReadyForQuery before authentication: down");
	conn(SERVICE_PGSQL, "lvs", "x", "", "SELECT 1");
	is_int(pg_feed('D', "", 0), SQL_DOWN,
	    "pgsql: a row before the query: down");
	conn(SERVICE_PGSQL, "lvs", "x", "", "SELECT 1");
	is_int(feed("R\x7f\0\0\0", 5), SQL_DOWN,
	    "pgsql: a message over 64 KiB: down");
}

static void
test_b64(void)
{
	uint8_t	 b[16];
	char	 s[32];
	size_t	 n;

	sql_b64_encode((const uint8_t *)"pencil", 6, s, sizeof(s));
	is_str(s, "cGVuY2ls", "base64 of 6 bytes");
	sql_b64_encode((const uint8_t *)"penci", 5, s, sizeof(s));
	is_str(s, "cGVuY2k=", "base64 of 5 bytes");
	ok(sql_b64_decode("cGVuYw==", 8, b, sizeof(b), &n) == 0 && n == 4 &&
	    memcmp(b, "penc", 4) == 0, "base64 decoded, two pads");
	ok(sql_b64_decode("cG=uYw==", 8, b, sizeof(b), &n) == -1,
	    "a pad inside: refused");
	ok(sql_b64_decode("cGVuY2ls", 8, b, 5, &n) == -1,
	    "more than the room: refused");
}

int
main(void)
{
	test_mysql_good();
	test_mysql_down();
	test_mysql_switch();
	test_pgsql_startup();
	test_pgsql_scram();
	test_pgsql_down();
	test_b64();
	return tap_done();
}
