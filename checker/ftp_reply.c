/*
 * What the ftp check reads of a passive-mode reply (line_ftp.c): the
 * data port of a 227 (PASV, RFC 959) or 229 (EPSV, RFC 2428) reply line.
 * The address a 227 names is not read: the data connection goes to the
 * real's own.  A line from the real, so every byte is checked;
 * tests/fuzz/ftp_fuzz.c feeds it anything.
 */
#include <ctype.h>
#include <string.h>

#include "checker.h"

/* "... (h1,h2,h3,h4,p1,p2)": the port; the address is not used. */
static int
ftp_pasv_port(const char *s)
{
	unsigned int	 v[6];
	int		 i, n;

	while (*s != '\0' && !isdigit((unsigned char)*s))
		s++;
	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (n = 0; n < 3 && isdigit((unsigned char)*s); n++, s++)
			v[i] = v[i] * 10 + (unsigned int)(*s - '0');
		if (n == 0 || v[i] > 255 || isdigit((unsigned char)*s))
			return -1;
		if (i < 5 && *s++ != ',')
			return -1;
	}
	return v[4] * 256 + v[5] == 0 ? -1 : (int)(v[4] * 256 + v[5]);
}

/* "... (|||port|)", RFC 2428, any printable delimiter for '|'. */
static int
ftp_epsv_port(const char *s)
{
	unsigned int	 port = 0;
	int		 n;
	char		 d;

	if ((s = strchr(s, '(')) == NULL)
		return -1;
	d = s[1];
	if (d < 0x21 || d > 0x7e || isdigit((unsigned char)d) ||
	    s[2] != d || s[3] != d)
		return -1;
	for (s += 4, n = 0; n < 5 && isdigit((unsigned char)*s); n++, s++)
		port = port * 10 + (unsigned int)(*s - '0');
	if (n == 0 || *s != d || port == 0 || port > 65535)
		return -1;
	return (int)port;
}

/* The data port a 227 or 229 reply line names, or -1. */
int
ftp_passive_port(const char *line)
{
	if (strncmp(line, "227", 3) == 0)
		return ftp_pasv_port(line + 3);
	if (strncmp(line, "229", 3) == 0)
		return ftp_epsv_port(line + 3);
	return -1;
}
