/*
 * Names of real servers as `lvsd disable` and the files of maintenancedir
 * give them: an address, meaning every port of it, or address:port, as
 * ldirectord names its maintenance files (IPv6 in brackets).  And the
 * reading of a maintenance directory into such names, bounded: what is
 * not a regular file with such a name is passed over and told why.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lvsd.h"

/*
 * "192.0.2.1", "192.0.2.1:80", "2001:db8::1", "[2001:db8::1]",
 * "[2001:db8::1]:80"; 0, or -1 if arg is none of these.
 */
int
maint_parse(const char *arg, struct maint *m)
{
	char		 host[MAINT_NAME_MAX];
	const char	*colon, *errstr;
	size_t		 n = strlen(arg);
	int		 v6 = arg[0] == '[';

	memset(m, 0, sizeof(*m));
	if (addr_parse(arg, AF_UNSPEC, &m->m_addr) == 0)
		return 0;
	if (v6 && n > 2 && arg[n - 1] == ']' && n - 2 < sizeof(host)) {
		memcpy(host, arg + 1, n - 2);
		host[n - 2] = '\0';
		return addr_parse(host, AF_INET6, &m->m_addr);
	}
	if ((colon = strrchr(arg, ':')) == NULL)
		return -1;
	n = (size_t)(colon - arg);
	if (v6) {
		if (n < 3 || arg[n - 1] != ']')
			return -1;
		arg++;
		n -= 2;
	}
	if (n >= sizeof(host))
		return -1;
	memcpy(host, arg, n);
	host[n] = '\0';
	m->m_port = (uint16_t)strtonum(colon + 1, 1, 65535, &errstr);
	if (errstr != NULL)
		return -1;
	return addr_parse(host, v6 ? AF_INET6 : AF_INET, &m->m_addr);
}

/* Does m name the real at a, port? */
int
maint_matches(const struct maint *m, const struct addr *a, uint16_t port)
{
	return addr_eq(&m->m_addr, a) && (m->m_port == 0 || m->m_port == port);
}

/* Do a and b name the same reals? */
int
maint_same(const struct maint *a, const struct maint *b)
{
	return addr_eq(&a->m_addr, &b->m_addr) && a->m_port == b->m_port;
}

static int
maintdir_has(const struct maint *tab, size_t n, const struct maint *m)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (maint_same(&tab[i], m))
			return 1;
	return 0;
}

/* Why the entry name of dirfd is not a maintenance file; NULL if it is. */
static const char *
maintdir_entry(int dirfd, const char *name, struct maint *m)
{
	struct stat	 sb;

	if (strlen(name) >= MAINT_NAME_MAX)
		return "name too long";
	if (maint_parse(name, m) == -1)
		return "not ADDRESS or ADDRESS:PORT";
	/* the file itself: a symbolic link is not followed */
	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return strerror(errno);
	if (!S_ISREG(sb.st_mode))
		return "not a regular file";
	return NULL;
}

/*
 * Read the maintenance files of dir into tab (at most max, sorted as the
 * directory lists them, each name once); *n is their number.  ignored is
 * called for every other entry but . and ..; for entries beyond max too.
 * -1 (errno set) if dir cannot be read.
 */
int
maintdir_read(const char *dir, struct maint *tab, size_t max, size_t *n,
    void (*ignored)(const char *, const char *, void *), void *arg)
{
	struct dirent	*de;
	struct maint	 m;
	const char	*why;
	DIR		*d;
	int		 fd;

	*n = 0;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((why = maintdir_entry(fd, de->d_name, &m)) == NULL &&
		    *n == max)
			why = "too many maintenance files";
		if (why != NULL)
			ignored(de->d_name, why, arg);
		else if (!maintdir_has(tab, *n, &m))
			tab[(*n)++] = m;
	}
	closedir(d);
	return 0;
}
