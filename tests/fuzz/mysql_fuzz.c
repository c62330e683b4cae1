/*
 * Fuzz target: the checker's reading of a mysql server's bytes; the
 * work and what must hold are in sql_feed.c.
 */
#include <stdint.h>
#include <stddef.h>

#include "msg.h"
#include "sql_feed.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return sql_fuzz_feed(data, size, SERVICE_MYSQL, "mysql: ");
}
