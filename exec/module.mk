# lvsd-exec: runs the config's commands for the checker.

EXEC_OBJS := exec/exec.o exec/job.o exec/cmd.o exec/hook.o

# The validation of EXEC_CMD and the argv built from it.
UNIT_TESTS += tests/unit/test_exec_cmd
tests/unit/test_exec_cmd.o: override CPPFLAGS += -Iexec
tests/unit/test_exec_cmd: tests/unit/test_exec_cmd.o exec/cmd.o \
	$(COMMON_OBJS)

# The validation of EXEC_HOOK and EXEC_FIRE, and the shell's argv.
UNIT_TESTS += tests/unit/test_exec_hook
tests/unit/test_exec_hook.o: override CPPFLAGS += -Iexec
tests/unit/test_exec_hook: tests/unit/test_exec_hook.o exec/cmd.o \
	$(COMMON_OBJS)
