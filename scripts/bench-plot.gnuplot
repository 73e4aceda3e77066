# SPDX-License-Identifier: GPL-2.0
# `make bench`'s plot: round trip latency and one-way throughput by message
# size, per mechanism, for the 1-vCPU and the 2-vCPU boot.
#   gnuplot -e "dir='build/bench'" scripts/bench-plot.gnuplot
# reads dir/results-1cpu.csv and dir/results-2cpu.csv (either may be
# missing), writes dir/bench.png.
if (!exists("dir")) dir = "build/bench"

set terminal pngcairo size 1400,1000 font ",10"
set output dir."/bench.png"
set logscale x 2
set logscale y 10
set xrange [5:100000]
set xtics ("8 B" 8, "64 B" 64, "4 KiB" 4096, "64 KiB" 65536)
set grid
set key outside right top
set pointsize 1.2

csv(n) = dir."/results-".n."cpu.csv"
exists_file(f) = system("test -s '".f."' && echo 1 || echo 0") + 0
mechs(f) = system("awk -F, 'NR > 1 && !s[$4]++ { printf \"%s \", $4 }' '".f."'")
# The rows of one metric and mechanism with a number, as "size value".
rows(f, metric, mech) = sprintf("< awk -F, '$2 == \"%s\" && $4 == \"%s\" && $5 ~ /^[0-9]/ { print $3, $5 }' '%s'", metric, mech, f)

set multiplot layout 2,2 title "mbox-bench under qemu TCG (medians; absolute numbers describe the emulator)"
do for [n in "1 2"] {
	f = csv(n)
	if (exists_file(f)) {
		m = mechs(f)
		set title sprintf("round trip latency, %s vCPU (lower is better)", n)
		set ylabel "us per round trip"
		plot for [mech in m] rows(f, "rtt", mech) using 1:2 with linespoints title mech
		set title sprintf("one-way throughput, %s vCPU (higher is better)", n)
		set ylabel "messages/s"
		plot for [mech in m] rows(f, "oneway", mech) using 1:2 with linespoints title mech
	} else {
		set title sprintf("%s vCPU: no results", n)
		unset key
		plot NaN notitle
		plot NaN notitle
		set key
	}
}
unset multiplot
