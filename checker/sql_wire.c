/*
 * What the SQL protocols share: the bounded input and output buffers,
 * the loop that hands each whole packet to the protocol, the quoting of
 * a server's message in a reason, and base64 for SCRAM.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checker.h"
#include "sql.h"

void
sql_conn_init(struct sql_conn *sc, const struct msg_check *ck)
{
	memset(sc, 0, sizeof(*sc));
	sc->sc_ck = ck;
	sc->sc_proto = ck->ck_service == SERVICE_MYSQL ? &sql_mysql :
	    &sql_pgsql;
}

/*
 * Let the protocol take every whole packet in sc_in, until it has a
 * verdict or needs more bytes.
 */
int
sql_steps(struct sql_conn *sc, char *why, size_t len)
{
	size_t	 before;
	int	 v;

	do {
		before = sc->sc_inlen;
		v = sc->sc_proto->sp_step(sc, why, len);
	} while (v == SQL_MORE && sc->sc_inlen < before && sc->sc_inlen > 0);
	return v;
}

/* Bytes from the server: append them, then step (the fuzzers' way in). */
int
sql_feed(struct sql_conn *sc, const void *p, size_t n, char *why, size_t len)
{
	if (n > sizeof(sc->sc_in) - sc->sc_inlen)
		return sql_fail(sc, why, len, "a packet longer than %zu bytes",
		    SQL_PACKET_MAX);
	memcpy(sc->sc_in + sc->sc_inlen, p, n);
	sc->sc_inlen += n;
	sc->sc_total += n;
	if (sc->sc_total > SQL_TOTAL_MAX)
		return sql_fail(sc, why, len, "more than %zu bytes",
		    SQL_TOTAL_MAX);
	return sql_steps(sc, why, len);
}

/* The protocol is done with the first n bytes of sc_in. */
void
sql_consume(struct sql_conn *sc, size_t n)
{
	memmove(sc->sc_in, sc->sc_in + n, sc->sc_inlen - n);
	sc->sc_inlen -= n;
}

/* Queue bytes to send; -1 if they do not fit, which a caller reports. */
int
sql_put(struct sql_conn *sc, const void *p, size_t n)
{
	if (n > sizeof(sc->sc_out) - sc->sc_outlen)
		return -1;
	memcpy(sc->sc_out + sc->sc_outlen, p, n);
	sc->sc_outlen += n;
	return 0;
}

/* A string and its NUL. */
int
sql_put_str(struct sql_conn *sc, const char *s)
{
	return sql_put(sc, s, strlen(s) + 1);
}

int
sql_put_u8(struct sql_conn *sc, uint8_t v)
{
	return sql_put(sc, &v, 1);
}

void
sql_be32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int
sql_put_be32(struct sql_conn *sc, uint32_t v)
{
	uint8_t	 b[4];

	sql_be32_at(b, v);
	return sql_put(sc, b, sizeof(b));
}

int
sql_put_le32(struct sql_conn *sc, uint32_t v)
{
	uint8_t	 b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	return sql_put(sc, b, sizeof(b));
}

uint32_t
sql_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * At most SQL_QUOTE_MAX bytes of a server's text, up to its first NUL,
 * control and non-ASCII bytes replaced, so a server cannot forge a log
 * line; "..." if cut short.
 */
void
sql_quote(char *dst, size_t size, const uint8_t *p, size_t n)
{
	size_t	 i, max = size - 4;

	if (max > SQL_QUOTE_MAX)
		max = SQL_QUOTE_MAX;
	for (i = 0; i < n && i < max && p[i] != '\0'; i++)
		dst[i] = p[i] < 0x20 || p[i] > 0x7e ? '?' : (char)p[i];
	if (i < n && p[i] != '\0')
		dst[i++] = '.', dst[i++] = '.', dst[i++] = '.';
	dst[i] = '\0';
}

/* SQL_DOWN, with why = "SERVICE: " and the rest as printf. */
int
sql_fail(struct sql_conn *sc, char *why, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(why, len, "%s: ", sc->sc_proto->sp_name);
	if (n < 0 || (size_t)n >= len)
		return SQL_DOWN;
	va_start(ap, fmt);
	vsnprintf(why + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return SQL_DOWN;
}

/* SQL_DOWN, with why = "SERVICE: WHAT: 'the server's words'". */
int
sql_refused(struct sql_conn *sc, char *why, size_t len, const char *what,
    const uint8_t *p, size_t n)
{
	char	 q[SQL_QUOTE_MAX + 4];

	sql_quote(q, sizeof(q), p, n);
	return sql_fail(sc, why, len, "%s: '%s'", what, q);
}

static const char	 sql_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 (RFC 4648) of p into dst, NUL-terminated; its length, 0 if no room. */
size_t
sql_b64_encode(const uint8_t *p, size_t n, char *dst, size_t size)
{
	size_t		 i, o = 0;
	uint32_t	 v;

	if (size < (n + 2) / 3 * 4 + 1)
		return 0;
	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		dst[o++] = sql_b64[v >> 18 & 63];
		dst[o++] = sql_b64[v >> 12 & 63];
		dst[o++] = i + 1 < n ? sql_b64[v >> 6 & 63] : '=';
		dst[o++] = i + 2 < n ? sql_b64[v & 63] : '=';
	}
	dst[o] = '\0';
	return o;
}

/*
 * Strict base64 of s (n characters, padded) into at most size bytes;
 * 0 and the length in *outlen, or -1 if it is not base64 or too long.
 */
int
sql_b64_decode(const char *s, size_t n, uint8_t *dst, size_t size,
    size_t *outlen)
{
	const char	*c;
	uint32_t	 v = 0;
	size_t		 i, o = 0, pad = 0;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '=' && i >= n - 2 && (i == n - 1 || s[n - 1] == '='))
			pad++;
		else if (s[i] == '\0' || pad > 0 ||
		    (c = strchr(sql_b64, s[i])) == NULL)
			return -1;
		else
			v = v << 6 | (uint32_t)(c - sql_b64);
		if (s[i] == '=')
			v <<= 6;
		if (i % 4 != 3)
			continue;
		if (o + 3 - pad > size)
			return -1;
		dst[o++] = (uint8_t)(v >> 16);
		if (pad < 2)
			dst[o++] = (uint8_t)(v >> 8);
		if (pad < 1)
			dst[o++] = (uint8_t)v;
		v = 0;
	}
	*outlen = o;
	return 0;
}
