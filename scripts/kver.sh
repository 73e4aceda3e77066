#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernel version the project builds against and boots in the test VM:
# the newest one that has both a kernel image in /boot (for qemu -kernel) and a
# kbuild tree (to build mbox.ko for exactly that kernel). Fails if there is none.
set -euo pipefail

versions=()
for img in /boot/vmlinuz-*; do
	[ -e "$img" ] || continue
	v=${img#/boot/vmlinuz-}
	for kdir in "/usr/src/linux-headers-$v" "/lib/modules/$v/build"; do
		if [ -f "$kdir/Makefile" ]; then
			versions+=("$v")
			break
		fi
	done
done

if [ ${#versions[@]} -eq 0 ]; then
	echo "kver.sh: no kernel has both /boot/vmlinuz-VER and its headers" \
	     "(/usr/src/linux-headers-VER or /lib/modules/VER/build);" \
	     "run scripts/install-deps.sh" >&2
	exit 1
fi
printf '%s\n' "${versions[@]}" | sort -V | tail -n 1
