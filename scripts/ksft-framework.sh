#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the kernel's kselftest framework, checkpatch.pl and kernel-doc from Debian's
# linux-source tarball into DEST (default build/linux-src), keeping the
# kernel's directory layout so selftests/ builds there as
# tools/testing/selftests/mbox exactly as it would upstream. Only these few
# files are taken; no kernel code enters the repository.
# Cached: a second run for the same tarball does nothing.
set -euo pipefail

dest=${1:-build/linux-src}

# Prefer the 6.1 source that matches the kernel the VM boots, else the newest.
tarball=/usr/src/linux-source-6.1.tar.xz
if [ ! -e "$tarball" ]; then
	tarball=$(printf '%s\n' /usr/src/linux-source-6.*.tar.xz | sort -V | tail -n 1)
fi
if [ ! -e "$tarball" ]; then
	echo "ksft-framework: no /usr/src/linux-source-6.*.tar.xz; run scripts/install-deps.sh" >&2
	exit 1
fi

# What is taken: the kselftest framework, and the kernel's own checkers for
# our sources (checkpatch.pl, and kernel-doc for the uapi header's comments).
files=(
	'*/tools/testing/selftests/Makefile'
	'*/tools/testing/selftests/lib.mk'
	'*/tools/testing/selftests/kselftest.h'
	'*/tools/testing/selftests/kselftest_harness.h'
	'*/tools/testing/selftests/run_kselftest.sh'
	'*/tools/testing/selftests/kselftest/*'
	'*/scripts/subarch.include'
	'*/scripts/checkpatch.pl'
	'*/scripts/spelling.txt'
	'*/scripts/const_structs.checkpatch'
	'*/scripts/kernel-doc'
)

stamp="$dest/.extracted-from"
id="$tarball $(stat -c '%s %Y' "$tarball") ${files[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id" ]; then
	exit 0
fi

echo "ksft-framework: extracting from $tarball"
rm -rf "$dest"
mkdir -p "$dest"
# The tarball's top directory is linux-source-6.x; '*' matches it.
tar -xJf "$tarball" -C "$dest" --strip-components=1 --wildcards "${files[@]}"
echo "$id" >"$stamp"
