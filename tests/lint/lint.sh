#!/bin/sh
# make lint: cppcheck and clang-tidy over every C file of lvsd, the test
# drivers and the fuzz targets; any finding fails.
#
# cppcheck: --enable=warning,portability,performance (the "style" class
# is mostly taste); suppressions with reasons in tests/lint/cppcheck.supp.
# clang-tidy: the static analyzer (clang-analyzer-*), bugprone-*, and a
# few of cert-*, less the checks listed below with why. A false positive
# in the code carries NOLINT with the check's name and the reason.
set -eu
cd "$(dirname "$0")/../.."
files=$(ls common/*.c conf/*.c checker/*.c ipvsd/*.c exec/*.c parent/*.c \
	tests/integration/*.c tests/fuzz/*.c tests/bench/*.c)
tidy_files=$files
incs="-Icommon -Iconf -Ichecker -Iipvsd -Iexec -Itests/unit -I/usr/include/libnl3"
jobs=${LINT_JOBS:-2}

echo "lint: cppcheck"
# shellcheck disable=SC2086
cppcheck --quiet --std=c11 --enable=warning,portability,performance \
	--inline-suppr --suppressions-list=tests/lint/cppcheck.supp \
	--error-exitcode=1 -j "$jobs" -D_GNU_SOURCE -D__linux__ \
	-DLIBBSD_OVERLAY -I/usr/include/bsd $incs $files

# Left out of clang-tidy's set:
#  easily-swappable-parameters  most of lvsd's functions take two ints
#  reserved-identifier          the __func__ and _GNU_SOURCE idiom
#  narrowing-conversions        wire fields are narrower on purpose;
#                               -Wall -Wextra already checks sign
#  assignment-in-if-condition   the style(9) "if ((fd = open()) == -1)"
#  branch-clone                 flags readable if/else chains
#  DeprecatedOrUnsafeBufferHandling, strcpy: memcpy/snprintf are used
#                               with sizes throughout (the C11 Annex K
#                               functions are not in glibc)
checks='-*,clang-analyzer-*,bugprone-*,cert-err34-c,cert-flp30-c,cert-str34-c,misc-redundant-expression'
checks=$checks',-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier'
checks=$checks',-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition'
checks=$checks',-bugprone-branch-clone'
checks=$checks',-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling'
checks=$checks',-clang-analyzer-security.insecureAPI.strcpy'
echo "lint: clang-tidy"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086
printf '%s\n' $tidy_files | xargs -P "$jobs" -I{} clang-tidy -quiet \
	--checks="$checks" --warnings-as-errors='*' {} -- -std=gnu11 \
	-D_GNU_SOURCE -DLIBBSD_OVERLAY -isystem /usr/include/bsd $incs \
	>"$out" 2>&1 || { grep -A4 -E 'warning:|error:' "$out"; echo "lint: clang-tidy found the above" >&2; exit 1; }
echo "lint: clean ($(echo "$files" | wc -l) files)"
