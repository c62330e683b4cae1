/*
 * The directives of a virtual block that shape its IPVS service rather
 * than its check: protocol, scheduler and its flags, persistence, ops.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static const char *const conf_protos[] = { "tcp", "udp", "fwm" };

/* The schedulers Linux ships; others are warned about, not refused. */
static const char *const conf_scheds[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
	"fo", "ovf", "mh", "twos"
};

/*
 * ipvsadm -b: the flags the kernel knows (IP_VS_SVC_F_SCHED*), the bit
 * each is and the scheduler it is for, "" for any: the same three bits
 * mean something else to sh and to mh.
 */
static const char *const conf_schedflags[] = {
	"flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port",
	"mh-fallback", "mh-port"
};
static const uint32_t conf_schedflag_bits[] = {
	MSG_SVC_SCHED1, MSG_SVC_SCHED2, MSG_SVC_SCHED3, MSG_SVC_SCHED1,
	MSG_SVC_SCHED2, MSG_SVC_SCHED1, MSG_SVC_SCHED2
};
static const char *const conf_schedflag_scheds[] = {
	"", "", "", "sh", "sh", "mh", "mh"
};

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

const char *
conf_proto_name(unsigned int p)
{
	return p >= 1 && p <= nitems(conf_protos) ? conf_protos[p - 1] : "?";
}

void
dir_protocol(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_virtual	*v = x->x_cur->p_v;
	struct conf_tok		*t;
	int			 k;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    (k = conf_keyword(x, t, "protocol", conf_protos,
	    nitems(conf_protos))) == -1 || !x->x_cur->p_ok)
		return;
	if (v->v_proto == PROTO_FWM && PROTO_TCP + k != PROTO_FWM)
		conf_error(x, t->t_col, "a firewall-mark virtual service has "
		    "protocol fwm, not '%s'", t->t_text);
	else if (v->v_proto != PROTO_FWM && PROTO_TCP + k == PROTO_FWM)
		conf_error(x, t->t_col, "protocol fwm is only for "
		    "firewall-mark virtual services (virtual=NUMBER)");
	else
		v->v_proto = PROTO_TCP + k;
}

void
dir_scheduler(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	const char	*s;
	size_t		 i;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (s = t->t_text; (*s >= 'a' && *s <= 'z') ||
	    (s > t->t_text && *s >= '0' && *s <= '9'); s++)
		;
	if (*s != '\0' || s == t->t_text ||
	    strlen(t->t_text) >= MSG_SCHED_LEN) {
		conf_error(x, t->t_col, "invalid scheduler '%s' (expected a "
		    "name of lowercase letters and digits, at most %d long)",
		    conf_quote(x, t->t_text), MSG_SCHED_LEN - 1);
		return;
	}
	for (i = 0; i < nitems(conf_scheds); i++)
		if (strcmp(t->t_text, conf_scheds[i]) == 0)
			break;
	if (i == nitems(conf_scheds))
		conf_warning(x, t->t_col, "scheduler '%s' is not one that "
		    "Linux ships; the kernel will refuse it unless a module "
		    "ip_vs_%s is installed", t->t_text, t->t_text);
	strlcpy(x->x_cur->p_v->v_sched, t->t_text, MSG_SCHED_LEN);
}

void
dir_persistent(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok		*t;
	unsigned long long	 v;

	if ((t = conf_one(x, tok, n)) == NULL ||
	    conf_uint(x, t->t_text, t->t_col, "persistent", 1, CONF_MAXPERSIST,
	    &v) == -1)
		return;
	x->x_cur->p_v->v_persistent = v;
}

/*
 * For IPv4 the mask in host byte order (ipvsd turns it around for the
 * kernel), for IPv6 the prefix length.  A mask with holes is refused.
 */
void
dir_netmask(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok		*t;
	struct in_addr		 in;
	unsigned long long	 v;
	uint32_t		 m;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	if (x->x_cur->p_v6) {
		if (conf_uint(x, t->t_text, t->t_col, "an IPv6 netmask", 1,
		    128, &v) == 0)
			x->x_cur->p_v->v_netmask = v;
		return;
	}
	if (inet_pton(AF_INET, t->t_text, &in) != 1) {
		conf_error(x, t->t_col, "invalid netmask '%s' (expected a "
		    "dotted mask such as 255.255.255.0)",
		    conf_quote(x, t->t_text));
		return;
	}
	m = ntohl(in.s_addr);
	if (m == 0 || (~m & (~m + 1)) != 0) {
		conf_error(x, t->t_col, "netmask '%s' is not a run of ones "
		    "followed by zeros", t->t_text);
		return;
	}
	x->x_cur->p_v->v_netmask = m;
}

void
dir_ops(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	int		 yes;

	if ((t = conf_one(x, tok, n)) != NULL && conf_yesno(x, t, &yes) == 0)
		x->x_cur->p_v->v_ops = yes;
}

/* One flag of a comma list, checked against the kernel's names. */
static int
conf_schedflag(struct conf_ctx *x, const struct conf_tok *t, const char *s,
    size_t len)
{
	char		 word[32];
	struct conf_tok	 w = *t;

	if (len == 0 || len >= sizeof(word)) {
		conf_error(x, t->t_col, "invalid schedflags '%s' (expected "
		    "flags such as sh-port,sh-fallback)",
		    conf_quote(x, t->t_text));
		return -1;
	}
	memcpy(word, s, len);
	word[len] = '\0';
	w.t_text = word;
	w.t_col = t->t_col + (s - t->t_text);
	return conf_keyword(x, &w, "scheduler flag", conf_schedflags,
	    nitems(conf_schedflags));
}

/*
 * The bit of the flag s (len bytes, one dir_schedflags took) and in
 * *sched the scheduler it needs, "" for any.
 */
uint32_t
conf_schedflag_bit(const char *s, size_t len, const char **sched)
{
	size_t	 i;

	for (i = 0; i < nitems(conf_schedflags); i++)
		if (strlen(conf_schedflags[i]) == len &&
		    strncmp(conf_schedflags[i], s, len) == 0) {
			*sched = conf_schedflag_scheds[i];
			return conf_schedflag_bits[i];
		}
	*sched = "";
	return 0;
}

/*
 * ldirectord passes the value to a shell; lvsd takes only the names the
 * kernel knows, so the value can be nothing else.
 */
void
dir_schedflags(struct conf_ctx *x, struct conf_tok *tok, int n)
{
	struct conf_tok	*t;
	const char	*s, *comma;
	char		*p;

	if ((t = conf_one(x, tok, n)) == NULL)
		return;
	for (s = t->t_text;; s = comma + 1) {
		comma = strchr(s, ',');
		if (conf_schedflag(x, t, s, comma ? (size_t)(comma - s) :
		    strlen(s)) == -1)
			return;
		if (comma == NULL)
			break;
	}
	if ((p = conf_strdup(x, t->t_text)) == NULL)
		return;
	free(x->x_cur->p_v->v_schedflags);
	x->x_cur->p_v->v_schedflags = p;
}
