/*
 * Fuzz target: a real server's HTTP reply as checker/http_reply.c reads
 * it (check_http_plain.c), in the pieces it came in.
 *
 * Input: one byte, whose low bit says the request was HEAD and whose
 * other bits the size of the pieces (1 to 128 bytes); then the reply.
 * At the end of the input the real closes.  Whatever it holds, the
 * parser stays within its line buffer, hands the sink no more than came
 * and ends with one of its three answers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz_sink {
	size_t	 got;
	size_t	 cap;
};

static int
fuzz_body(void *arg, const char *p, size_t len)
{
	struct fuzz_sink	*s = arg;
	volatile char		 c;

	if (len > 0)
		c = p[len - 1];		/* ASan: the bytes are there */
	(void)c;
	if (s->got + len > s->cap)
		return -1;
	s->got += len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_reply	 hr;
	struct fuzz_sink		 s = { 0, (size_t)64 * 1024 };
	const struct http_reply_sink	 sink = { fuzz_body, &s };
	char				 why[CHECK_REASON_LEN];
	size_t				 step, k, off = 0;
	int				 r = HR_MORE;

	if (size < 1)
		return 0;
	http_reply_init(&hr, data[0] & 1);
	step = (size_t)(data[0] >> 1) + 1;
	data++;
	size--;
	while (r == HR_MORE && off < size) {
		k = size - off < step ? size - off : step;
		r = http_reply_feed(&hr, (const char *)data + off, k, &sink, why,
		    sizeof(why));
		if (hr.hr_linelen >= HTTP_REPLY_LINE_MAX || s.got > off + k ||
		    strlen(why) >= sizeof(why))
			abort();
		off += k;
	}
	if (r == HR_MORE)
		r = http_reply_eof(&hr, why, sizeof(why));
	if (r != HR_END && r != HR_BAD)
		abort();
	if (r == HR_END && hr.hr_state != HR_DONE)
		abort();
	return 0;
}
