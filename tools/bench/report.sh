#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host side of `make bench`: cut each boot's CSV out of the guest output,
# print the 1-vCPU and 2-vCPU results side by side, and plot them.
#
#   report.sh OUTDIR OUT_1CPU OUT_2CPU
#
# OUT_* are the payload outputs vm-run.sh saved (build/vm-bench-Ncpu.out).
# Writes OUTDIR/results-1cpu.csv, OUTDIR/results-2cpu.csv and, if gnuplot
# is installed, OUTDIR/bench.png. Exits non-zero if a boot produced no CSV.
set -uo pipefail

if [ $# -ne 3 ]; then
	echo "usage: $0 OUTDIR OUT_1CPU OUT_2CPU" >&2
	exit 2
fi
outdir=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir"

status=0
csvs=()
for n in 1 2; do
	src=$2
	[ "$n" -eq 2 ] && src=$3
	csv=$outdir/results-${n}cpu.csv
	rm -f "$csv"
	if [ -f "$src" ]; then
		tr -d '\r' <"$src" | sed -n '/^BENCH-CSV-BEGIN$/,/^BENCH-CSV-END$/p' |
			grep -v '^BENCH-CSV-' >"$csv"
	fi
	if [ -s "$csv" ]; then
		csvs+=("$csv")
	else
		echo "bench: no results from the ${n}-vCPU boot (see $src)" >&2
		rm -f "$csv"
		status=1
	fi
done
[ ${#csvs[@]} -gt 0 ] || exit 1

# One row per metric, size and mechanism; the MB/s of one-way throughput
# joins its msg/s row. Ratios: times as fast as the best non-mbox mechanism
# of the same round (>1: mbox won), median [min-max] over the rounds.
echo
echo "mbox-bench: medians over the rounds; ratio = times as fast as the best non-mbox"
echo "mechanism of the same round (>1: faster than every peer), median [min-max]."
echo "Absolute numbers describe the emulator (qemu TCG); compare ratios within a boot."
echo
awk -F, '
FNR == 1 { next }
{
	v = $1; key = $2 "," $3 "," $4
	if ($2 == "oneway_bw") { mbs[v "," $2 "," $3 "," $4] = $5; next }
	if (!(key in seen)) { seen[key] = 1; order[++n] = key; unit[key] = $6 }
	med[v "," key] = $5
	rat[v "," key] = ($7 == "" ? "-" : sprintf("%.2f [%.2f-%.2f]", $7, $8, $9))
	vcpus[v] = 1
}
function num(x) {
	if (x == "" ) return "-"
	if (x !~ /^[0-9.e+-]+$/) return x
	return x >= 1000 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x)
}
function human(s) { return s % 1024 == 0 && s >= 1024 ? (s / 1024) "K" : s }
END {
	printf "%-8s %5s  %-16s %-6s | %10s %-18s %9s | %10s %-18s\n", "", "", "", "", \
		"1 vCPU", "", "", "2 vCPUs", ""
	printf "%-8s %5s  %-16s %-6s | %10s %-18s %9s | %10s %-18s\n", "metric", "size", \
		"mechanism", "unit", "median", "ratio [min-max]", "MB/s", "median", "ratio [min-max]"
	last = ""
	for (i = 1; i <= n; i++) {
		key = order[i]; split(key, k, ",")
		if (last != "" && k[1] != last) print ""
		last = k[1]
		bw = (k[1] == "oneway" && ("1,oneway_bw," k[2] "," k[3]) in mbs) ? \
			num(mbs["1,oneway_bw," k[2] "," k[3]]) : ""
		printf "%-8s %5s  %-16s %-6s | %10s %-18s %9s | %10s %-18s\n", k[1], human(k[2]), \
			k[3], unit[key], num(med["1," key]), ("1," key) in rat ? rat["1," key] : "-", bw, \
			num(med["2," key]), ("2," key) in rat ? rat["2," key] : "-"
	}
}' "${csvs[@]}"
echo
for c in "${csvs[@]}"; do echo "bench: wrote $c"; done

# The bridge against plain NATS (scripts/bridge-bench.sh), per boot: the
# median of each, and the bridge's overhead as a ratio (>1: the bridge is
# that many times slower than a plain client doing the same).
for n in 1 2; do
	src=$2
	[ "$n" -eq 2 ] && src=$3
	bcsv=$outdir/bridge-${n}cpu.csv
	[ -f "$src" ] || continue
	tr -d '\r' <"$src" | sed -n '/^BRIDGE-CSV-BEGIN$/,/^BRIDGE-CSV-END$/p' |
		grep -v '^BRIDGE-CSV-' >"$bcsv"
	[ -s "$bcsv" ] || { rm -f "$bcsv"; continue; }
	echo
	echo "mbox-bridge against plain NATS, $n vCPU(s) (medians; overhead >1: bridge slower):"
	awk -F, 'NR > 1 { k = $2 "," $3; v[k "," $4] = v[k "," $4] " " $5; u[k] = $6
		if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
	function median(s,   a, m, i, j, t) {
		m = split(s, a, " ")
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return m ? (m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2) : 0
	}
	END {
		printf "%-7s %5s %12s %12s %-6s %9s\n", "metric", "size", "nats", "mbox-bridge", "unit", "overhead"
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, f, ",")
			a = median(v[k ",nats"]); b = median(v[k ",mbox-bridge"])
			o = (u[k] == "us") ? (a ? b / a : 0) : (b ? a / b : 0)
			printf "%-7s %5s %12.1f %12.1f %-6s %9.2f\n", f[1], f[2], a, b, u[k], o
		}
	}' "$bcsv"
	echo "bench: wrote $bcsv"
done

if command -v gnuplot >/dev/null 2>&1; then
	if gnuplot -e "dir='$outdir'" "$here/../../scripts/bench-plot.gnuplot"; then
		echo "bench: wrote $outdir/bench.png"
	else
		echo "bench: gnuplot failed; no plot" >&2
	fi
else
	echo "bench: gnuplot is not installed: no plot (apt-get install gnuplot-nox for one)"
fi
exit $status
