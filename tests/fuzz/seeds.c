/*
 * Writes the seed corpus of the fuzz targets into tests/fuzz/corpus/:
 * a few valid inputs of each, from the real structures, so that the
 * fuzzers start past the first checks.  Run by "make fuzz-seeds"; the
 * output is checked in.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "msg.h"

static const char	*seed_dir = "tests/fuzz/corpus";

static void
seed_write(const char *name, const char *file, const void *p, size_t len)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", seed_dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", seed_dir, name, file);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, len, f) != len || fclose(f) != 0)
		err(1, "%s", path);
}

static void
seed_addr(struct addr *a, const char *s)
{
	if (addr_parse(s, AF_UNSPEC, a) == -1)
		errx(1, "bad address %s", s);
}

static struct msg_service
seed_service(uint32_t id, const char *vip, int quiescent)
{
	struct msg_service	 sv;

	memset(&sv, 0, sizeof(sv));
	sv.sv_id = id;
	sv.sv_proto = PROTO_TCP;
	sv.sv_quiescent = quiescent;
	sv.sv_port = 80;
	seed_addr(&sv.sv_addr, vip);
	strlcpy(sv.sv_sched, "wrr", sizeof(sv.sv_sched));
	sv.sv_has_fallback = 1;
	sv.sv_fb_fwd = FWD_MASQ;
	sv.sv_fb_port = 80;
	seed_addr(&sv.sv_fb_addr, "127.0.0.1");
	return sv;
}

static struct msg_dest
seed_dest(uint32_t id, uint32_t service, const char *rip, uint32_t weight)
{
	struct msg_dest	 ds;

	memset(&ds, 0, sizeof(ds));
	ds.ds_id = id;
	ds.ds_service = service;
	seed_addr(&ds.ds_addr, rip);
	ds.ds_port = 80;
	ds.ds_fwd = FWD_MASQ;
	ds.ds_weight = weight;
	return ds;
}

static struct msg_check
seed_check(uint32_t id, int type, int proto, const char *receive)
{
	struct msg_check	 ck;

	memset(&ck, 0, sizeof(ck));
	ck.ck_id = id;
	ck.ck_type = type;
	ck.ck_service = type == CHECK_NEGOTIATE ? SERVICE_HTTP : 0;
	ck.ck_proto = proto;
	ck.ck_method = type == CHECK_NEGOTIATE ? HTTP_GET : 0;
	seed_addr(&ck.ck_addr, id % 2 ? "::1" : "127.0.0.2");
	ck.ck_port = 80;
	ck.ck_interval_ms = 1000;
	ck.ck_connect_timeout_ms = 3000;
	ck.ck_negotiate_timeout_ms = 3000;
	ck.ck_failurecount = 3;
	if (type == CHECK_NEGOTIATE) {
		strlcpy(ck.ck_request, "/health", sizeof(ck.ck_request));
		strlcpy(ck.ck_receive, receive, sizeof(ck.ck_receive));
		strlcpy(ck.ck_vhost, "www.example.org", sizeof(ck.ck_vhost));
	}
	return ck;
}

/* msg_fuzz: the channel byte, then a record as msg_send_raw builds it. */
static void
seed_record(const char *file, unsigned char chan, enum msg_type type,
    const void *p, size_t len)
{
	unsigned char	 buf[1 + MSG_MAX];
	struct msg_hdr	 h;

	memset(&h, 0, sizeof(h));
	h.mh_type = type;
	h.mh_len = len;
	h.mh_gen = 1;
	buf[0] = chan;
	memcpy(buf + 1, &h, sizeof(h));
	if (len > 0)
		memcpy(buf + 1 + sizeof(h), p, len);
	seed_write("msg", file, buf, 1 + sizeof(h) + len);
}

/* msg_fuzz: three STATEs packed in one datagram, as ipvsd gets them. */
static void
seed_packed(void)
{
	unsigned char		 buf[1 + 3 * (sizeof(struct msg_hdr) +
	    sizeof(struct msg_state))];
	struct msg_state	 st = { 0, STATE_UP, { 0, 0, 0 } };
	struct msg_hdr		 h;
	size_t			 off = 1;

	memset(&h, 0, sizeof(h));
	h.mh_type = MSG_STATE;
	h.mh_len = sizeof(st);
	h.mh_gen = 1;
	buf[0] = 5;
	for (st.st_id = 0; st.st_id < 3; st.st_id++) {
		memcpy(buf + off, &h, sizeof(h));
		memcpy(buf + off + sizeof(h), &st, sizeof(st));
		off += sizeof(h) + sizeof(st);
	}
	seed_write("msg", "packed", buf, off);
}

static void
seeds_msg(void)
{
	struct msg_conf_begin	 cb = { 2, 3 };
	struct msg_service	 sv = seed_service(0, "127.0.0.100", 1);
	struct msg_dest		 ds = seed_dest(0, 0, "127.0.0.2", 3);
	struct msg_check	 ck = seed_check(0, CHECK_NEGOTIATE, PROTO_TCP,
	    "OK");
	struct msg_state	 st = { 1, STATE_UP, { 0, 0, 0 } };
	struct msg_ping		 pg = { 7 };
	struct msg_shutdown	 sd = { 1, { 0, 0, 0 } };
	struct msg_log		 lg;
	struct msg_applied	 ap = { 2, 3, 5, 0 };
	struct msg_result	 rs;
	struct msg_check_like	 cl;

	memset(&cl, 0, sizeof(cl));
	cl.cl_id = 1;
	cl.cl_addr = ck.ck_addr;
	cl.cl_port = 8080;
	memset(&lg, 0, sizeof(lg));
	lg.lg_priority = 6;
	strlcpy(lg.lg_text, "checker: real 127.0.0.2:80 up", sizeof(lg.lg_text));
	memset(&rs, 0, sizeof(rs));
	rs.rs_up = rs.rs_state = STATE_UP;
	strlcpy(rs.rs_reason, "http: status 200", sizeof(rs.rs_reason));
	seed_record("conf_begin", 0, MSG_CONF_BEGIN, &cb, sizeof(cb));
	seed_record("service", 0, MSG_SERVICE, &sv, sizeof(sv));
	seed_record("dest", 0, MSG_DEST, &ds, sizeof(ds));
	seed_record("conf_end", 0, MSG_CONF_END, NULL, 0);
	seed_record("peer", 0x80, MSG_PEER, NULL, 0);
	seed_record("shutdown", 0, MSG_SHUTDOWN, &sd, sizeof(sd));
	seed_record("ping", 1, MSG_PING, &pg, sizeof(pg));
	seed_record("check", 1, MSG_CHECK, &ck, sizeof(ck));
	seed_record("check_like", 1, MSG_CHECK_LIKE, &cl, sizeof(cl));
	seed_record("state", 2, MSG_STATE, &st, sizeof(st));
	seed_record("snapshot", 3, MSG_SNAPSHOT_REQUEST, NULL, 0);
	seed_record("log", 4, MSG_LOG, &lg, sizeof(lg));
	seed_record("applied", 4, MSG_APPLIED, &ap, sizeof(ap));
	seed_record("result", 5, MSG_RESULT, &rs, sizeof(rs));
	seed_record("ready", 5, MSG_READY, NULL, 0);
	seed_packed();
}

static void
seeds_check(void)
{
	struct msg_check	 ck;

	ck = seed_check(0, CHECK_NEGOTIATE, PROTO_TCP, "^OK");
	seed_write("check", "http", &ck, sizeof(ck));
	ck = seed_check(1, CHECK_NEGOTIATE, PROTO_TCP, "");
	seed_write("check", "http6", &ck, sizeof(ck));
	ck = seed_check(2, CHECK_CONNECT, PROTO_TCP, "");
	seed_write("check", "tcp", &ck, sizeof(ck));
	ck = seed_check(3, CHECK_CONNECT, PROTO_UDP, "");
	seed_write("check", "udp", &ck, sizeof(ck));
	ck = seed_check(4, CHECK_ON, PROTO_TCP, "");
	seed_write("check", "on", &ck, sizeof(ck));
	ck = seed_check(5, CHECK_PING, PROTO_TCP, "");
	ck.ck_port = 0;
	ck.ck_checkcount = 2;
	seed_write("check", "ping", &ck, sizeof(ck));
	ck = seed_check(6, CHECK_NEGOTIATE, PROTO_TCP, "^OK");
	ck.ck_type = CHECK_COMBINED;
	ck.ck_combined = 3;
	ck.ck_rise = 2;
	seed_write("check", "combined", &ck, sizeof(ck));
}

static void
seeds_http(void)
{
	static const unsigned char	 ok[] = "\x00\x02\x00OK";
	static const unsigned char	 two[] =
	    "\x03\x05\x00<titl\x0b\x00e>up</title";
	unsigned char			 big[3 + 65000];

	seed_write("http", "ok", ok, sizeof(ok) - 1);
	seed_write("http", "chunks", two, sizeof(two) - 1);
	/* a body near the cap */
	big[0] = 4;
	big[1] = 65000 & 0xff;
	big[2] = 65000 >> 8;
	memset(big + 3, 'a', sizeof(big) - 3);
	seed_write("http", "big", big, sizeof(big));
}

static void
seeds_table(void)
{
	unsigned char		 buf[1024], *p = buf;
	struct msg_conf_begin	 cb = { 2, 3 };
	struct msg_service	 sv[2];
	struct msg_dest		 ds[3];
	struct msg_state	 st;
	int			 i;

	sv[0] = seed_service(0, "127.0.0.100", 1);
	sv[1] = seed_service(1, "::1", 0);
	ds[0] = seed_dest(0, 0, "127.0.0.2", 3);
	ds[1] = seed_dest(1, 0, "127.0.0.3", 1);
	ds[2] = seed_dest(2, 1, "::2", 2);
	ds[1].ds_fixed = FIXED_UP;	/* checktype on */
	memcpy(p, &cb, sizeof(cb));
	p += sizeof(cb);
	for (i = 0; i < 2; i++) {
		*p++ = 0;
		memcpy(p, &sv[i], sizeof(sv[i]));
		p += sizeof(sv[i]);
	}
	for (i = 0; i < 3; i++) {
		*p++ = 1;
		memcpy(p, &ds[i], sizeof(ds[i]));
		p += sizeof(ds[i]);
	}
	/* one state before the end, then the end, then more */
	memset(&st, 0, sizeof(st));
	st.st_up = STATE_UP;
	*p++ = 3;
	memcpy(p, &st, sizeof(st));
	p += sizeof(st);
	*p++ = 2;
	for (i = 0; i < 3; i++) {
		st.st_id = i;
		st.st_up = i % 2;
		*p++ = 3;
		memcpy(p, &st, sizeof(st));
		p += sizeof(st);
	}
	seed_write("table", "config", buf, (size_t)(p - buf));
}

int
main(void)
{
	mkdir(seed_dir, 0755);
	seeds_msg();
	seeds_check();
	seeds_http();
	seeds_table();
	return 0;
}
