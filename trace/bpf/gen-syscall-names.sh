#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# gen-syscall-names.sh - emit '[__NR_x] = "x",' rows for every __NR_ macro of HEADER,
# so that the C compiler supplies the numbers: gen-syscall-names.sh HEADER CC [CC ARGS...]
set -eu
header=$1
shift
echo "#include <$header>" | "$@" -E -dM -x c - |
	awk '$1 == "#define" && $2 ~ /^__NR_[a-z0-9_]+$/ { print $2 }' |
	sort -u |
	awk '{ name = substr($1, 6); printf "\t[%s] = \"%s\",\n", $1, name }'
