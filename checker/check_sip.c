/*
 * service sip: an OPTIONS request (sip_wire.c) over the virtual
 * service's protocol, UDP or TCP; up iff a 200 answers it, provisional
 * responses skipped.  Without a login the Request-URI is the real's
 * address and port.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/* A response larger than this is no answer to OPTIONS we want to read. */
#define SIP_REPLY_MAX		16384

/* The request's own words, all drawn from ck_nonce. */
struct sip_ids {
	char		 si_callid[17];
	char		 si_branch[13];
	char		 si_tag[9];
	uint32_t	 si_cseq;
};

static void
sip_hex(char *out, const uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void
sip_ids(const struct check *ck, struct sip_ids *si)
{
	const uint8_t	*r = ck->ck_nonce;

	sip_hex(si->si_callid, r, 8);
	sip_hex(si->si_branch, r + 8, 6);
	sip_hex(si->si_tag, r + 12, 4);
	/* RFC 3261 8.1.1.5: below 2**31 */
	si->si_cseq = ((uint32_t)r[14] << 8 | r[15]) + 1;
}

static int
sip_request(struct check *ck, char *why, size_t len)
{
	struct sip_request	 sr;
	struct sip_ids		 si;
	struct addr		 a;
	uint16_t		 port;
	char			 uri[MSG_CRED_LEN + 8], local[ADDR_STRLEN];

	if (exchange_local(ck, &a, &port) == -1) {
		snprintf(why, len, "sip: getsockname: %s", strerror(errno));
		return -1;
	}
	addr_port_ntop(&a, port, local, sizeof(local));
	snprintf(uri, sizeof(uri), "sip:%s", ck->ck_msg->ck_login[0] != '\0' ?
	    ck->ck_msg->ck_login : ck->ck_name);
	sip_ids(ck, &si);
	sr.sr_uri = uri;
	sr.sr_transport = ck->ck_msg->ck_proto == PROTO_UDP ? "UDP" : "TCP";
	sr.sr_local = local;
	sr.sr_branch = si.si_branch;
	sr.sr_tag = si.si_tag;
	sr.sr_callid = si.si_callid;
	sr.sr_cseq = si.si_cseq;
	if ((ck->ck_out = malloc(SIP_REQUEST_MAX)) == NULL)
		fatal("%s", __func__);
	if ((ck->ck_outlen = sip_options_build(ck->ck_out, SIP_REQUEST_MAX,
	    &sr)) == 0) {
		strlcpy(why, "sip: the request does not fit", len);
		return -1;
	}
	return 0;
}

static int
sip_reply(struct check *ck, const uint8_t *m, size_t n, size_t *used,
    char *why, size_t len)
{
	struct sip_ids	 si;

	sip_ids(ck, &si);
	return sip_reply_check((const char *)m, n, si.si_callid, si.si_cseq,
	    used, why, len);
}

const struct exchange_service exchange_sip = {
	.xs_name = "sip",
	.xs_reply_max = SIP_REPLY_MAX,
	.xs_udp_only = 0,
	.xs_request = sip_request,
	.xs_reply = sip_reply,
};
