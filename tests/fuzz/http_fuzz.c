/*
 * Fuzz target: what the checker does with the bytes of a real server's
 * reply body (checker/check_http.c): keep them up to the cap, in the
 * chunks libcurl hands over, and match receive against them.  libcurl
 * parses the HTTP framing; this is the part that is lvsd's own.
 *
 * Input: one byte picks a receive expression from a fixed set (the
 * expression comes from root's config, not from the real), then chunks,
 * each a 2-byte little-endian length and that many bytes.
 */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_receive[] = {
	"OK", "^OK$", "healthy|ready", "<title>[^<]*</title>", "a.*b.*c",
	"[0-9]+ (up|down)", "",
};
#define FUZZ_NRECEIVE	(sizeof(fuzz_receive) / sizeof(fuzz_receive[0]))

/* Largest body the checker may hold: its cap, whatever the input. */
#define FUZZ_BODY_LIMIT	((size_t)64 * 1024)

static struct check *
fuzz_check(const char *receive)
{
	struct msg_check	 msg;
	struct check		*ck;
	char			 why[256];

	memset(&msg, 0, sizeof(msg));
	msg.ck_type = CHECK_NEGOTIATE;
	msg.ck_service = SERVICE_HTTP;
	msg.ck_proto = PROTO_TCP;
	msg.ck_method = HTTP_GET;
	msg.ck_addr.a_af = AF_INET;
	msg.ck_port = 80;
	msg.ck_interval_ms = 1000;
	msg.ck_connect_timeout_ms = 1000;
	msg.ck_negotiate_timeout_ms = 1000;
	msg.ck_failurecount = 1;
	strlcpy(msg.ck_request, "/", sizeof(msg.ck_request));
	strlcpy(msg.ck_receive, receive, sizeof(msg.ck_receive));
	if ((ck = check_new(&msg, why, sizeof(why))) == NULL)
		abort();
	return ck;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check	*ck;
	size_t		 len, took;

	if (size < 1)
		return 0;
	ck = fuzz_check(fuzz_receive[data[0] % FUZZ_NRECEIVE]);
	data++;
	size--;
	while (size >= 2) {
		len = data[0] | (size_t)data[1] << 8;
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		took = check_http_body(ck, (const char *)data, len);
		if (took != len && (took != 0 || !ck->ck_overflow))
			abort();
		if (ck->ck_bodylen > FUZZ_BODY_LIMIT)
			abort();
		if (took == 0 && len != 0)
			break;	/* curl would end the transfer here */
		data += len;
		size -= len;
	}
	(void)check_http_match(ck);
	check_http_stop(ck);
	check_free(ck);
	return 0;
}

/* check_http.c's links to the scheduler and the curl loop: not reached */
void
sched_done(struct check *ck, int up, const char *why)
{
	abort();
}

int
http_loop_add(struct check *ck)
{
	abort();
}

void
http_loop_remove(struct check *ck)
{
	abort();
}

void *
http_loop_easy(void)
{
	abort();
}

void
http_loop_easy_free(void *easy)
{
	abort();
}

int
http_loop_errbuf(struct check *ck)
{
	abort();
}

void
http_loop_errbuf_free(struct check *ck)
{
	free(ck->ck_curlerr);
	ck->ck_curlerr = NULL;
}

const char *
http_loop_error(struct check *ck, int res)
{
	abort();
}
