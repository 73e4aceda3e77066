#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test VM's initramfs: busybox-static with its applet links, the
# given files, and every shared library the given programs need.
#
#   mkinitramfs.sh OUT.cpio.gz SRC=DEST...
#
# Each SRC (file or directory, symlinks followed) is copied to DEST inside the
# image; scripts/vm-init.sh=/init is what makes it boot. Dynamic ELF files are
# resolved with ldd and their libraries and loader copied to the same paths.
# A library ldd cannot find on the host (libmbox.so.1 when it is not
# installed) is fine if the image already has it.
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 OUT.cpio.gz SRC=DEST..." >&2
	exit 2
fi
out=$1
shift

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp's 0700 would become the guest's /, closed to the test users.
chmod 755 "$root"

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,home/mboxuser}

# busybox provides the userland; link every applet where busybox expects it.
cp /bin/busybox "$root/bin/busybox"
# Not its init (nor linuxrc): if /init cannot run, the kernel should find no
# init, panic and end qemu instead of busybox waiting for a keypress.
for applet in $(/bin/busybox --list-full); do
	case "$applet" in sbin/init | linuxrc) continue ;; esac
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
# The kselftest runner needs coreutils' timeout (busybox's has no
# --foreground); it replaces the applet link.
cp --remove-destination "$(command -v timeout)" "$root/usr/bin/timeout"

for arg in "$@"; do
	src=${arg%%=*}
	dest=${arg#*=}
	if [ "$src" = "$arg" ] || [ -z "$dest" ]; then
		echo "mkinitramfs: bad argument '$arg' (want SRC=DEST)" >&2
		exit 2
	fi
	mkdir -p "$root/$(dirname "$dest")"
	cp -RL "$src" "$root/$dest"
done

# Shared libraries: ldd every dynamic ELF file in the image (ldd fails on
# anything else, such as scripts and static busybox).
declare -A want=()
while IFS= read -r -d '' f; do
	deps=$(ldd "$f" 2>/dev/null) || continue
	while read -r line; do
		case "$line" in
		*"=> not found"*)
			lib=${line%% *}
			if [ -z "$(find "$root" -name "$lib" -print -quit)" ]; then
				echo "mkinitramfs: $f needs $lib, which is not on the host or in the image" >&2
				exit 1
			fi
			;;
		*"=> /"*) lib=${line#*=> }; want[${lib%% (*}]=1 ;;
		/*) want[${line%% (*}]=1 ;;	# the dynamic loader
		esac
	done <<<"$deps"
done < <(find "$root" -type f -print0)

# glibc opens libgcc_s at run time to unwind a thread (pthread_exit(),
# pthread_cancel()), which ldd cannot see: without it such a program aborts.
if [ ${#want[@]} -gt 0 ]; then
	# awk reads to the end: an early exit would kill ldconfig with
	# SIGPIPE, which pipefail and set -e turn into this script's failure.
	gcc_s=$(ldconfig -p 2>/dev/null |
		awk '/libgcc_s\.so\.1 .*x86-64/ && !p { p = $NF } END { print p }')
	[ -n "$gcc_s" ] && want[$gcc_s]=1
fi

for lib in "${!want[@]}"; do
	[ -e "$root$lib" ] && continue
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --quiet -o -0 -H newc -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(du -h "$out" | cut -f1))"
