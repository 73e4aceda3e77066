#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the test VM need, then print the
# kernel version (KVER) they will use. Idempotent, and quick when everything
# is there: apt is only touched when dpkg says something is missing.
#
#   install-deps.sh [--debug] [--profile] [--bench]
#
# --debug: also what `make check-debug` needs to build its debug kernel
# (scripts/build-debug-kernel.sh).
# --profile: also perf, which `make profile` runs inside the VM.
# --bench: also gnuplot, which `make bench` plots its results with.
set -euo pipefail

debug=0
profile=0
bench=0
for arg in "$@"; do
	case "$arg" in
	--debug) debug=1 ;;
	--profile) profile=1 ;;
	--bench) bench=1 ;;
	*) echo "usage: $0 [--debug] [--profile] [--bench]" >&2; exit 2 ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)

pkgs=(
	build-essential			# gcc, make, libc headers
	gcc-multilib			# -m32 builds for compat_ioctl tests
	pkgconf				# pkg-config, to check libmbox.pc
	flex bison bc libelf-dev	# what kbuild may need for a kernel build
	sparse				# make check: C=2 pass over the module
	perl				# checkpatch.pl
	rsync				# kselftest lib.mk installs with rsync
	xz-utils			# the linux-source tarball
	linux-source-6.1		# kselftest framework and checkpatch.pl
	qemu-system-x86			# the test VM (TCG)
	busybox-static			# the VM's userland
	cpio gzip			# the VM's initramfs
	kmod				# modinfo on the host
	mandoc man-db			# make man: lint the man pages
	dkms				# make dkms-test
	coreutils			# timeout (host, and copied into the VM)
	linux-image-amd64		# the kernel the VM boots...
	linux-headers-amd64		# ...and the headers mbox.ko builds against
	libnats-dev			# mbox-bridge's NATS client
	nats-server			# the bridge tests' JetStream, in the VM
)
if [ "$debug" -eq 1 ]; then
	pkgs+=(linux-source-6.12)	# the debug kernel's source
fi
if [ "$profile" -eq 1 ]; then
	pkgs+=(linux-perf)		# perf, copied into the VM
fi
if [ "$bench" -eq 1 ]; then
	pkgs+=(gnuplot-nox)		# make bench's plot
fi

# Packages dpkg does not report as installed. A package dpkg has never
# heard of prints nothing here, so it stays missing.
missing=()
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null |
	    awk '$2 == "installed" { print $1 }') || true
for p in "${pkgs[@]}"; do
	grep -qxF "$p" <<<"$installed" || missing+=("$p")
done

# The image and headers metapackages go into one apt call, so apt resolves
# them to one kernel version and the module matches the kernel the VM boots.
case " ${missing[*]} " in
*" linux-image-amd64 "* | *" linux-headers-amd64 "*)
	for p in linux-image-amd64 linux-headers-amd64; do
		case " ${missing[*]} " in *" $p "*) ;; *) missing+=("$p") ;; esac
	done
	;;
esac

if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

kver=$("$here/kver.sh")
echo "install-deps: packages present; KVER=$kver"
