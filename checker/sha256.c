/*
 * SHA-256 (FIPS 180-4 section 6.2), HMAC-SHA-256 (RFC 2104) and
 * PBKDF2-HMAC-SHA-256 (RFC 8018): what PostgreSQL's SCRAM-SHA-256
 * takes to prove the password and to check the server's signature.
 */
#include <string.h>

#include "sha.h"

static const uint32_t	 sha256_k[64] = {
	0x428a2f98U, 0x71374491U, 0xb5c0fbcfU, 0xe9b5dba5U, 0x3956c25bU,
	0x59f111f1U, 0x923f82a4U, 0xab1c5ed5U, 0xd807aa98U, 0x12835b01U,
	0x243185beU, 0x550c7dc3U, 0x72be5d74U, 0x80deb1feU, 0x9bdc06a7U,
	0xc19bf174U, 0xe49b69c1U, 0xefbe4786U, 0x0fc19dc6U, 0x240ca1ccU,
	0x2de92c6fU, 0x4a7484aaU, 0x5cb0a9dcU, 0x76f988daU, 0x983e5152U,
	0xa831c66dU, 0xb00327c8U, 0xbf597fc7U, 0xc6e00bf3U, 0xd5a79147U,
	0x06ca6351U, 0x14292967U, 0x27b70a85U, 0x2e1b2138U, 0x4d2c6dfcU,
	0x53380d13U, 0x650a7354U, 0x766a0abbU, 0x81c2c92eU, 0x92722c85U,
	0xa2bfe8a1U, 0xa81a664bU, 0xc24b8b70U, 0xc76c51a3U, 0xd192e819U,
	0xd6990624U, 0xf40e3585U, 0x106aa070U, 0x19a4c116U, 0x1e376c08U,
	0x2748774cU, 0x34b0bcb5U, 0x391c0cb3U, 0x4ed8aa4aU, 0x5b9cca4fU,
	0x682e6ff3U, 0x748f82eeU, 0x78a5636fU, 0x84c87814U, 0x8cc70208U,
	0x90befffaU, 0xa4506cebU, 0xbef9a3f7U, 0xc67178f2U
};

static uint32_t
sha256_ror(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

/* The message schedule of FIPS 180-4 6.2.2 step 1. */
static void
sha256_schedule(uint32_t w[64], const uint8_t *p)
{
	uint32_t	 s0, s1;
	size_t		 t;

	for (t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		    (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
	for (; t < 64; t++) {
		s0 = sha256_ror(w[t - 15], 7) ^ sha256_ror(w[t - 15], 18) ^
		    w[t - 15] >> 3;
		s1 = sha256_ror(w[t - 2], 17) ^ sha256_ror(w[t - 2], 19) ^
		    w[t - 2] >> 10;
		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
}

static void
sha256_block(struct sha256_ctx *c, const uint8_t *p)
{
	uint32_t	 w[64], v[8], t1, t2;
	int		 t, i;

	sha256_schedule(w, p);
	memcpy(v, c->s2_h, sizeof(v));
	for (t = 0; t < 64; t++) {
		t1 = v[7] + (sha256_ror(v[4], 6) ^ sha256_ror(v[4], 11) ^
		    sha256_ror(v[4], 25)) + ((v[4] & v[5]) ^ (~v[4] & v[6])) +
		    sha256_k[t] + w[t];
		t2 = (sha256_ror(v[0], 2) ^ sha256_ror(v[0], 13) ^
		    sha256_ror(v[0], 22)) + ((v[0] & v[1]) ^ (v[0] & v[2]) ^
		    (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		c->s2_h[i] += v[i];
}

void
sha256_init(struct sha256_ctx *c)
{
	static const uint32_t	 h0[8] = { 0x6a09e667U, 0xbb67ae85U,
	    0x3c6ef372U, 0xa54ff53aU, 0x510e527fU, 0x9b05688cU, 0x1f83d9abU,
	    0x5be0cd19U };

	memset(c, 0, sizeof(*c));
	memcpy(c->s2_h, h0, sizeof(h0));
}

void
sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 n;

	c->s2_bytes += len;
	while (len > 0) {
		n = SHA256_BLOCK - c->s2_buflen;
		if (n > len)
			n = len;
		memcpy(c->s2_buf + c->s2_buflen, p, n);
		c->s2_buflen += n;
		p += n;
		len -= n;
		if (c->s2_buflen == SHA256_BLOCK) {
			sha256_block(c, c->s2_buf);
			c->s2_buflen = 0;
		}
	}
}

void
sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_LEN])
{
	uint64_t	 bits = c->s2_bytes * 8;
	uint8_t		 pad[SHA256_BLOCK + 8];
	size_t		 n, i;

	/* a 1 bit, zeros up to 56 mod 64, then the length in bits */
	n = (c->s2_buflen < 56 ? 56 : 120) - c->s2_buflen;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[n + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_update(c, pad, n + 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->s2_h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->s2_h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->s2_h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->s2_h[i];
	}
	memset(c, 0, sizeof(*c));
}

void
sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
	struct sha256_ctx	 c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

/* RFC 2104: a key longer than a block is hashed first. */
void
hmac_sha256_init(struct hmac_sha256_ctx *h, const void *key, size_t keylen)
{
	uint8_t	 k[SHA256_BLOCK], ipad[SHA256_BLOCK], opad[SHA256_BLOCK];
	size_t	 i;

	memset(k, 0, sizeof(k));
	if (keylen > SHA256_BLOCK)
		sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < SHA256_BLOCK; i++) {
		ipad[i] = k[i] ^ 0x36;
		opad[i] = k[i] ^ 0x5c;
	}
	sha256_init(&h->hm_inner);
	sha256_update(&h->hm_inner, ipad, sizeof(ipad));
	sha256_init(&h->hm_outer);
	sha256_update(&h->hm_outer, opad, sizeof(opad));
	memset(k, 0, sizeof(k));
	memset(ipad, 0, sizeof(ipad));
	memset(opad, 0, sizeof(opad));
}

void
hmac_sha256_update(struct hmac_sha256_ctx *h, const void *data, size_t len)
{
	sha256_update(&h->hm_inner, data, len);
}

void
hmac_sha256_final(struct hmac_sha256_ctx *h, uint8_t out[SHA256_LEN])
{
	uint8_t	 inner[SHA256_LEN];

	sha256_final(&h->hm_inner, inner);
	sha256_update(&h->hm_outer, inner, sizeof(inner));
	sha256_final(&h->hm_outer, out);
	memset(inner, 0, sizeof(inner));
}

void
hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    uint8_t out[SHA256_LEN])
{
	struct hmac_sha256_ctx	 h;

	hmac_sha256_init(&h, key, keylen);
	hmac_sha256_update(&h, data, len);
	hmac_sha256_final(&h, out);
}

/*
 * PBKDF2 (RFC 8018 5.2) with HMAC-SHA-256 as the PRF, dklen bytes into
 * dk.  The keyed HMAC state is made once and copied for every
 * iteration, which halves the hashing.
 */
void
pbkdf2_sha256(const void *pw, size_t pwlen, const void *salt, size_t saltlen,
    uint32_t iter, uint8_t *dk, size_t dklen)
{
	struct hmac_sha256_ctx	 keyed, h;
	uint8_t			 u[SHA256_LEN], t[SHA256_LEN], be[4];
	uint32_t		 block, i;
	size_t			 j, n;

	hmac_sha256_init(&keyed, pw, pwlen);
	for (block = 1; dklen > 0; block++) {
		be[0] = (uint8_t)(block >> 24);
		be[1] = (uint8_t)(block >> 16);
		be[2] = (uint8_t)(block >> 8);
		be[3] = (uint8_t)block;
		h = keyed;
		hmac_sha256_update(&h, salt, saltlen);
		hmac_sha256_update(&h, be, sizeof(be));
		hmac_sha256_final(&h, u);
		memcpy(t, u, sizeof(t));
		for (i = 1; i < iter; i++) {
			h = keyed;
			hmac_sha256_update(&h, u, sizeof(u));
			hmac_sha256_final(&h, u);
			for (j = 0; j < SHA256_LEN; j++)
				t[j] ^= u[j];
		}
		n = dklen < SHA256_LEN ? dklen : SHA256_LEN;
		memcpy(dk, t, n);
		dk += n;
		dklen -= n;
	}
	memset(&keyed, 0, sizeof(keyed));
	memset(&h, 0, sizeof(h));
	memset(u, 0, sizeof(u));
	memset(t, 0, sizeof(t));
}
