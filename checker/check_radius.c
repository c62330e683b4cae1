/*
 * service radius: an Access-Request for login and passwd, signed with
 * the shared secret (radius_wire.c), over UDP whatever the virtual
 * service's protocol, as ldirectord's Authen::Radius does; up iff an
 * authentic Access-Accept comes back.
 */
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/* The largest RADIUS packet (RFC 2865 3). */
#define RADIUS_REPLY_MAX	4096

/* The request's identifier; the authenticator is all of ck_nonce. */
static uint8_t
radius_id(const struct check *ck)
{
	return ck->ck_nonce[0];
}

static int
radius_request(struct check *ck, char *why, size_t len)
{
	struct radius_cred	 rc;
	struct addr		 local;
	uint16_t		 port;
	size_t			 naslen = 0;

	memset(&local, 0, sizeof(local));
	if (exchange_local(ck, &local, &port) == 0)
		naslen = local.a_af == AF_INET ? 4 : 16;
	rc.rc_login = ck->ck_msg->ck_login;
	rc.rc_passwd = ck->ck_msg->ck_passwd;
	rc.rc_secret = ck->ck_msg->ck_secret;
	if ((ck->ck_out = malloc(RADIUS_REQUEST_MAX)) == NULL)
		fatal("%s", __func__);
	ck->ck_outlen = radius_request_build((uint8_t *)ck->ck_out,
	    RADIUS_REQUEST_MAX, radius_id(ck), ck->ck_nonce, &rc,
	    local.a_u.raw, naslen);
	if (ck->ck_outlen == 0) {
		strlcpy(why, "radius: the request does not fit", len);
		return -1;
	}
	return 0;
}

static int
radius_reply(struct check *ck, const uint8_t *m, size_t n, size_t *used,
    char *why, size_t len)
{
	*used = n;
	return radius_reply_check(m, n, radius_id(ck), ck->ck_nonce,
	    ck->ck_msg->ck_secret, why, len);
}

const struct exchange_service exchange_radius = {
	.xs_name = "radius",
	.xs_reply_max = RADIUS_REPLY_MAX,
	.xs_udp_only = 1,
	.xs_request = radius_request,
	.xs_reply = radius_reply,
};
