/*
 * MD5 (RFC 1321) and HMAC-MD5 (RFC 2104), for service radius only: RADIUS
 * hides the password and signs its packets with them (RFC 2865, RFC 3579).
 * Neither is a sound hash for anything new; RADIUS leaves no choice.
 */
#ifndef LVSD_MD5_H
#define LVSD_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN	16
#define MD5_BLOCK_LEN	64

struct md5_ctx {
	uint32_t	 md_state[4];
	uint64_t	 md_bytes;		/* hashed so far */
	uint8_t		 md_buf[MD5_BLOCK_LEN];	/* a partial block */
};

void	 md5_init(struct md5_ctx *);
void	 md5_update(struct md5_ctx *, const void *, size_t);
void	 md5_final(struct md5_ctx *, uint8_t [MD5_DIGEST_LEN]);
void	 md5(const void *, size_t, uint8_t [MD5_DIGEST_LEN]);
void	 hmac_md5(const void *, size_t, const void *, size_t,
	    uint8_t [MD5_DIGEST_LEN]);

#endif /* LVSD_MD5_H */
