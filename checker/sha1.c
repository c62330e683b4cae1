/*
 * SHA-1 as FIPS 180-4 section 6.1 defines it.  MySQL's
 * mysql_native_password is built on it; nothing here relies on SHA-1
 * resisting collisions.
 */
#include <string.h>

#include "sha.h"

static uint32_t
sha1_rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static uint32_t
sha1_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* f and K of FIPS 180-4 4.1.1 for round t. */
static uint32_t
sha1_f(size_t t, uint32_t b, uint32_t c, uint32_t d)
{
	if (t < 20)
		return ((b & c) | (~b & d)) + 0x5a827999U;
	if (t < 40)
		return (b ^ c ^ d) + 0x6ed9eba1U;
	if (t < 60)
		return ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdcU;
	return (b ^ c ^ d) + 0xca62c1d6U;
}

static void
sha1_block(struct sha1_ctx *c, const uint8_t *p)
{
	uint32_t	 w[80], a, b, d, e, f, tmp;
	size_t		 t;

	for (t = 0; t < 16; t++)
		w[t] = sha1_be32(p + 4 * t);
	for (; t < 80; t++)
		w[t] = sha1_rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	a = c->s1_h[0];
	b = c->s1_h[1];
	f = c->s1_h[2];
	d = c->s1_h[3];
	e = c->s1_h[4];
	for (t = 0; t < 80; t++) {
		tmp = sha1_rol(a, 5) + sha1_f(t, b, f, d) + e + w[t];
		e = d;
		d = f;
		f = sha1_rol(b, 30);
		b = a;
		a = tmp;
	}
	c->s1_h[0] += a;
	c->s1_h[1] += b;
	c->s1_h[2] += f;
	c->s1_h[3] += d;
	c->s1_h[4] += e;
}

void
sha1_init(struct sha1_ctx *c)
{
	static const uint32_t	 h0[5] = { 0x67452301U, 0xefcdab89U,
	    0x98badcfeU, 0x10325476U, 0xc3d2e1f0U };

	memset(c, 0, sizeof(*c));
	memcpy(c->s1_h, h0, sizeof(h0));
}

void
sha1_update(struct sha1_ctx *c, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 n;

	c->s1_bytes += len;
	while (len > 0) {
		n = SHA1_BLOCK - c->s1_buflen;
		if (n > len)
			n = len;
		memcpy(c->s1_buf + c->s1_buflen, p, n);
		c->s1_buflen += n;
		p += n;
		len -= n;
		if (c->s1_buflen == SHA1_BLOCK) {
			sha1_block(c, c->s1_buf);
			c->s1_buflen = 0;
		}
	}
}

void
sha1_final(struct sha1_ctx *c, uint8_t out[SHA1_LEN])
{
	uint64_t	 bits = c->s1_bytes * 8;
	uint8_t		 pad[SHA1_BLOCK + 8];
	size_t		 n, i;

	/* a 1 bit, zeros up to 56 mod 64, then the length in bits */
	n = (c->s1_buflen < 56 ? 56 : 120) - c->s1_buflen;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[n + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(c, pad, n + 8);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(c->s1_h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->s1_h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->s1_h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->s1_h[i];
	}
	memset(c, 0, sizeof(*c));
}

void
sha1(const void *data, size_t len, uint8_t out[SHA1_LEN])
{
	struct sha1_ctx	 c;

	sha1_init(&c);
	sha1_update(&c, data, len);
	sha1_final(&c, out);
}
