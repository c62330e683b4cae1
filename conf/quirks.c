/*
 * Blocks that ldirectord accepts but whose check it runs in a way the
 * file does not say (its reference marks these W12, W16, W17): lvsd
 * keeps the block and warns, once the block is read and its service is
 * known.
 */
#include <string.h>

#include "conf_priv.h"

static int
conf_negotiates(const struct conf_virtual *v)
{
	return v->v_checktype == CHECK_NEGOTIATE ||
	    v->v_checktype == CONF_CHECK_COMBINED;
}

/* Mail::POP3Client never fails without a login: always up. */
static void
conf_quirk_pop(struct conf_ctx *x, const struct conf_pvirt *pv)
{
	const struct conf_virtual	*v = pv->p_v;

	if ((v->v_service == CONF_SVC_POP || v->v_service == CONF_SVC_POPS) &&
	    v->v_login == NULL)
		conf_diag_at(x, 0, v->v_line, pv->p_col, "a %s check without "
		    "login counts every real server as up in ldirectord, even "
		    "one that does not answer; set login= and passwd=",
		    conf_service_name(v->v_service));
}

/* An empty receive: always down for dns, the last match for the rest. */
static void
conf_quirk_receive(struct conf_ctx *x, const struct conf_pvirt *pv)
{
	const struct conf_virtual	*v = pv->p_v;

	if (v->v_receive == NULL || v->v_receive[0] != '\0')
		return;
	if (v->v_service == CONF_SVC_DNS)
		conf_diag_at(x, 0, v->v_line, pv->p_col, "a dns check without "
		    "receive marks every real server down in ldirectord; set "
		    "receive= to the address the answer must hold");
	else if (v->v_service == CONF_SVC_FTP ||
	    v->v_service == CONF_SVC_SIMPLETCP)
		conf_diag_at(x, 0, v->v_line, pv->p_col, "a %s check without "
		    "receive matches whatever matched last in ldirectord; set "
		    "receive=", conf_service_name(v->v_service));
}

void
conf_block_quirks(struct conf_ctx *x, const struct conf_pvirt *pv)
{
	if (!conf_negotiates(pv->p_v))
		return;
	conf_quirk_pop(x, pv);
	conf_quirk_receive(x, pv);
}
