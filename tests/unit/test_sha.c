/*
 * The checker's own hashes (checker/sha1.c, checker/sha256.c) against
 * the published vectors: FIPS 180 (SHA-1, SHA-256), RFC 4231
 * (HMAC-SHA-256) and RFC 7914 section 11 (PBKDF2-HMAC-SHA-256).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "sha.h"

static void
hex(const uint8_t *p, size_t len, char *out)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void
is_sha1(const void *data, size_t len, const char *want, const char *desc)
{
	uint8_t	 d[SHA1_LEN];
	char	 h[2 * SHA1_LEN + 1];

	sha1(data, len, d);
	hex(d, sizeof(d), h);
	is_str(h, want, desc);
}

static void
is_sha256(const void *data, size_t len, const char *want, const char *desc)
{
	uint8_t	 d[SHA256_LEN];
	char	 h[2 * SHA256_LEN + 1];

	sha256(data, len, d);
	hex(d, sizeof(d), h);
	is_str(h, want, desc);
}

static void
is_hmac(const void *key, size_t klen, const void *data, size_t len,
    const char *want, const char *desc)
{
	uint8_t	 d[SHA256_LEN];
	char	 h[2 * SHA256_LEN + 1];

	hmac_sha256(key, klen, data, len, d);
	hex(d, sizeof(d), h);
	is_str(h, want, desc);
}

static void
is_pbkdf2(const char *pw, const char *salt, uint32_t iter, const char *want,
    const char *desc)
{
	uint8_t	 d[64];
	char	 h[2 * sizeof(d) + 1];

	pbkdf2_sha256(pw, strlen(pw), salt, strlen(salt), iter, d, sizeof(d));
	hex(d, sizeof(d), h);
	is_str(h, want, desc);
}

#define ABC448	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

static void
test_sha1(void)
{
	struct sha1_ctx	 c;
	uint8_t		 d[SHA1_LEN], *a;
	char		 h[2 * SHA1_LEN + 1];
	int		 i;

	is_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
	    "sha1 of the empty string");
	is_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d",
	    "sha1 FIPS 180 one block");
	is_sha1(ABC448, strlen(ABC448),
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
	    "sha1 FIPS 180 two blocks");
	if ((a = malloc(1000)) == NULL)
		abort();
	memset(a, 'a', 1000);
	sha1_init(&c);
	for (i = 0; i < 1000; i++)
		sha1_update(&c, a, 1000);
	sha1_final(&c, d);
	hex(d, sizeof(d), h);
	is_str(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
	    "sha1 FIPS 180 a million a, fed in pieces");
	free(a);
}

static void
test_sha256(void)
{
	struct sha256_ctx	 c;
	uint8_t			 d[SHA256_LEN];
	char			 h[2 * SHA256_LEN + 1];
	int			 i;

	is_sha256("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
	    "a495991b7852b855", "sha256 of the empty string");
	is_sha256("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
	    "b410ff61f20015ad", "sha256 FIPS 180 one block");
	is_sha256(ABC448, strlen(ABC448), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1", "sha256 FIPS 180 two blocks");
	sha256_init(&c);
	for (i = 0; i < 1000000; i++)
		sha256_update(&c, "a", 1);
	sha256_final(&c, d);
	hex(d, sizeof(d), h);
	is_str(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39cc"
	    "c7112cd0", "sha256 FIPS 180 a million a, one at a time");
}

static void
test_hmac(void)
{
	uint8_t	 k20[20], kaa[131], ddd[50];
	const char *d6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	const char *d7 = "This is a test using a larger than block-size key "
	    "and a larger than block-size data. The key needs to be hashed "
	    "before being used by the HMAC algorithm.";

	memset(k20, 0x0b, sizeof(k20));
	is_hmac(k20, 20, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7", "hmac-sha256 RFC 4231 case 1");
	is_hmac("Jefe", 4, "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "hmac-sha256 RFC 4231 case 2");
	memset(kaa, 0xaa, sizeof(kaa));
	memset(ddd, 0xdd, sizeof(ddd));
	is_hmac(kaa, 20, ddd, sizeof(ddd), "773ea91e36800e46854db8ebd09181a7"
	    "2959098b3ef8c122d9635514ced565fe", "hmac-sha256 RFC 4231 case 3");
	is_hmac(kaa, sizeof(kaa), d6, strlen(d6), "60e431591ee0b67f0d8a26aa"
	    "cbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "hmac-sha256 RFC 4231 case 6: a key longer than a block");
	is_hmac(kaa, sizeof(kaa), d7, strlen(d7), "9b09ffa71b942fcb27635fbc"
	    "d5b0e944bfdc63644f0713938a7f51535c3a35e2",
	    "hmac-sha256 RFC 4231 case 7: key and data longer than a block");
}

static void
test_pbkdf2(void)
{
	is_pbkdf2("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605"
	    "f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef31"
	    "7c71b845b1e30bd509112041d3a19783",
	    "pbkdf2-sha256 RFC 7914 c=1, two blocks");
	is_pbkdf2("Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9"
	    "641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b317"
	    "6a272bdebba1d078478f62b397f33c8d",
	    "pbkdf2-sha256 RFC 7914 c=80000");
}

int
main(void)
{
	test_sha1();
	test_sha256();
	test_hmac();
	test_pbkdf2();
	return tap_done();
}
