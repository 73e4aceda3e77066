#!/bin/sh
# SPDX-License-Identifier: MIT
# mboxctl-demo: shell scripts passing messages through a mailbox with
# mboxctl(8). A producer queues five jobs (one per line) and shuts the
# mailbox down; two consumers take jobs until the end of the stream; the
# kernel numbers every message and names its sender. Then a shell command
# becomes a server: mboxctl serve answers each mboxctl call with its output.
# Exit status 0 only if every job was received exactly once and every call
# answered.
if ! command -v mboxctl >/dev/null 2>&1; then
	echo "mboxctl-demo: mboxctl is not in PATH; skipped"
	exit 0
fi
q=demo.jobs.$$
svc=demo.upper.$$
tmp=$(mktemp -d) || exit 1
trap 'mboxctl rm -f "$q" "$svc"; rm -rf "$tmp"' EXIT
say() { echo "[$1 $$] $2"; }

mboxctl info | sed 's/^/    /'
mboxctl create "$q" --capacity 2 --mode 0660 || exit 1
say main "created mailbox $q (capacity 2, mode 0660)"
mboxctl stat "$q" | sed 's/^/    /'

# Two consumers: each prints "seq=... pid=... uid=... gid=... len=..." and
# the job, until the producer's shutdown ends the stream (exit 0).
for c in 1 2; do
	(
		mboxctl recv "$q" --count 0 --verbose --timeout 20000 >"$tmp/consumer$c"
		echo $? >"$tmp/consumer$c.rc"
	) &
done

# Start producing once both consumers wait (stat shows them), so that the
# kernel shares the jobs out between them, first come first served.
i=0
while [ $i -lt 100 ] && ! mboxctl stat "$q" | grep -q '^waiting_receivers: *2$'; do
	sleep 0.1
	i=$((i + 1))
done
say main "$(mboxctl stat "$q" | grep '^waiting_receivers')"

# The producer waits while 2 jobs are queued, then shuts the mailbox down.
(
	printf 'job %s\n' 1 2 3 4 5 | mboxctl send "$q" --lines --timeout 20000 &&
		mboxctl shutdown "$q"
	say producer "sent 5 jobs, exit status $?; shut the mailbox down"
	mboxctl ls | sed 's/^/    /'
) &
wait

fail=0
for c in 1 2; do
	say "consumer $c" "exit status $(cat "$tmp/consumer$c.rc"), received:"
	sed 's/^/    /' "$tmp/consumer$c"
	[ "$(cat "$tmp/consumer$c.rc")" = 0 ] || fail=1
done
got=$(cat "$tmp/consumer1" "$tmp/consumer2" | grep '^job' | sort | tr '\n' ' ')
seqs=$(cat "$tmp/consumer1" "$tmp/consumer2" | sed -n 's/^seq=\([0-9]*\) .*/\1/p' | sort -n | tr '\n' ' ')
say main "jobs received: $got(sequence numbers: $seqs)"
[ "$got" = "job 1 job 2 job 3 job 4 job 5 " ] || fail=1
[ "$seqs" = "1 2 3 4 5 " ] || fail=1
mboxctl recv "$q" --timeout 0
rc=$?
say main "one more recv after the end: exit status $rc (4: shut down and drained)"
[ "$rc" -eq 4 ] || fail=1

# Request/reply from the shell: tr(1) as a server, two calls.
mboxctl create "$svc" --capacity 0 || exit 1
mboxctl serve "$svc" --count 2 -- tr a-z A-Z &
spid=$!
for word in hello mailbox; do
	reply=$(mboxctl call "$svc" --timeout 20000 "$word")
	say client "called $svc with '$word', reply '$reply'"
	[ "$reply" = "$(echo "$word" | tr a-z A-Z)" ] || fail=1
done
wait $spid || fail=1
if [ "$fail" -eq 0 ]; then
	say main "OK: every job received exactly once, numbered 1 to 5; every call answered"
else
	say main "FAILED"
fi
exit $fail
