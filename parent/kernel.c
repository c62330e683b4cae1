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

static int
kernel_service_line(const char *line, struct ksvc *ks)
{
	char		 proto[8], where[INET6_ADDRSTRLEN + 16];
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
	char		 where[INET6_ADDRSTRLEN + 16], fwd[16];
	unsigned int	 weight;
	struct kdest	*kd;

	if (sscanf(line, " -> %63s %15s %u", where, fwd, &weight) != 3)
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
	kd->kd_weight = weight;
	kt->kt_ndests++;
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
	return 0;
}

/* Is the kernel's service ks the configured virtual v? */
static int
kernel_svc_is(const struct ksvc *ks, const struct conf_virtual *v)
{
	if (ks->ks_proto != v->v_proto)
		return 0;
	if (v->v_proto == PROTO_FWM)
		return ks->ks_fwmark == v->v_fwmark;
	return ks->ks_port == v->v_port && addr_eq(&ks->ks_addr, &v->v_addr);
}

/* The kernel's weight of addr:port in v, or -1 if it has none. */
long
kernel_weight(const struct ktable *kt, const struct conf_virtual *v,
    const struct addr *a, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < kt->kt_ndests; i++)
		if (kernel_svc_is(&kt->kt_dests[i].kd_svc, v) &&
		    kt->kt_dests[i].kd_port == port &&
		    addr_eq(&kt->kt_dests[i].kd_addr, a))
			return kt->kt_dests[i].kd_weight;
	return -1;
}
