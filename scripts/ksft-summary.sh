#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Count the kselftest results of one VM run and print the verdict.
#
#   ksft-summary.sh OUTPUT [LIST]
#
# OUTPUT is what run_kselftest.sh printed in the VM (build/vm-check.out);
# LIST is the kselftest-list.txt that was installed (COLLECTION:TEST lines).
# Counts each test case a harness binary reports (its "ok N name" lines, which
# the runner prefixes with "# "). A binary that reports no cases of its own
# counts as one test. A binary that crashed or timed out as a whole, one that
# was still running when the VM stopped, and one in LIST that never started
# each count as one more failure. Prints the failures, then last a line
# "N passed, N failed, N skipped". Exits 1 if anything failed or nothing ran.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 OUTPUT [LIST]" >&2
	exit 2
fi
output=$1
list=${2:-/dev/null}
[ -r "$output" ] || output=/dev/null

tr -d '\r' <"$output" | awk -v list="$list" '
function finish_binary(top, reason) {
	# top: "ok", "skip" or "fail" from the runner line for this binary.
	if (cases == 0) {
		if (top == "ok") pass++
		else if (top == "skip") skip++
		else { fail++; failures[++nf] = bin ": " reason }
	} else if (top == "fail" && (case_fail == 0 || cases < plan)) {
		fail++
		failures[++nf] = bin ": " reason " after " cases " of " plan " cases"
	}
	finished[bin] = 1
	bin = ""
}
BEGIN {
	while (list != "/dev/null" && (getline line < list) > 0)
		if (line != "") listed[++nl] = line
}
# The runner announces a binary before running it.
/^# selftests: [^ ]+: [^ ]+$/ {
	if (bin != "") finish_binary("fail", "output ended early")
	coll = $3; sub(/:$/, "", coll)
	bin = coll ":" $4
	started[bin] = 1
	cases = case_fail = plan = 0
	last_run = ""
	next
}
# What the binary itself prints, one "# " deep.
bin != "" && /^# 1\.\.[0-9]+/ { plan = substr($2, 4) + 0; next }
bin != "" && /^# # +RUN / { last_run = $4; next }
bin != "" && /^# (not )?ok [0-9]+/ {
	cases++
	name = $0
	sub(/^# (not )?ok [0-9]+ */, "", name)
	if (name ~ /^# SKIP/) name = last_run " " name
	if ($0 ~ /^# ok .*# [Ss][Kk][Ii][Pp]/) { skip++; skipped[++ns] = bin ": " name }
	else if ($0 ~ /^# ok /) pass++
	else { fail++; case_fail++; failures[++nf] = bin ": " name }
	next
}
# The runner closes it with its own line.
bin != "" && /^(not )?ok [0-9]+ selftests: / {
	if ($0 ~ /^ok .*# SKIP/) finish_binary("skip", "")
	else if ($0 ~ /^ok /) finish_binary("ok", "")
	else {
		reason = "failed"
		if ($0 ~ /# TIMEOUT/) reason = "timed out"
		else if (match($0, /# exit=[0-9]+/)) reason = "exit status " substr($0, RSTART + 7, RLENGTH - 7)
		finish_binary("fail", reason)
	}
	next
}
END {
	if (bin != "")
		finish_binary("fail", "still running when the VM stopped (hang, crash or timeout)")
	for (i = 1; i <= nl; i++)
		if (!(listed[i] in started)) {
			fail++
			failures[++nf] = listed[i] ": never ran"
		}
	if (ns) {
		print "Skipped:"
		for (i = 1; i <= ns; i++) print "  " skipped[i]
	}
	if (nf) {
		print "FAILED:"
		for (i = 1; i <= nf; i++) print "  " failures[i]
	}
	if (pass + fail + skip == 0) print "FAILED: no test results at all"
	printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
	exit (fail > 0 || pass + fail + skip == 0)
}'
