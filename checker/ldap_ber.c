/*
 * The few LDAPv3 messages (RFC 4511) the ldap check needs, in BER
 * (X.690): three it writes (a simple bind, a base-object search, an
 * unbind) and the fields it reads of what a real answers (the message
 * id, the operation, the result code and diagnostic message of a result,
 * the DN of an entry).  Reading is of untrusted bytes: every length is
 * checked against what is left before it is used, tags above 30 and
 * lengths of more than four bytes (or the indefinite form, which LDAP
 * forbids) are malformed, and nothing is copied; tests/fuzz/ldap_fuzz.c
 * feeds it anything.
 */
#include <stdint.h>
#include <string.h>

#include "checker.h"

#define BER_INTEGER	0x02
#define BER_OCTETS	0x04
#define BER_ENUM	0x0a
#define BER_BOOLEAN	0x01
#define BER_SEQUENCE	0x30
#define BER_APP(n)	(0x40 | (n))	/* [APPLICATION n], primitive */
#define BER_APP_C(n)	(0x60 | (n))	/* [APPLICATION n], constructed */
#define BER_CTX(n)	(0x80 | (n))	/* [n], primitive */

/* The search asks for no attribute (RFC 4511 4.5.1.8): only the DN. */
#define LDAP_NO_ATTRS	"1.1"
/* derefFindingBaseObj, as ldirectord's Net::LDAP search */
#define LDAP_DEREF_BASE	2

/* ---- reading ------------------------------------------------------- */

struct ber {
	const uint8_t	*b_p;
	size_t		 b_len;
};

/*
 * The length of the header and value of the TLV at p (len bytes):
 * *hdr and *vlen; 1 if whole, 0 if more bytes are needed, -1 if it
 * cannot be BER as LDAP uses it.
 */
static int
ber_header(const uint8_t *p, size_t len, size_t *hdr, size_t *vlen)
{
	size_t	 i, k;

	if (len >= 1 && (p[0] & 0x1f) == 0x1f)
		return -1;
	if (len < 2)
		return 0;
	if (p[1] < 0x80) {
		*hdr = 2;
		*vlen = p[1];
		return 1;
	}
	k = p[1] & 0x7f;
	if (k == 0 || k > 4)
		return -1;
	if (len < 2 + k)
		return 0;
	*vlen = 0;
	for (i = 0; i < k; i++)
		*vlen = *vlen << 8 | p[2 + i];
	*hdr = 2 + k;
	return 1;
}

/* The next TLV of b into tag and val, b moved past it; 0, or -1. */
static int
ber_next(struct ber *b, uint8_t *tag, struct ber *val)
{
	size_t	 hdr, vlen;

	if (ber_header(b->b_p, b->b_len, &hdr, &vlen) != 1 ||
	    vlen > b->b_len - hdr)
		return -1;
	*tag = b->b_p[0];
	val->b_p = b->b_p + hdr;
	val->b_len = vlen;
	b->b_p += hdr + vlen;
	b->b_len -= hdr + vlen;
	return 0;
}

/* The next TLV of b, which must have tag want. */
static int
ber_expect(struct ber *b, uint8_t want, struct ber *val)
{
	uint8_t	 tag;

	if (ber_next(b, &tag, val) == -1 || tag != want)
		return -1;
	return 0;
}

/* A non-negative INTEGER or ENUMERATED of up to 31 bits. */
static int
ber_uint(const struct ber *v, uint32_t *out)
{
	size_t	 i;

	if (v->b_len == 0 || v->b_len > 5 || (v->b_p[0] & 0x80) ||
	    (v->b_len == 5 && v->b_p[0] != 0))
		return -1;
	*out = 0;
	for (i = 0; i < v->b_len; i++)
		*out = *out << 8 | v->b_p[i];
	return *out > INT32_MAX ? -1 : 0;
}

/*
 * The length of the first LDAPMessage of the len bytes at p if they
 * hold it whole, 0 if more bytes are needed, -1 if they cannot start
 * one or it is longer than max.
 */
ssize_t
ldap_frame(const uint8_t *p, size_t len, size_t max)
{
	size_t	 hdr, vlen;
	int	 r;

	if (len == 0)
		return 0;
	if (p[0] != BER_SEQUENCE)
		return -1;
	if ((r = ber_header(p, len, &hdr, &vlen)) != 1)
		return r;
	if (vlen > max || hdr + vlen > max)
		return -1;
	return hdr + vlen > len ? 0 : (ssize_t)(hdr + vlen);
}

/* LDAPResult: resultCode, matchedDN, diagnosticMessage, maybe more. */
static int
ldap_result_parse(struct ber *op, struct ldap_reply *r)
{
	struct ber	 v;

	if (ber_expect(op, BER_ENUM, &v) == -1 ||
	    ber_uint(&v, &r->lr_code) == -1 ||
	    ber_expect(op, BER_OCTETS, &v) == -1 ||
	    ber_expect(op, BER_OCTETS, &v) == -1)
		return -1;
	r->lr_diag = v.b_p;
	r->lr_diaglen = v.b_len;
	return 0;
}

/*
 * Read one whole LDAPMessage (as ldap_frame cut it) into r, whose
 * pointers point into p; 0, or -1 if it is malformed.  Operations
 * other than results and entries are only named.
 */
int
ldap_reply_parse(const uint8_t *p, size_t len, struct ldap_reply *r)
{
	struct ber	 top = { p, len }, msg, v, op;
	uint8_t		 tag;

	memset(r, 0, sizeof(*r));
	if (ber_expect(&top, BER_SEQUENCE, &msg) == -1 || top.b_len != 0 ||
	    ber_expect(&msg, BER_INTEGER, &v) == -1 ||
	    ber_uint(&v, &r->lr_id) == -1 ||
	    ber_next(&msg, &tag, &op) == -1 || (tag & 0xc0) != 0x40)
		return -1;
	r->lr_op = tag & 0x1f;
	switch (tag) {
	case BER_APP_C(LDAP_OP_BIND_RESPONSE):
	case BER_APP_C(LDAP_OP_SEARCH_DONE):
	case BER_APP_C(LDAP_OP_EXTENDED_RESP):
		return ldap_result_parse(&op, r);
	case BER_APP_C(LDAP_OP_SEARCH_ENTRY):
		if (ber_expect(&op, BER_OCTETS, &v) == -1)
			return -1;
		r->lr_dn = v.b_p;
		r->lr_dnlen = v.b_len;
		return 0;
	default:
		return 0;
	}
}

/* ---- writing ------------------------------------------------------- */

/* Where a message is written; w_off past w_cap means it did not fit. */
struct ber_w {
	uint8_t		*w_p;
	size_t		 w_cap;
	size_t		 w_off;
};

static size_t
ber_len_size(size_t len)
{
	return len < 0x80 ? 1 : len <= 0xff ? 2 : len <= 0xffff ? 3 : 4;
}

/* The size of a whole TLV with a value of len bytes. */
static size_t
ber_tlv_size(size_t len)
{
	return 1 + ber_len_size(len) + len;
}

static void
ber_put_byte(struct ber_w *w, uint8_t c)
{
	if (w->w_off < w->w_cap)
		w->w_p[w->w_off] = c;
	w->w_off++;
}

/* A tag and the length of what follows it. */
static void
ber_put_header(struct ber_w *w, uint8_t tag, size_t len)
{
	size_t	 i, n = ber_len_size(len);

	ber_put_byte(w, tag);
	if (n == 1) {
		ber_put_byte(w, (uint8_t)len);
		return;
	}
	ber_put_byte(w, (uint8_t)(0x80 | (n - 1)));
	for (i = n - 1; i > 0; i--)
		ber_put_byte(w, (uint8_t)(len >> (8 * (i - 1))));
}

static void
ber_put_string(struct ber_w *w, uint8_t tag, const char *s)
{
	size_t	 len = strlen(s);

	ber_put_header(w, tag, len);
	for (; len > 0; len--)
		ber_put_byte(w, (uint8_t)*s++);
}

/* A small non-negative number (a message id, an enum): 3 bytes. */
#define BER_SMALL_SIZE	((size_t)3)
static void
ber_put_small(struct ber_w *w, uint8_t tag, uint8_t v)
{
	ber_put_header(w, tag, 1);
	ber_put_byte(w, v & 0x7f);
}

/* The LDAPMessage header for message id and an op of oplen bytes. */
static void
ldap_put_message(struct ber_w *w, uint32_t id, uint8_t optag, size_t oplen)
{
	ber_put_header(w, BER_SEQUENCE, BER_SMALL_SIZE + ber_tlv_size(oplen));
	ber_put_small(w, BER_INTEGER, (uint8_t)id);
	ber_put_header(w, optag, oplen);
}

static size_t
ber_done(const struct ber_w *w)
{
	return w->w_off <= w->w_cap ? w->w_off : 0;
}

/*
 * A simple bind of dn with password (both "" for an anonymous bind) as
 * message id (below 128) into buf; its length, or 0 if it does not fit.
 */
size_t
ldap_bind_request(uint8_t *buf, size_t cap, uint32_t id, const char *dn,
    const char *password)
{
	struct ber_w	 w = { buf, cap, 0 };
	size_t		 oplen;

	oplen = BER_SMALL_SIZE + ber_tlv_size(strlen(dn)) +
	    ber_tlv_size(strlen(password));
	ldap_put_message(&w, id, BER_APP_C(LDAP_OP_BIND_REQUEST), oplen);
	ber_put_small(&w, BER_INTEGER, 3);		/* version */
	ber_put_string(&w, BER_OCTETS, dn);
	ber_put_string(&w, BER_CTX(0), password);	/* simple */
	return ber_done(&w);
}

/*
 * A search of base alone, filter (objectClass=*), no attributes, as
 * message id (below 128) into buf; its length, or 0 if it does not fit.
 */
size_t
ldap_search_request(uint8_t *buf, size_t cap, uint32_t id, const char *base)
{
	struct ber_w	 w = { buf, cap, 0 };
	size_t		 oplen, attrs;

	attrs = ber_tlv_size(strlen(LDAP_NO_ATTRS));
	oplen = ber_tlv_size(strlen(base)) + 4 * BER_SMALL_SIZE +
	    BER_SMALL_SIZE + ber_tlv_size(strlen("objectClass")) +
	    ber_tlv_size(attrs);
	ldap_put_message(&w, id, BER_APP_C(LDAP_OP_SEARCH_REQUEST), oplen);
	ber_put_string(&w, BER_OCTETS, base);
	ber_put_small(&w, BER_ENUM, 0);			/* baseObject */
	ber_put_small(&w, BER_ENUM, LDAP_DEREF_BASE);
	ber_put_small(&w, BER_INTEGER, 0);		/* no size limit */
	ber_put_small(&w, BER_INTEGER, 0);		/* no time limit */
	ber_put_small(&w, BER_BOOLEAN, 0);		/* typesOnly */
	ber_put_string(&w, BER_CTX(7), "objectClass");	/* present */
	ber_put_header(&w, BER_SEQUENCE, attrs);
	ber_put_string(&w, BER_OCTETS, LDAP_NO_ATTRS);
	return ber_done(&w);
}

/* An unbind as message id (below 128); its length, or 0. */
size_t
ldap_unbind_request(uint8_t *buf, size_t cap, uint32_t id)
{
	struct ber_w	 w = { buf, cap, 0 };

	ldap_put_message(&w, id, BER_APP(LDAP_OP_UNBIND), 0);
	return ber_done(&w);
}
