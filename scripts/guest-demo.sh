#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload of `make run` (runs inside the VM as /payload.sh): run each demo in
# /demo. /demo/DEMOS, if present, lists the commands one per line (# comments);
# otherwise every executable in /demo runs once without arguments.
# Exits non-zero if any demo fails or runs longer than DEMO_TIMEOUT seconds.
DEMO_TIMEOUT=${DEMO_TIMEOUT:-120}
cd /demo || exit 1

if [ -f DEMOS ]; then
	demos=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' DEMOS)
else
	demos=$(for f in *; do [ -f "$f" ] && [ -x "$f" ] && echo "./$f"; done)
fi
if [ -z "$demos" ]; then
	echo "guest-demo: no demo programs in /demo"
	exit 1
fi

failed=0
# Read the list on fd 3 so the demos get /dev/null as stdin, not the list.
while IFS= read -r demo <&3; do
	echo "=== demo: $demo"
	# A bare name in DEMOS means the program in /demo.
	case "$demo" in /* | ./*) cmd=$demo ;; *) cmd=./$demo ;; esac
	# shellcheck disable=SC2086 # the command line is meant to split into words
	timeout "$DEMO_TIMEOUT" $cmd </dev/null
	rc=$?
	echo "=== demo: $demo: exit $rc"
	[ "$rc" -eq 0 ] || failed=1
done 3<<LIST
$demos
LIST
exit $failed
