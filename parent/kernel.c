/*
 * The kernel's IPVS table as /proc/net/ip_vs shows it, for `lvsd show`
 * and the metrics.  Read-only, and from the kernel: the parent needs no
 * netlink library (ipvsd alone changes the table) to say what weight a
 * real server has right now.  The format (ip_vs_ctl.c):
 *
 *	TCP  7F000078:0050 wrr
 *	  -> 7F000007:0050      Masq    5      0          0
 *	UDP  [2001:0db8:0000:...:0001]:0035 rr
 *	FWM  00000001 wrr
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

#define KERNEL_IPVS_PROC	"/proc/net/ip_vs"

void
kernel_table_free(struct ktable *kt)
{
	free(kt->kt_dests);
	memset(kt, 0, sizeof(*kt));
}

/* "7F000078:0050" or "[2001:db8::1]:0050" */
static int
kernel_parse_addrport(const char *s, struct addr *a, uint16_t *port)
{
	char		 host[INET6_ADDRSTRLEN + 2];
	const char	*colon;
	unsigned long	 v;
	char		*end;
	size_t		 n;

	memset(a, 0, sizeof(*a));
	if ((colon = strrchr(s, ':')) == NULL)
		return -1;
	v = strtoul(colon + 1, &end, 16);
	if (*end != '\0' || end == colon + 1 || v > 0xffff)
		return -1;
	*port = (uint16_t)v;
	n = (size_t)(colon - s);
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']' || n - 2 >= sizeof(host))
			return -1;
		memcpy(host, s + 1, n - 2);
		host[n - 2] = '\0';
		a->a_af = AF_INET6;
		return inet_pton(AF_INET6, host, &a->a_u.v6) == 1 ? 0 : -1;
	}
	if (n != 8)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	v = strtoul(host, &end, 16);
	if (*end != '\0')
		return -1;
	a->a_af = AF_INET;
	a->a_u.v4.s_addr = htonl((uint32_t)v);
	return 0;
}

/* An address:port word of /proc/net/ip_vs, read with "%63s": 63 and NUL. */
#define KERNEL_WORD_LEN	64

static int
kernel_service_line(const char *line, struct ksvc *ks)
{
	char		 proto[8], where[KERNEL_WORD_LEN];
	char		*end;
	unsigned long	 v;

	memset(ks, 0, sizeof(*ks));
	if (sscanf(line, "%7s %63s", proto, where) != 2)
		return -1;
	if (strcmp(proto, "FWM") == 0) {
		ks->ks_proto = PROTO_FWM;
		v = strtoul(where, &end, 16);
		if (*end != '\0' || v > UINT32_MAX)
			return -1;
		ks->ks_fwmark = (uint32_t)v;
		return 0;
	}
	if (strcmp(proto, "TCP") == 0)
		ks->ks_proto = PROTO_TCP;
	else if (strcmp(proto, "UDP") == 0)
		ks->ks_proto = PROTO_UDP;
	else
		return 1;	/* SCTP and others: not lvsd's */
	return kernel_parse_addrport(where, &ks->ks_addr, &ks->ks_port);
}

static void
kernel_add_dest(struct ktable *kt, const struct ksvc *ks, const char *line)
{
	char		 where[KERNEL_WORD_LEN], fwd[16], num[16], *end;
	unsigned long	 weight;
	struct kdest	*kd;

	if (sscanf(line, " -> %63s %15s %15s", where, fwd, num) != 3)
		return;
	errno = 0;
	weight = strtoul(num, &end, 10);
	if (errno != 0 || *end != '\0' || end == num || weight > INT32_MAX)
		return;
	if (kt->kt_ndests == kt->kt_cap) {
		size_t	 cap = kt->kt_cap ? kt->kt_cap * 2 : 64;

		if ((kd = reallocarray(kt->kt_dests, cap, sizeof(*kd))) ==
		    NULL)
			fatal("%s", __func__);
		kt->kt_dests = kd;
		kt->kt_cap = cap;
	}
	kd = &kt->kt_dests[kt->kt_ndests];
	if (kernel_parse_addrport(where, &kd->kd_addr, &kd->kd_port) == -1)
		return;
	kd->kd_svc = *ks;
	kd->kd_weight = (uint32_t)weight;
	kt->kt_ndests++;
}

/* Addresses in a fixed order: family, then the bytes. */
static int
kernel_addr_cmp(const struct addr *a, const struct addr *b)
{
	if (a->a_af != b->a_af)
		return a->a_af < b->a_af ? -1 : 1;
	return memcmp(a->a_u.raw, b->a_u.raw, sizeof(a->a_u.raw));
}

/* Order of service key, then destination address and port. */
static int
kernel_dest_cmp(const void *pa, const void *pb)
{
	const struct kdest	*a = pa, *b = pb;
	int			 r;

	if (a->kd_svc.ks_proto != b->kd_svc.ks_proto)
		return a->kd_svc.ks_proto < b->kd_svc.ks_proto ? -1 : 1;
	if (a->kd_svc.ks_fwmark != b->kd_svc.ks_fwmark)
		return a->kd_svc.ks_fwmark < b->kd_svc.ks_fwmark ? -1 : 1;
	if (a->kd_svc.ks_port != b->kd_svc.ks_port)
		return a->kd_svc.ks_port < b->kd_svc.ks_port ? -1 : 1;
	if ((r = kernel_addr_cmp(&a->kd_svc.ks_addr, &b->kd_svc.ks_addr)) != 0)
		return r;
	if (a->kd_port != b->kd_port)
		return a->kd_port < b->kd_port ? -1 : 1;
	return kernel_addr_cmp(&a->kd_addr, &b->kd_addr);
}

/* Read the table into kt; -1 (and kt empty) if it cannot be read. */
int
kernel_table_read(struct ktable *kt)
{
	struct ksvc	 ks;
	FILE		*fp;
	char		 line[512];
	int		 insvc = 0, r;

	memset(kt, 0, sizeof(*kt));
	if ((fp = fopen(KERNEL_IPVS_PROC, "re")) == NULL) {
		log_warn("%s", KERNEL_IPVS_PROC);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "  ->", 4) == 0) {
			if (insvc && strstr(line, "RemoteAddress") == NULL)
				kernel_add_dest(kt, &ks, line);
			continue;
		}
		r = kernel_service_line(line, &ks);
		insvc = r == 0;
		if (insvc)
			kt->kt_nservices++;
	}
	fclose(fp);
	/* sorted, so that show and metrics look each real up in log time */
	if (kt->kt_ndests > 0)
		qsort(kt->kt_dests, kt->kt_ndests, sizeof(*kt->kt_dests),
		    kernel_dest_cmp);
	return 0;
}

/* The kernel's weight of addr:port in v, or -1 if it has none. */
long
kernel_weight(const struct ktable *kt, const struct conf_virtual *v,
    const struct addr *a, uint16_t port)
{
	struct kdest		 key;
	const struct kdest	*kd;

	if (kt->kt_ndests == 0)
		return -1;
	memset(&key, 0, sizeof(key));
	key.kd_svc.ks_proto = v->v_proto;
	if (v->v_proto == PROTO_FWM)
		key.kd_svc.ks_fwmark = v->v_fwmark;
	else {
		key.kd_svc.ks_port = v->v_port;
		key.kd_svc.ks_addr = v->v_addr;
	}
	key.kd_addr = *a;
	key.kd_port = port;
	if ((kd = bsearch(&key, kt->kt_dests, kt->kt_ndests,
	    sizeof(*kt->kt_dests), kernel_dest_cmp)) == NULL)
		return -1;
	return kd->kd_weight;
}
