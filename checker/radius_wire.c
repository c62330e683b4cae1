/*
 * The RADIUS packets of service radius (RFC 2865, RFC 3579): the
 * Access-Request the checker sends and its reading of the reply.  The
 * reply is a real's bytes: every length is checked against the datagram
 * before it is used, and nothing in it is believed before its Response
 * Authenticator (and its Message-Authenticator, if it has one) proves
 * that it was made with the shared secret for this very request.
 */
#include <stdio.h>
#include <string.h>

#include "checker.h"
#include "md5.h"

#define RAD_HDR_LEN		20
#define RAD_AUTH_OFF		4
/* RFC 2865 3: the largest packet there is */
#define RAD_PACKET_MAX		4096

#define RAD_ACCESS_REQUEST	1
#define RAD_ACCESS_ACCEPT	2
#define RAD_ACCESS_REJECT	3
#define RAD_ACCESS_CHALLENGE	11

#define RAD_A_USER_NAME		1
#define RAD_A_USER_PASSWORD	2
#define RAD_A_NAS_IP		4
#define RAD_A_REPLY_MESSAGE	18
#define RAD_A_NAS_IDENTIFIER	32
#define RAD_A_MSG_AUTH		80
#define RAD_A_NAS_IPV6		95
#define RAD_MSG_AUTH_LEN	(2 + MD5_DIGEST_LEN)

/* RFC 2865 5.2: a password is hidden in at most 128 bytes */
#define RAD_PASSWORD_MAX	128

/* Append one attribute; the new length, or 0 if it does not fit. */
static size_t
radius_attr(uint8_t *p, size_t at, size_t cap, uint8_t type, const void *v,
    size_t len)
{
	if (len > 253 || at + 2 + len > cap)
		return 0;
	p[at] = type;
	p[at + 1] = (uint8_t)(2 + len);
	if (len > 0)
		memcpy(p + at + 2, v, len);
	return at + 2 + len;
}

/*
 * User-Password as RFC 2865 5.2 hides it: padded with NULs to a multiple
 * of 16, each 16 bytes XORed with MD5(secret, the previous 16 hidden
 * bytes), the request authenticator standing in for the first.
 */
static size_t
radius_hide(uint8_t out[RAD_PASSWORD_MAX], const char *passwd,
    const char *secret, const uint8_t *auth)
{
	struct md5_ctx	 ctx;
	uint8_t		 b[MD5_DIGEST_LEN];
	const uint8_t	*prev = auth;
	size_t		 n = strlen(passwd), len, i, j;

	if (n > RAD_PASSWORD_MAX)
		return 0;
	len = n == 0 ? 16 : (n + 15) / 16 * 16;
	memset(out, 0, RAD_PASSWORD_MAX);
	for (i = 0; i < n; i++)
		out[i] = (uint8_t)passwd[i];
	for (i = 0; i < len; i += 16) {
		md5_init(&ctx);
		md5_update(&ctx, secret, strlen(secret));
		md5_update(&ctx, prev, MD5_DIGEST_LEN);
		md5_final(&ctx, b);
		for (j = 0; j < 16; j++)
			out[i + j] ^= b[j];
		prev = out + i;
	}
	return len;
}

/* NAS-IP-Address, NAS-IPv6-Address or, without an address, NAS-Identifier. */
static size_t
radius_nas(uint8_t *p, size_t at, size_t cap, const uint8_t *nas,
    size_t naslen)
{
	if (naslen == 4)
		return radius_attr(p, at, cap, RAD_A_NAS_IP, nas, 4);
	if (naslen == 16)
		return radius_attr(p, at, cap, RAD_A_NAS_IPV6, nas, 16);
	return radius_attr(p, at, cap, RAD_A_NAS_IDENTIFIER, "lvsd", 4);
}

/*
 * An Access-Request into p (cap bytes): Message-Authenticator first (as
 * the BlastRADIUS advisories ask), User-Name, the hidden User-Password,
 * then the NAS's address (nas, 4 or 16 bytes) or name.  Its length, or 0
 * if it does not fit.
 */
size_t
radius_request_build(uint8_t *p, size_t cap, uint8_t id,
    const uint8_t *auth, const struct radius_cred *rc,
    const uint8_t *nas, size_t naslen)
{
	uint8_t	 zero[MD5_DIGEST_LEN], pw[RAD_PASSWORD_MAX];
	size_t	 n, pwlen;

	if (cap < RAD_HDR_LEN || (pwlen = radius_hide(pw, rc->rc_passwd,
	    rc->rc_secret, auth)) == 0)
		return 0;
	memset(zero, 0, sizeof(zero));
	p[0] = RAD_ACCESS_REQUEST;
	p[1] = id;
	memcpy(p + RAD_AUTH_OFF, auth, MD5_DIGEST_LEN);
	n = radius_attr(p, RAD_HDR_LEN, cap, RAD_A_MSG_AUTH, zero,
	    sizeof(zero));
	if (n != 0)
		n = radius_attr(p, n, cap, RAD_A_USER_NAME, rc->rc_login,
		    strlen(rc->rc_login));
	if (n != 0)
		n = radius_attr(p, n, cap, RAD_A_USER_PASSWORD, pw, pwlen);
	if (n != 0)
		n = radius_nas(p, n, cap, nas, naslen);
	if (n == 0 || n > RAD_PACKET_MAX)
		return 0;
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	hmac_md5(rc->rc_secret, strlen(rc->rc_secret), p, n,
	    p + RAD_HDR_LEN + 2);
	return n;
}

/* Does the reply's Response Authenticator hold (RFC 2865 3)? */
static int
radius_response_ok(const uint8_t *m, size_t len,
    const uint8_t *auth, const char *secret)
{
	struct md5_ctx	 ctx;
	uint8_t		 d[MD5_DIGEST_LEN];

	md5_init(&ctx);
	md5_update(&ctx, m, RAD_AUTH_OFF);
	md5_update(&ctx, auth, MD5_DIGEST_LEN);
	md5_update(&ctx, m + RAD_HDR_LEN, len - RAD_HDR_LEN);
	md5_update(&ctx, secret, strlen(secret));
	md5_final(&ctx, d);
	return memcmp(d, m + RAD_AUTH_OFF, MD5_DIGEST_LEN) == 0;
}

/*
 * Does the Message-Authenticator at offset ma hold (RFC 3579 3.2): the
 * HMAC of the reply with the request's authenticator in its header and
 * zeros in its own place?
 */
static int
radius_msg_auth_ok(const uint8_t *m, size_t len, size_t ma,
    const uint8_t *auth, const char *secret)
{
	uint8_t	 copy[RAD_PACKET_MAX], d[MD5_DIGEST_LEN];

	memcpy(copy, m, len);
	memcpy(copy + RAD_AUTH_OFF, auth, MD5_DIGEST_LEN);
	memset(copy + ma + 2, 0, MD5_DIGEST_LEN);
	hmac_md5(secret, strlen(secret), copy, len, d);
	return memcmp(d, m + ma + 2, MD5_DIGEST_LEN) == 0;
}

/*
 * Walk the attributes of a reply of len bytes: 0 if each lies inside
 * it, with the offsets of the Message-Authenticator and of the first
 * Reply-Message (0: none); -1 and why if one does not.
 */
static int
radius_attrs(const uint8_t *m, size_t len, size_t *ma, size_t *msg,
    char *why, size_t wlen)
{
	size_t	 at;

	*ma = *msg = 0;
	for (at = RAD_HDR_LEN; at < len; at += m[at + 1]) {
		if (at + 2 > len || m[at + 1] < 2 || at + m[at + 1] > len) {
			snprintf(why, wlen, "radius: an attribute at byte %zu "
			    "runs past the packet", at);
			return -1;
		}
		if (m[at] == RAD_A_MSG_AUTH && (m[at + 1] != RAD_MSG_AUTH_LEN ||
		    *ma != 0)) {
			snprintf(why, wlen, "radius: a malformed "
			    "Message-Authenticator");
			return -1;
		}
		if (m[at] == RAD_A_MSG_AUTH)
			*ma = at;
		else if (m[at] == RAD_A_REPLY_MESSAGE && *msg == 0)
			*msg = at;
	}
	return 0;
}

/* The verdict of an authenticated reply's code. */
static int
radius_code(const uint8_t *m, size_t msg, char *why, size_t wlen)
{
	char	 q[WIRE_QUOTE_MAX + 8];

	q[0] = '\0';
	if (msg != 0)
		wire_quote(q, sizeof(q), m + msg + 2, m[msg + 1] - 2u);
	switch (m[0]) {
	case RAD_ACCESS_ACCEPT:
		snprintf(why, wlen, "radius: Access-Accept");
		return WIRE_UP;
	case RAD_ACCESS_REJECT:
		snprintf(why, wlen, "radius: Access-Reject%s%s%s",
		    msg ? ": '" : "", q, msg ? "'" : "");
		return WIRE_DOWN;
	case RAD_ACCESS_CHALLENGE:
		snprintf(why, wlen, "radius: Access-Challenge: the server "
		    "asks more than a password");
		return WIRE_DOWN;
	default:
		snprintf(why, wlen, "radius: a reply of code %u", m[0]);
		return WIRE_DOWN;
	}
}

/*
 * The verdict on one datagram from the real, the reply to the request
 * of id and auth: WIRE_UP for an authentic Access-Accept, WIRE_SKIP for
 * another id (a late reply to an earlier probe), else WIRE_DOWN; why
 * says which.
 */
int
radius_reply_check(const uint8_t *m, size_t n, uint8_t id,
    const uint8_t *auth, const char *secret, char *why,
    size_t wlen)
{
	size_t	 len, ma, msg;

	if (n < RAD_HDR_LEN) {
		snprintf(why, wlen, "radius: a reply of %zu bytes", n);
		return WIRE_DOWN;
	}
	if (m[1] != id) {
		snprintf(why, wlen, "radius: a reply to request %u", m[1]);
		return WIRE_SKIP;
	}
	len = (size_t)m[2] << 8 | m[3];
	if (len < RAD_HDR_LEN || len > n || len > RAD_PACKET_MAX) {
		snprintf(why, wlen, "radius: length %zu in a datagram of %zu "
		    "bytes", len, n);
		return WIRE_DOWN;
	}
	if (!radius_response_ok(m, len, auth, secret)) {
		snprintf(why, wlen, "radius: the reply's authenticator is "
		    "wrong (is the secret the server's?)");
		return WIRE_DOWN;
	}
	if (radius_attrs(m, len, &ma, &msg, why, wlen) == -1)
		return WIRE_DOWN;
	if (ma != 0 && !radius_msg_auth_ok(m, len, ma, auth, secret)) {
		snprintf(why, wlen, "radius: the reply's Message-Authenticator "
		    "is wrong");
		return WIRE_DOWN;
	}
	return radius_code(m, msg, why, wlen);
}
