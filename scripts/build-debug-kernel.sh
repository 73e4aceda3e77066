#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug kernel that `make check-debug` boots: Debian's
# linux-source-6.12, `make tinyconfig` plus scripts/debug-kernel.config
# (KASAN, lockdep, kmemleak, UBSAN, ...), bzImage and the kbuild tree an
# out-of-tree module builds against.
#
#   build-debug-kernel.sh           build unless cached; print image and KDIR
#   build-debug-kernel.sh --image   print the bzImage path (no build; fails
#   build-debug-kernel.sh --kdir    print the KDIR           if not built)
#
# Everything lives in a cache outside the repository, MBOX_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/mbox):
#   linux-source-VER/              the extracted tarball, shared by builds
#   debug-kernel-VER-KEY/          one build (make O=), which is also KDIR
# VER is the linux-source-6.12 package version; KEY hashes the fragment, the
# compiler version and RECIPE below. A finished build carries a stamp, and a
# run that finds it does nothing. Older builds stay until the cache is removed.
# The build log is debug-kernel-VER-KEY/build.log.
#
# Installs linux-source-6.12 (scripts/install-deps.sh --debug) if missing.
# Environment: MBOX_CACHE, DEBUG_KCONFIG (the fragment), DEBUG_KCONFIG_EXTRA
# (a second fragment merged over the first, e.g. scripts/kcsan-kernel.config:
# its lines win, and the first fragment's lines for options it names are
# not required to survive), JOBS (default nproc).
set -euo pipefail

# Bump when the steps below change what gets built.
RECIPE=1
SRCPKG=linux-source-6.12
TARBALL=/usr/src/$SRCPKG.tar.xz

here=$(cd "$(dirname "$0")" && pwd)
frag=${DEBUG_KCONFIG:-$here/debug-kernel.config}
cache=${MBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mbox}
jobs=${JOBS:-$(nproc)}
mode=build
case "${1:-}" in
"") ;;
--image | --kdir) mode=${1#--} ;;
*) echo "usage: $0 [--image|--kdir]" >&2; exit 2 ;;
esac

die() { echo "build-debug-kernel: $*" >&2; exit 1; }

[ -r "$frag" ] || die "no config fragment $frag"
frag=$(cd "$(dirname "$frag")" && pwd)/$(basename "$frag")
extra=${DEBUG_KCONFIG_EXTRA:-}
if [ -n "$extra" ]; then
	[ -r "$extra" ] || die "no config fragment $extra"
	extra=$(cd "$(dirname "$extra")" && pwd)/$(basename "$extra")
fi

if [ ! -e "$TARBALL" ]; then
	[ "$mode" = build ] || die "$SRCPKG is not installed; run $0"
	"$here/install-deps.sh" --debug >&2
	[ -e "$TARBALL" ] || die "$SRCPKG installed but $TARBALL is missing"
fi
ver=$(dpkg-query -W -f='${Version}' "$SRCPKG" 2>/dev/null) || ver=
[ -n "$ver" ] || die "cannot tell the version of $SRCPKG"
ver=${ver//[~:]/_}
key=$({ echo "recipe $RECIPE"; gcc --version | head -n 1; cat "$frag" ${extra:+"$extra"}; } |
	sha256sum | cut -c1-12)
src=$cache/linux-source-$ver
out=$cache/debug-kernel-$ver-$key
image=$out/arch/x86/boot/bzImage
stamp=$out/.mbox-built

report() {
	echo "build-debug-kernel: image $image"
	echo "build-debug-kernel: KDIR  $out"
}

case "$mode" in
image | kdir)
	[ -f "$stamp" ] || die "no finished build in $out; run $0"
	if [ "$mode" = image ]; then echo "$image"; else echo "$out"; fi
	exit 0
	;;
esac

mkdir -p "$cache"
# One build at a time per cache: a second caller waits, then finds the stamp.
exec 9>"$cache/.lock"
flock 9

if [ -f "$stamp" ] && [ -f "$image" ]; then
	echo "build-debug-kernel: cached ($SRCPKG $ver, config key $key)"
	report
	exit 0
fi

start=$SECONDS
if [ ! -f "$src/.mbox-extracted" ]; then
	echo "build-debug-kernel: extracting $TARBALL into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$TARBALL" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.mbox-extracted"
	mv "$src.tmp" "$src"
fi

rm -rf "$out"
mkdir -p "$out"
log=$out/build.log
kmake() { make -C "$src" O="$out" "$@" >>"$log" 2>&1; }
failed() {
	tail -n 40 "$log" >&2
	die "$1 failed; full log: $log"
}

echo "build-debug-kernel: configuring ($SRCPKG $ver, $(basename "$frag")${extra:+ + $(basename "$extra")}, key $key)"
# ARCH=x86_64: allnoconfig cannot switch 64BIT off, so tinyconfig's
# defaults are those of a 64-bit kernel (e.g. FRAME_WARN). The later steps
# run with the default ARCH=x86 and keep 64BIT from the .config.
kmake ARCH=x86_64 tinyconfig || failed "make tinyconfig"
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" ${extra:+"$extra"} \
	>>"$log" 2>&1 || failed "merge_config.sh"
kmake olddefconfig || failed "make olddefconfig"

# Kconfig drops a requested option whose dependencies are not met without
# a word: every line of the fragments must be in the final .config, the
# second fragment's for the options it names.
missing=()
# The option a fragment line sets ("CONFIG_X=..." or "# CONFIG_X is not set").
line_opt() {
	local o=${1#\# }
	echo "${o%%[= ]*}"
}
check_line() {
	local line=$1 opt
	case "$line" in
	CONFIG_*=*)
		grep -qxF -- "$line" "$out/.config" || missing+=("$line")
		;;
	"# CONFIG_"*" is not set")
		opt=$(line_opt "$line")
		if grep -q "^$opt=" "$out/.config"; then missing+=("$line"); fi
		;;
	esac
}
while IFS= read -r line; do
	case "$line" in
	CONFIG_* | "# CONFIG_"*" is not set")
		if [ -n "$extra" ] &&
		   grep -qE "^(# )?$(line_opt "$line")[= ]" "$extra"; then
			continue
		fi
		;;
	esac
	check_line "$line"
done <"$frag"
if [ -n "$extra" ]; then
	while IFS= read -r line; do check_line "$line"; done <"$extra"
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "build-debug-kernel: these options of $frag ${extra:+and $extra }did not survive" \
	     "olddefconfig (unmet dependencies?):" >&2
	for line in "${missing[@]}"; do
		opt=${line#\# }
		opt=${opt%%[= ]*}
		got=$(grep -E "^(# )?${opt}[= ]" "$out/.config" || echo "absent")
		echo "  wanted: $line    got: $got" >&2
	done
	exit 1
fi

# bzImage for qemu; `modules` writes the Module.symvers an out-of-tree
# module links against (this kernel has no modules of its own).
echo "build-debug-kernel: building bzImage with $jobs jobs (log: $log)"
kmake -j"$jobs" bzImage || failed "make bzImage"
kmake -j"$jobs" modules || failed "make modules"
[ -f "$image" ] || die "no $image after the build"
[ -f "$out/Module.symvers" ] || die "no Module.symvers after make modules"

echo "$SRCPKG $ver key $key built $(date -u +%FT%TZ) in $((SECONDS - start))s" >"$stamp"
echo "build-debug-kernel: built in $((SECONDS - start))s"
report
