# make bench's own programs: the real-server farm (tests/bench/farm.c).
# Built by all so that the warnings and make lint see them.
BENCH_FARM := tests/bench/farm
BENCH_PROGS := $(BENCH_FARM)
all: $(BENCH_PROGS)
$(BENCH_FARM): tests/bench/farm.o
	$(CC) $(LDFLAGS) -o $@ $^
