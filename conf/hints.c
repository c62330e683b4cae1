/*
 * The message for a directive lvsd does not know: the nearest known
 * name when there is one close enough, and a word of warning when the
 * name is keepalived's, whose configuration language is not this one.
 */
#include <string.h>

#include "conf_priv.h"

/* Words that only a keepalived.conf has at the start of a line. */
static const char *const conf_keepalived[] = {
	"global_defs", "vrrp_instance", "vrrp_script", "vrrp_sync_group",
	"virtual_server", "virtual_server_group", "real_server", "lb_algo",
	"lb_kind", "delay_loop", "persistence_timeout", "persistence_granularity",
	"sorry_server", "inhibit_on_failure", "HTTP_GET", "SSL_GET",
	"TCP_CHECK", "MISC_CHECK", "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK",
	"connect_timeout", "connect_port", "nb_get_retry", "retry",
	"delay_before_retry", "notification_email", "notification_email_from",
	"smtp_server", "smtp_connect_timeout", "router_id", "include",
	"weight", "url", "path", "digest", "status_code", "ha_suspend",
	"alpha", "omega", "quorum", "hysteresis"
};

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static int
conf_is_keepalived(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(conf_keepalived); i++)
		if (strcmp(name, conf_keepalived[i]) == 0)
			return 1;
	return 0;
}

void
conf_unknown(struct conf_ctx *x, const char *name, unsigned int col)
{
	const char	*near;

	if (conf_is_keepalived(name))
		conf_error(x, col, "unknown directive '%s': that is a keyword "
		    "of keepalived.conf, but lvsd reads ldirectord.cf (see "
		    "lvsd.cf(5))", conf_quote(x, name));
	else if ((near = conf_dir_suggest(name)) != NULL)
		conf_error(x, col, "unknown directive '%s'; did you mean "
		    "'%s'?", conf_quote(x, name), near);
	else
		conf_error(x, col, "unknown directive '%s'",
		    conf_quote(x, name));
}
