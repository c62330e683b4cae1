/*
 * Fuzz target: the checker's reading of an FTP passive-mode reply line
 * from a real server (checker/ftp_reply.c).  The input is the line, as
 * the line engine hands it over: NUL-terminated, without its CRLF.
 * Whatever the bytes, the reading stays inside the line and yields a
 * port from 1 to 65535, or -1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*line;
	int	 port;

	if ((line = malloc(size + 1)) == NULL)
		abort();
	memcpy(line, data, size);
	line[size] = '\0';
	port = ftp_passive_port(line);
	if (port != -1 && (port < 1 || port > 65535))
		abort();
	free(line);
	return 0;
}
