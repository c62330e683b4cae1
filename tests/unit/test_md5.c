/*
 * checker/md5.c against the test suite of RFC 1321 (appendix A.5) and
 * the HMAC-MD5 test cases of RFC 2104 and RFC 2202.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "md5.h"

static const char *
hex(const uint8_t d[MD5_DIGEST_LEN])
{
	static char	 s[2 * MD5_DIGEST_LEN + 1];
	size_t		 i;

	for (i = 0; i < MD5_DIGEST_LEN; i++)
		snprintf(s + 2 * i, 3, "%02x", d[i]);
	return s;
}

static const struct {
	const char	*in, *want;
} rfc1321[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890123456789012345678901234"
	  "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
};

/* The same 80 bytes fed in pieces that straddle the block boundary. */
static void
test_pieces(void)
{
	const char	*s = rfc1321[6].in;
	struct md5_ctx	 ctx;
	uint8_t		 d[MD5_DIGEST_LEN];

	md5_init(&ctx);
	md5_update(&ctx, s, 1);
	md5_update(&ctx, s + 1, 62);
	md5_update(&ctx, s + 63, 2);
	md5_update(&ctx, s + 65, 0);
	md5_update(&ctx, s + 65, 15);
	md5_final(&ctx, d);
	is_str(hex(d), rfc1321[6].want, "80 bytes in pieces of 1, 62, 2, 0, 15");
}

/* 55, 56 and 64 bytes: the lengths where the padding changes shape. */
static void
test_padding(void)
{
	static const struct {
		size_t		 n;
		const char	*want;
	} t[] = {
		{ 55, "ef1772b6dff9a122358552954ad0df65" },
		{ 56, "3b0c8ac703f828b04c6c197006d17218" },
		{ 64, "014842d480b571495a4a0363793f7367" },
	};
	char		 in[64], desc[64];
	uint8_t		 d[MD5_DIGEST_LEN];
	size_t		 i;

	memset(in, 'a', sizeof(in));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		md5(in, t[i].n, d);
		snprintf(desc, sizeof(desc), "%zu times 'a'", t[i].n);
		is_str(hex(d), t[i].want, desc);
	}
}

static void
test_hmac(void)
{
	uint8_t	 key[80], data[50], d[MD5_DIGEST_LEN];

	memset(key, 0x0b, 16);
	hmac_md5(key, 16, "Hi There", 8, d);
	is_str(hex(d), "9294727a3638bb1c13f48ef8158bfc9d",
	    "RFC 2104 test 1: key 0x0b x 16, \"Hi There\"");
	hmac_md5("Jefe", 4, "what do ya want for nothing?", 28, d);
	is_str(hex(d), "750c783e6ab0b503eaa86e310a5db738",
	    "RFC 2104 test 2: key \"Jefe\"");
	memset(key, 0xaa, 16);
	memset(data, 0xdd, sizeof(data));
	hmac_md5(key, 16, data, sizeof(data), d);
	is_str(hex(d), "56be34521d144c88dbb8c733f0e8b3f6",
	    "RFC 2104 test 3: key 0xaa x 16, 0xdd x 50");
	memset(key, 0xaa, 80);
	hmac_md5(key, 80, "Test Using Larger Than Block-Size Key - Hash Key "
	    "First", 54, d);
	is_str(hex(d), "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
	    "RFC 2202 test 6: an 80-byte key is hashed first");
}

int
main(void)
{
	uint8_t	 d[MD5_DIGEST_LEN];
	char	 desc[128];
	size_t	 i;

	for (i = 0; i < sizeof(rfc1321) / sizeof(rfc1321[0]); i++) {
		md5(rfc1321[i].in, strlen(rfc1321[i].in), d);
		snprintf(desc, sizeof(desc), "RFC 1321: MD5(\"%.20s%s\")",
		    rfc1321[i].in, strlen(rfc1321[i].in) > 20 ? "..." : "");
		is_str(hex(d), rfc1321[i].want, desc);
	}
	test_pieces();
	test_padding();
	test_hmac();
	return tap_done();
}
