/*
 * The CA bundles real servers' certificates are verified against
 * (checktlsverify), by msg_ca id.  The checker cannot open a file in its
 * chroot, so the parent sends each bundle as a descriptor inside the
 * config (MSG_CA); the bytes are read at once, bounded, and kept until
 * the next config replaces them.  A check names its bundle by id + 1 in
 * ck_tls_ca and hands the bytes to libcurl at each probe
 * (CURLOPT_CAINFO_BLOB, copied by libcurl), so that a kept check of a
 * reload verifies against the new config's bundle.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

struct tls_ca {
	char	*ca_buf;	/* NULL: not sent */
	size_t	 ca_len;	/* 0: unreadable or empty: verify fails */
};

static struct tls_ca	tls_ca_live[MSG_CA_FILES];
static struct tls_ca	tls_ca_staged[MSG_CA_FILES];
/* What libcurl gets for an empty bundle: no certificate, so it fails. */
static char		tls_ca_none[] = "\n";

static void
tls_ca_clear(struct tls_ca *set)
{
	size_t	 i;

	for (i = 0; i < MSG_CA_FILES; i++) {
		free(set[i].ca_buf);
		set[i].ca_buf = NULL;
		set[i].ca_len = 0;
	}
}

/*
 * Up to MSG_CA_MAX bytes of fd; a bundle that is bigger or cannot be
 * read is kept empty, so that the checks using it fail, and said so.
 */
static void
tls_ca_read(struct tls_ca *ca, uint32_t id, int fd)
{
	ssize_t	 n;

	if ((ca->ca_buf = malloc(MSG_CA_MAX + 1)) == NULL)
		fatal("%s", __func__);
	ca->ca_len = 0;
	while (ca->ca_len <= MSG_CA_MAX) {
		n = read(fd, ca->ca_buf + ca->ca_len,
		    MSG_CA_MAX + 1 - ca->ca_len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_warn("CA file %u", id);
			ca->ca_len = 0;
			return;
		}
		if (n == 0)
			return;
		ca->ca_len += (size_t)n;
	}
	log_warnx("CA file %u is larger than %zu bytes; checks that verify "
	    "with it fail", id, MSG_CA_MAX);
	ca->ca_len = 0;
}

/* The bundle of a new config; -1 and why for a bad or repeated id. */
int
tls_ca_stage(const struct msg_ca *msg, int fd, char *why, size_t len)
{
	if (msg->ca_id >= MSG_CA_FILES) {
		snprintf(why, len, "CA id %u out of range", msg->ca_id);
		return -1;
	}
	if (tls_ca_staged[msg->ca_id].ca_buf != NULL) {
		snprintf(why, len, "CA id %u sent twice", msg->ca_id);
		return -1;
	}
	tls_ca_read(&tls_ca_staged[msg->ca_id], msg->ca_id, fd);
	return 0;
}

/* Has the new config sent the bundle a check names (ck_tls_ca)? */
int
tls_ca_staged_has(unsigned int ref)
{
	return ref == 0 || (ref <= MSG_CA_FILES &&
	    tls_ca_staged[ref - 1].ca_buf != NULL);
}

/* A new config starts, or the one being sent is abandoned. */
void
tls_ca_abort(void)
{
	tls_ca_clear(tls_ca_staged);
}

/* The new config is in force: its bundles too. */
void
tls_ca_apply(void)
{
	tls_ca_clear(tls_ca_live);
	memcpy(tls_ca_live, tls_ca_staged, sizeof(tls_ca_live));
	memset(tls_ca_staged, 0, sizeof(tls_ca_staged));
}

/*
 * Verification as ck asks: off, or the chain against its bundle and the
 * name (libcurl checks the URL's host: the virtualhost, or the real's
 * address).  Never a CA file or directory of the file system.
 */
int
tls_ca_setopts(const struct check *ck, void *easy)
{
	const struct msg_check	*m = ck->ck_msg;
	const struct tls_ca	*ca;
	struct curl_blob	 blob;
	int			 bad = 0;

	bad |= curl_easy_setopt(easy, CURLOPT_CAINFO, NULL) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_CAPATH, NULL) != CURLE_OK;
	if (!m->ck_tls_verify || m->ck_tls_ca == 0 ||
	    m->ck_tls_ca > MSG_CA_FILES) {
		bad |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L) !=
		    CURLE_OK;
		bad |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L) !=
		    CURLE_OK;
		return bad ? -1 : 0;
	}
	ca = &tls_ca_live[m->ck_tls_ca - 1];
	/* an empty bundle is no certificate at all: libcurl then fails */
	blob.data = ca->ca_len > 0 ? ca->ca_buf : tls_ca_none;
	blob.len = ca->ca_len > 0 ? ca->ca_len : sizeof(tls_ca_none) - 1;
	blob.flags = CURL_BLOB_COPY;
	bad |= curl_easy_setopt(easy, CURLOPT_CAINFO_BLOB, &blob) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	return bad ? -1 : 0;
}
