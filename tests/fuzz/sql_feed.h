/* tests/fuzz/sql_feed.c: the shared body of the mysql and pgsql targets */
int	sql_fuzz_feed(const uint8_t *, size_t, uint8_t, const char *);
