/*
 * MD5 as RFC 1321 defines it, written from its description: 64-byte
 * blocks, four rounds of sixteen steps, little-endian words.  HMAC as
 * RFC 2104 defines it, over MD5.
 */
#include <string.h>

#include "md5.h"

/* The per-step additive constants: floor(abs(sin(i + 1)) * 2^32). */
static const uint32_t md5_t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
};

/* The left rotations, four per round. */
static const uint8_t md5_s[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 },
	{ 6, 10, 15, 21 }
};

static uint32_t
md5_rotl(uint32_t x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

static uint32_t
md5_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* Round r's mixing function and the message word step i takes. */
static uint32_t
md5_mix(unsigned int i, uint32_t b, uint32_t c, uint32_t d, unsigned int *k)
{
	switch (i / 16) {
	case 0:
		*k = i;
		return (b & c) | (~b & d);
	case 1:
		*k = (5 * i + 1) % 16;
		return (b & d) | (c & ~d);
	case 2:
		*k = (3 * i + 5) % 16;
		return b ^ c ^ d;
	default:
		*k = (7 * i) % 16;
		return c ^ (b | ~d);
	}
}

static void
md5_block(uint32_t st[4], const uint8_t *blk)
{
	uint32_t	 x[16], a = st[0], b = st[1], c = st[2], d = st[3], f;
	unsigned int	 i, k;

	for (i = 0; i < 16; i++)
		x[i] = md5_le32(blk + (size_t)4 * i);
	for (i = 0; i < 64; i++) {
		f = md5_mix(i, b, c, d, &k);
		f = b + md5_rotl(a + f + x[k] + md5_t[i], md5_s[i / 16][i % 4]);
		a = d;
		d = c;
		c = b;
		b = f;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void
md5_init(struct md5_ctx *ctx)
{
	ctx->md_state[0] = 0x67452301;
	ctx->md_state[1] = 0xefcdab89;
	ctx->md_state[2] = 0x98badcfe;
	ctx->md_state[3] = 0x10325476;
	ctx->md_bytes = 0;
}

void
md5_update(struct md5_ctx *ctx, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 have = ctx->md_bytes % MD5_BLOCK_LEN, n;

	ctx->md_bytes += len;
	while (len > 0) {
		n = MD5_BLOCK_LEN - have;
		if (n > len)
			n = len;
		memcpy(ctx->md_buf + have, p, n);
		have += n;
		p += n;
		len -= n;
		if (have == MD5_BLOCK_LEN) {
			md5_block(ctx->md_state, ctx->md_buf);
			have = 0;
		}
	}
}

/* Pad with 0x80, zeros and the bit length, then the state, little-endian. */
void
md5_final(struct md5_ctx *ctx, uint8_t out[MD5_DIGEST_LEN])
{
	static const uint8_t	 pad[MD5_BLOCK_LEN] = { 0x80 };
	uint8_t			 len[8];
	uint64_t		 bits = ctx->md_bytes * 8;
	size_t			 have = ctx->md_bytes % MD5_BLOCK_LEN;
	unsigned int		 i;

	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (8 * i));
	md5_update(ctx, pad, have < 56 ? 56 - have : 120 - have);
	md5_update(ctx, len, sizeof(len));
	for (i = 0; i < 16; i++)
		out[i] = (uint8_t)(ctx->md_state[i / 4] >> (8 * (i % 4)));
	memset(ctx, 0, sizeof(*ctx));
}

void
md5(const void *data, size_t len, uint8_t out[MD5_DIGEST_LEN])
{
	struct md5_ctx	 ctx;

	md5_init(&ctx);
	md5_update(&ctx, data, len);
	md5_final(&ctx, out);
}

/* HMAC-MD5: MD5(K ^ opad, MD5(K ^ ipad, text)); a long key is hashed. */
void
hmac_md5(const void *key, size_t keylen, const void *text, size_t len,
    uint8_t out[MD5_DIGEST_LEN])
{
	struct md5_ctx	 ctx;
	uint8_t		 k[MD5_BLOCK_LEN], pad[MD5_BLOCK_LEN];
	uint8_t		 inner[MD5_DIGEST_LEN];
	size_t		 i;

	memset(k, 0, sizeof(k));
	if (keylen > MD5_BLOCK_LEN)
		md5(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < MD5_BLOCK_LEN; i++)
		pad[i] = k[i] ^ 0x36;
	md5_init(&ctx);
	md5_update(&ctx, pad, sizeof(pad));
	md5_update(&ctx, text, len);
	md5_final(&ctx, inner);
	for (i = 0; i < MD5_BLOCK_LEN; i++)
		pad[i] = k[i] ^ 0x5c;
	md5_init(&ctx);
	md5_update(&ctx, pad, sizeof(pad));
	md5_update(&ctx, inner, sizeof(inner));
	md5_final(&ctx, out);
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
}
