/*
 * The hashes the SQL checks need, written here so the checker links no
 * crypto library: SHA-1 for MySQL's mysql_native_password, SHA-256 with
 * HMAC and PBKDF2 for PostgreSQL's SCRAM-SHA-256 (RFC 5802, RFC 7677).
 * None of them keeps a secret from the real server; they prove to it
 * that the checker knows the password.
 */
#ifndef LVSD_SHA_H
#define LVSD_SHA_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN	20
#define SHA1_BLOCK	64
#define SHA256_LEN	32
#define SHA256_BLOCK	64

struct sha1_ctx {
	uint32_t	 s1_h[5];
	uint64_t	 s1_bytes;
	uint8_t		 s1_buf[SHA1_BLOCK];
	size_t		 s1_buflen;
};

struct sha256_ctx {
	uint32_t	 s2_h[8];
	uint64_t	 s2_bytes;
	uint8_t		 s2_buf[SHA256_BLOCK];
	size_t		 s2_buflen;
};

struct hmac_sha256_ctx {
	struct sha256_ctx	 hm_inner;
	struct sha256_ctx	 hm_outer;
};

/* sha1.c */
void	 sha1_init(struct sha1_ctx *);
void	 sha1_update(struct sha1_ctx *, const void *, size_t);
void	 sha1_final(struct sha1_ctx *, uint8_t [SHA1_LEN]);
void	 sha1(const void *, size_t, uint8_t [SHA1_LEN]);

/* sha256.c */
void	 sha256_init(struct sha256_ctx *);
void	 sha256_update(struct sha256_ctx *, const void *, size_t);
void	 sha256_final(struct sha256_ctx *, uint8_t [SHA256_LEN]);
void	 sha256(const void *, size_t, uint8_t [SHA256_LEN]);
void	 hmac_sha256_init(struct hmac_sha256_ctx *, const void *, size_t);
void	 hmac_sha256_update(struct hmac_sha256_ctx *, const void *, size_t);
void	 hmac_sha256_final(struct hmac_sha256_ctx *, uint8_t [SHA256_LEN]);
void	 hmac_sha256(const void *, size_t, const void *, size_t,
	    uint8_t [SHA256_LEN]);
void	 pbkdf2_sha256(const void *, size_t, const void *, size_t, uint32_t,
	    uint8_t *, size_t);

#endif /* LVSD_SHA_H */
