/*
 * The body of the mysql and pgsql fuzz targets: the checker's reading of
 * an SQL server's bytes (checker/sql_mysql.c, sql_pgsql.c, sql_wire.c).
 * The input is what the server sends, in pieces cut where its first byte
 * says, so that packets also arrive split; what the checker queues counts
 * as sent at once.  Whatever the bytes, the reading must stay inside
 * them, end with a verdict of -1, 0 or 1, and give a reason that starts
 * with the service's name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "sql.h"
#include "sql_feed.h"

int
sql_fuzz_feed(const uint8_t *data, size_t size, uint8_t service,
    const char *prefix)
{
	static struct msg_check	 ck;
	static struct sql_conn	 sc;
	char			 why[CHECK_REASON_LEN];
	size_t			 off, cut, n;
	int			 v = SQL_MORE;

	memset(&ck, 0, sizeof(ck));
	ck.ck_type = CHECK_NEGOTIATE;
	ck.ck_service = service;
	strlcpy(ck.ck_login, "lvs", sizeof(ck.ck_login));
	strlcpy(ck.ck_passwd, "s3cret", sizeof(ck.ck_passwd));
	strlcpy(ck.ck_database, "probe", sizeof(ck.ck_database));
	strlcpy(ck.ck_request, "SELECT 1", sizeof(ck.ck_request));
	/* the nonce is all zero bits: "AAAA..." for a seed to answer */
	sql_conn_init(&sc, &ck);
	if (sc.sc_proto->sp_begin != NULL)
		sc.sc_proto->sp_begin(&sc);
	cut = size > 0 ? 1 + data[0] % 64 : 1;
	for (off = size > 0 ? 1 : 0; off < size && v == SQL_MORE; off += n) {
		n = size - off < cut ? size - off : cut;
		sc.sc_outlen = 0;
		why[0] = '\0';
		v = sql_feed(&sc, data + off, n, why, sizeof(why));
	}
	if (v != SQL_DOWN && v != SQL_MORE && v != SQL_UP)
		abort();
	if (v != SQL_MORE && (strncmp(why, prefix, strlen(prefix)) != 0 ||
	    strlen(why) >= sizeof(why)))
		abort();
	return 0;
}
