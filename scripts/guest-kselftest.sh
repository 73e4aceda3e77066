#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload of `make check` (runs inside the VM as /payload.sh): run every
# kselftest collection installed in /kselftest with the kernel's runner.
# The runner announces each test ("# selftests: mbox: NAME") before it runs it
# and kills it after the "timeout" in its collection's settings file, so a hung
# test shows in the log and does not stall the run. The host counts the
# results (scripts/ksft-summary.sh); the runner's exit status means nothing.
# /ksft-tests lists COLLECTION:PROGRAM words to run instead of everything
# (make check-some); empty for make check.
cd /kselftest || exit 1
set --
for t in $(cat /ksft-tests 2>/dev/null); do
	set -- "$@" -t "$t"
done
./run_kselftest.sh "$@"
