/*
 * The three directives that name servers: virtual= (the address that
 * opens a block), real= and fallback=.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* Everything on a real= line after the address. */
struct conf_ropts {
	uint8_t		 ro_fwd;
	uint32_t	 ro_weight;
	uint32_t	 ro_lthresh;
	uint32_t	 ro_uthresh;
	char		*ro_request;
	char		*ro_receive;
};

/*
 * virtual=ADDRESS:PORT or virtual=MARK.  An address without a port is an
 * error, where ldirectord would take its first number as a firewall mark.
 */
void
conf_virtual_addr(struct conf_ctx *x, struct conf_pvirt *pv,
    struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = pv->p_v;
	struct conf_tok		*t;
	unsigned long long	 mark;
	int			 af = pv->p_v6 ? AF_INET6 : AF_INET;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	pv->p_col = t->t_col;
	if (conf_is_digits(t->t_text)) {
		if (conf_uint(x, t->t_text, t->t_col, "a firewall mark", 1,
		    UINT32_MAX, &mark) == -1)
			return;
		v->v_fwmark = mark;
		v->v_proto = PROTO_FWM;
		v->v_addr.a_af = af;
		pv->p_ok = 1;
		return;
	}
	if (t->t_text[0] != '[' && strchr(t->t_text, ':') == NULL) {
		conf_error(x, t->t_col, "missing port in '%s' (write %s:PORT; "
		    "a firewall mark is a plain number)",
		    conf_quote(x, t->t_text), conf_quote(x, t->t_text));
		return;
	}
	if (conf_hostport(x, t, af, &v->v_addr, &v->v_port) == -1)
		return;
	if (v->v_port == 0) {
		conf_error(x, t->t_col, "missing port in '%s' (write %s:PORT)",
		    conf_quote(x, t->t_text), conf_quote(x, t->t_text));
		return;
	}
	pv->p_ok = 1;
}

/*
 * ldirectord counts from A to B comparing the addresses' integer forms
 * as text, so a range across a power of ten (..201.254->..202.1) gives
 * fewer, even no, real servers.  The count it would have got, if other.
 */
static void
conf_range_warn(struct conf_ctx *x, const struct conf_tok *t, uint32_t lo,
    uint32_t hi)
{
	char		 a[16], b[16];
	uint64_t	 i, n = 0;

	if (lo > hi)
		return;
	snprintf(b, sizeof(b), "%u", hi);
	for (i = lo; i <= (uint64_t)hi + 1; i++, n++) {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)i);
		if (strcmp(a, b) > 0)
			break;
	}
	if (n != (uint64_t)hi - lo + 1)
		conf_warning(x, t->t_col, "ldirectord makes %s%llu real "
		    "servers of this range, comparing addresses as text; lvsd "
		    "makes all %llu", n > (uint64_t)hi - lo + 1 ? "more than " :
		    "", (unsigned long long)n,
		    (unsigned long long)hi - lo + 1);
}

/* A->B[:PORT]: IPv4 only, as in ldirectord, but compared as numbers. */
static int
conf_real_range(struct conf_ctx *x, const struct conf_tok *t,
    const char *arrow, struct addr *first, uint32_t *count, uint16_t *port)
{
	char		 a[256], b[256];
	const char	*s = t->t_text, *colon;
	struct addr	 last;
	uint32_t	 lo, hi;
	size_t		 alen = arrow - s, blen;

	if (s[0] == '[' || x->x_cur->p_v6) {
		conf_error(x, t->t_col, "IPv6 ranges are not supported yet");
		return -1;
	}
	colon = strchr(arrow + 2, ':');
	blen = colon != NULL ? (size_t)(colon - arrow - 2) : strlen(arrow + 2);
	if (memchr(s, ':', alen) != NULL) {
		conf_error(x, t->t_col, "the port of a range goes after its "
		    "last address, as in 10.0.0.1->10.0.0.9:80");
		return -1;
	}
	if (alen >= sizeof(a) || blen >= sizeof(b)) {
		conf_error(x, t->t_col, "invalid address range '%s'",
		    conf_quote(x, s));
		return -1;
	}
	memcpy(a, s, alen);
	a[alen] = '\0';
	memcpy(b, arrow + 2, blen);
	b[blen] = '\0';
	if (conf_host(x, a, t->t_col, AF_INET, first) == -1 ||
	    conf_host(x, b, t->t_col + alen + 2, AF_INET, &last) == -1)
		return -1;
	if (colon != NULL && conf_port(x, colon + 1,
	    t->t_col + (colon + 1 - s), port) == -1)
		return -1;
	lo = ntohl(first->a_u.v4.s_addr);
	hi = ntohl(last.a_u.v4.s_addr);
	if (lo > hi) {
		conf_error(x, t->t_col, "range '%s' runs backwards",
		    conf_quote(x, s));
		return -1;
	}
	if (hi - lo >= CONF_MAXRANGE) {
		conf_error(x, t->t_col, "range '%s' has %llu addresses; at "
		    "most %d are allowed", conf_quote(x, s),
		    (unsigned long long)hi - lo + 1, CONF_MAXRANGE);
		return -1;
	}
	conf_range_warn(x, t, lo, hi);
	*count = hi - lo + 1;
	return 0;
}

static int
conf_is_threshold(const char *s)
{
	if (*s == '<')
		s++;
	if ((*s != 'l' && *s != 'u') || s[1] != ':')
		return 0;
	for (s += 2; *s >= '0' && *s <= '9'; s++)
		;
	return *s == '\0' || (*s == '>' && s[1] == '\0');
}

static void
conf_real_syntax(struct conf_ctx *x, const struct conf_tok *t)
{
	conf_error(x, t->t_col, "unexpected '%s'; %s takes ADDRESS[:PORT] "
	    "gate|masq|ipip [WEIGHT] [\"REQUEST\",\"RECEIVE\"] [l:N] [u:N]",
	    conf_quote(x, t->t_text), x->x_dname);
}

/* "REQUEST","RECEIVE" (or with a blank between) at tok[*i]. */
static int
conf_real_strings(struct conf_ctx *x, struct conf_tok *tok, int n, int *i,
    struct conf_ropts *ro)
{
	struct conf_tok	*req = &tok[(*i)++];

	if (conf_is_threshold(req->t_text)) {
		conf_error(x, req->t_col, "write thresholds without quotes or "
		    "brackets, as in l:10 u:100 (got '\"%s\"')",
		    conf_quote(x, req->t_text));
		return -1;
	}
	if (*i < n && !tok[*i].t_quoted && strcmp(tok[*i].t_text, ",") == 0)
		(*i)++;
	if (*i >= n || !tok[*i].t_quoted) {
		conf_error(x, req->t_col, "a request of one real server needs "
		    "a receive string after it, as in \"/check\",\"OK\"");
		return -1;
	}
	if (conf_request(x, req, &ro->ro_request) == -1 ||
	    conf_receive(x, &tok[(*i)++], &ro->ro_receive) == -1)
		return -1;
	if (req->t_text[0] == '/')
		conf_warning(x, req->t_col, "ldirectord ignores the receive "
		    "string and the thresholds after a request that starts "
		    "with '/'; lvsd uses them");
	return 0;
}

static int
conf_real_threshold(struct conf_ctx *x, const struct conf_tok *t,
    struct conf_ropts *ro)
{
	unsigned long long	 v;
	uint32_t		*dst;
	int			 lower = t->t_text[0] == 'l';

	dst = lower ? &ro->ro_lthresh : &ro->ro_uthresh;
	if (*dst != 0) {
		conf_error(x, t->t_col, "%s given twice", lower ? "l:" : "u:");
		return -1;
	}
	if (conf_uint(x, t->t_text + 2, t->t_col + 2, lower ?
	    "a lower threshold" : "an upper threshold", 1, INT32_MAX, &v) == -1)
		return -1;
	*dst = v;
	return 0;
}

/*
 * gate|masq|ipip [WEIGHT] ["REQUEST","RECEIVE"] [l:N] [u:N], with l: and
 * u: in either order, each at most once.
 */
static int
conf_real_opts(struct conf_ctx *x, struct conf_tok *tok, int n,
    struct conf_ropts *ro)
{
	unsigned long long	 w;
	int			 i = 2;

	if (n < 2) {
		conf_error(x, tok[0].t_col + strlen(tok[0].t_text), "missing "
		    "forwarding method after '%s' (expected gate, masq or "
		    "ipip)", conf_quote(x, tok[0].t_text));
		return -1;
	}
	if (conf_fwd(x, &tok[1], &ro->ro_fwd) == -1)
		return -1;
	if (i < n && !tok[i].t_quoted && !conf_is_threshold(tok[i].t_text)) {
		if (conf_uint(x, tok[i].t_text, tok[i].t_col, "weight", 0,
		    CONF_MAXWEIGHT, &w) == -1)
			return -1;
		ro->ro_weight = w;
		i++;
	}
	if (i < n && tok[i].t_quoted &&
	    conf_real_strings(x, tok, n, &i, ro) == -1)
		return -1;
	for (; i < n; i++) {
		if (tok[i].t_quoted || !conf_is_threshold(tok[i].t_text) ||
		    tok[i].t_text[0] == '<') {
			conf_real_syntax(x, &tok[i]);
			return -1;
		}
		if (tok[i].t_text[0] == 'l' && ro->ro_uthresh != 0)
			conf_warning(x, tok[i].t_col, "ldirectord ignores u: "
			    "before l:; lvsd uses both");
		if (conf_real_threshold(x, &tok[i], ro) == -1)
			return -1;
	}
	if (ro->ro_lthresh != 0 && ro->ro_uthresh != 0 &&
	    ro->ro_lthresh > ro->ro_uthresh) {
		conf_error(x, tok[0].t_col, "the lower threshold l:%u is above "
		    "the upper threshold u:%u", ro->ro_lthresh,
		    ro->ro_uthresh);
		return -1;
	}
	return 0;
}

static void
conf_real_add(struct conf_ctx *x, const struct addr *first, uint32_t count,
    uint16_t port, const struct conf_ropts *ro)
{
	struct conf_virtual	*v = x->x_cur->p_v;
	struct conf_real	*r;
	uint32_t		 i, a;

	for (i = 0; i < count; i++) {
		if ((r = conf_real_new(x)) == NULL)
			return;
		r->r_line = x->x_line;
		r->r_addr = *first;
		if (i > 0) {
			a = ntohl(first->a_u.v4.s_addr) + i;
			r->r_addr.a_u.v4.s_addr = htonl(a);
		}
		r->r_port = port;
		r->r_fwd = ro->ro_fwd;
		r->r_weight = ro->ro_weight;
		r->r_lthresh = ro->ro_lthresh;
		r->r_uthresh = ro->ro_uthresh;
		if (ro->ro_request != NULL) {
			r->r_request = conf_strdup(x, ro->ro_request);
			r->r_receive = conf_strdup(x, ro->ro_receive);
		}
		TAILQ_INSERT_TAIL(&v->v_reals, r, r_entry);
		v->v_nreals++;
	}
}

/* The kernel forwards to the virtual's port unless it translates. */
static void
conf_real_portwarn(struct conf_ctx *x, const struct conf_tok *t,
    uint16_t port, const struct conf_ropts *ro)
{
	struct conf_virtual	*v = x->x_cur->p_v;

	if (x->x_cur->p_ok && v->v_proto != PROTO_FWM &&
	    ro->ro_fwd != FWD_MASQ && port != v->v_port)
		conf_warning(x, t->t_col, "with %s forwarding the real server "
		    "gets the traffic on the virtual port %u, not on %u; "
		    "only masq maps ports", conf_fwd_name(ro->ro_fwd),
		    v->v_port, port);
}

void
conf_dir_real(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_ropts	 ro;
	struct addr		 first;
	const char		*arrow;
	uint32_t		 count = 1;
	uint16_t		 port = x->x_cur->p_v->v_port;
	int			 is6 = strcmp(x->x_dname, "real6") == 0, rc;

	if (is6 != x->x_cur->p_v6) {
		conf_error(x, 1, is6 ? "real6 belongs in a virtual6 block; "
		    "use real=" : "a virtual6 block takes real6=, not real=");
		return;
	}
	if (n == 0) {
		conf_error(x, x->x_vcol, "missing value for '%s'", x->x_dname);
		return;
	}
	memset(&ro, 0, sizeof(ro));
	ro.ro_weight = 1;
	if ((arrow = strstr(tok[0].t_text, "->")) != NULL)
		rc = conf_real_range(x, &tok[0], arrow, &first, &count, &port);
	else
		rc = conf_hostport(x, &tok[0], is6 ? AF_INET6 : AF_INET,
		    &first, &port);
	if (conf_real_opts(x, tok, n, &ro) == 0 && rc == 0) {
		conf_real_portwarn(x, &tok[0], port, &ro);
		conf_real_add(x, &first, count, port, &ro);
	}
	free(ro.ro_request);
	free(ro.ro_receive);
}

/* fallback=ADDRESS[:PORT] [gate|masq|ipip], global or per virtual. */
void
conf_dir_fallback(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_fallback	 fb;
	int			 is6 = strcmp(x->x_dname, "fallback6") == 0;

	if (x->x_cur != NULL && is6 != x->x_cur->p_v6) {
		conf_error(x, 1, is6 ? "fallback6 belongs in a virtual6 "
		    "block; use fallback=" : "a virtual6 block takes "
		    "fallback6=, not fallback=");
		return;
	}
	if (n == 0) {
		conf_error(x, x->x_vcol, "missing value for '%s'", x->x_dname);
		return;
	}
	if (n > 2) {
		conf_error(x, tok[2].t_col, "unexpected '%s'; %s takes "
		    "ADDRESS[:PORT] [gate|masq|ipip]",
		    conf_quote(x, tok[2].t_text), x->x_dname);
		return;
	}
	memset(&fb, 0, sizeof(fb));
	fb.fb_fwd = FWD_GATE;
	if (strstr(tok[0].t_text, "->") != NULL) {
		conf_error(x, tok[0].t_col, "a fallback cannot be a range");
		return;
	}
	if (conf_hostport(x, &tok[0], is6 ? AF_INET6 : AF_INET, &fb.fb_addr,
	    &fb.fb_port) == -1 || (n == 2 && conf_fwd(x, &tok[1],
	    &fb.fb_fwd) == -1))
		return;
	fb.fb_set = 1;
	if (x->x_cur != NULL)
		x->x_cur->p_v->v_fallback = fb;
	else if (is6)
		x->x_conf->c_fallback6 = fb;
	else
		x->x_conf->c_fallback = fb;
}
