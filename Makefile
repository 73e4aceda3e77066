# SPDX-License-Identifier: GPL-2.0
# mbox: build the module, libmbox, the examples and the kselftests, and run
# them in a test VM (qemu TCG booting Debian's kernel with a busybox initramfs).
#
#   make [all]     module, libmbox, examples, selftests
#   make module    module/mbox.ko against the headers of KVER
#   make lib       libmbox (libmbox.so.1, libmbox.a, libmbox.pc)
#   make examples  the demo programs (after lib)
#   make selftests build and install the kselftests into build/kselftest
#   make tools     mboxctl
#   make lint      checkpatch.pl --strict over the module and the uapi header
#   make man       lint the man pages
#   make install   PREFIX=/usr/local DESTDIR=: library, headers, .pc, mboxctl, man
#   make install-test, make dkms-test   host-side packaging tests
#   make run       boot the VM, load mbox.ko, run the demos, unload
#   make check     warnings as errors, sparse, lint, man pages, install and
#                  DKMS tests, kselftests in the VM;
#                  ends with "N passed, N failed, N skipped"
#   make check-some ONLY="mbox:mbox_race_test ..."  only those, quickly
#   make check-debug  the kselftests on a debug kernel (KASAN, lockdep,
#                  kmemleak, UBSAN, ...) built from linux-source-6.12; see
#                  its block at the end
#   make check-kcsan  the same on a KCSAN (data-race detector) kernel
#   make clean
#
# run and check install the Debian packages they need (scripts/install-deps.sh).
# Variables: KVER (kernel to build for and boot; default: newest with both
# image and headers), SMP (vCPUs, default 2), VM_TIMEOUT (seconds per boot).

BUILD		:= $(CURDIR)/build
KSRC		:= $(BUILD)/linux-src
KSFT_DIR	:= $(KSRC)/tools/testing/selftests
KSFT_INSTALL	:= $(BUILD)/kselftest
LIBMBOX_SO	:= libmbox/libmbox.so.1

# Worked out once per make; run and check re-run make after installing
# packages, so a fresh machine gets a value too.
ifeq ($(origin KVER),undefined)
KVER		:= $(shell scripts/kver.sh 2>/dev/null)
endif
KDIR		?= $(firstword $(wildcard /usr/src/linux-headers-$(KVER) /lib/modules/$(KVER)/build))

SMP		?= 2
RUN_TIMEOUT	:= 600
CHECK_TIMEOUT	:= 2700
VM_ENV		= KVER=$(KVER) SMP=$(SMP) BUILD=$(BUILD)

# make check builds the module with W=1 and warnings as errors (libmbox,
# examples and selftests always use -Werror).
ifeq ($(WERROR),1)
MODULE_FLAGS	:= W=1 KCFLAGS=-Werror
endif

MAKEFLAGS	+= --no-print-directory

all: module lib examples tools selftests

deps:
	scripts/install-deps.sh

module:
	@test -n "$(KDIR)" || { echo "no kernel headers for KVER='$(KVER)'; run scripts/install-deps.sh" >&2; exit 1; }
	$(MAKE) -C module KDIR=$(KDIR) $(MODULE_FLAGS)

# Sparse over every module source (C=2). Kbuild only prints its warnings, so
# any "file:line:col: warning/error:" line in its output fails the target.
sparse: module
	@mkdir -p $(BUILD)
	@$(MAKE) -C module KDIR=$(KDIR) C=2 $(MODULE_FLAGS) >$(BUILD)/sparse.log 2>&1; \
	rc=$$?; cat $(BUILD)/sparse.log; \
	if [ $$rc -ne 0 ] || grep -qE ':[0-9]+:[0-9]+: (warning|error):' $(BUILD)/sparse.log; then \
		echo "sparse: FAILED (warnings above)"; exit 1; \
	fi; echo "sparse: clean"

lib:
	$(MAKE) -C libmbox

examples: lib
	$(MAKE) -C examples

# mboxctl, the command-line tool (ipcs/ipcrm style).
tools: lib
	$(MAKE) -C tools/mboxctl

# The kernel's kselftest framework and checkpatch.pl, from linux-source.
framework:
	scripts/ksft-framework.sh $(KSRC)

# selftests/ builds as tools/testing/selftests/mbox with the kernel's own
# Makefile and lib.mk and installs with run_kselftest.sh; libmbox's tests
# join the installed tree as a second collection, "libmbox".
selftests: framework lib
	rm -rf $(KSFT_DIR)/mbox $(KSFT_INSTALL)
	cp -R selftests $(KSFT_DIR)/mbox
	$(MAKE) -C $(KSFT_DIR) TARGETS=mbox KHDR_INCLUDES="-isystem $(CURDIR)/uapi" \
		KSFT_INSTALL_PATH=$(KSFT_INSTALL) install
	@if [ -d libmbox/tests ]; then \
		set -e; \
		$(MAKE) -C libmbox KSFT_DIR=$(KSFT_DIR) tests; \
		tests=$$($(MAKE) -s -C libmbox print-tests); \
		mkdir -p $(KSFT_INSTALL)/libmbox; \
		for t in $$tests; do \
			cp libmbox/$$t $(KSFT_INSTALL)/libmbox/; \
			echo "libmbox:$${t##*/}" >>$(KSFT_INSTALL)/kselftest-list.txt; \
		done; \
		if [ -f libmbox/tests/settings ]; then \
			cp libmbox/tests/settings $(KSFT_INSTALL)/libmbox/; \
		fi; \
		echo "selftests: libmbox collection:" $$tests; \
	fi
	$(MAKE) -C tests/mboxctl KSFT_INSTALL=$(KSFT_INSTALL) install

lint: framework
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --quiet -f \
		$(filter-out %.mod.c,$(wildcard module/*.c)) $(wildcard module/*.h) \
		uapi/linux/mbox.h
	@echo "lint: clean"

# The VM images. Every dynamic program in them brings its shared libraries.
DEMO_FILES	= $(shell find examples -maxdepth 1 -type f \( -perm -u+x -o -name DEMOS \))

initramfs-run: all
	scripts/mkinitramfs.sh $(BUILD)/initramfs-run.cpio.gz \
		scripts/vm-init.sh=/init scripts/guest-demo.sh=/payload.sh \
		module/mbox.ko=/mbox.ko $(LIBMBOX_SO)=/usr/lib/libmbox.so.1 \
		tools/mboxctl/mboxctl=/usr/bin/mboxctl \
		$(foreach f,$(DEMO_FILES),$(f)=/demo/$(notdir $(f)))

initramfs-check:
	@mkdir -p $(BUILD)
	@printf '%s\n' $(ONLY) >$(BUILD)/ksft-tests
	scripts/mkinitramfs.sh $(BUILD)/initramfs-check.cpio.gz \
		scripts/vm-init.sh=/init scripts/guest-kselftest.sh=/payload.sh \
		$(BUILD)/ksft-tests=/ksft-tests \
		module/mbox.ko=/mbox.ko $(KSFT_INSTALL)=/kselftest \
		tools/mboxctl/mboxctl=/usr/bin/mboxctl \
		$(foreach f,$(wildcard $(LIBMBOX_SO)),$(f)=/usr/lib/libmbox.so.1)

# The man pages must lint clean (mandoc -Tlint, man --warnings).
man:
	$(MAKE) -C man check

# PREFIX (default /usr/local) and DESTDIR reach the sub-makes from the
# command line: library, headers (libmbox.h and linux/mbox.h), libmbox.pc,
# mboxctl and the man pages.
install: lib tools
	$(MAKE) -C libmbox install
	$(MAKE) -C tools/mboxctl install
	$(MAKE) -C man install

# Host-side tests: an installed tree builds a program with pkg-config, and
# DKMS builds the module for the installed kernel headers.
install-test:
	tests/install-test.sh

dkms-test:
	tests/dkms-test.sh

# run and check start a new make after installing packages, so that KVER
# is worked out on a machine that has a kernel.
run: deps
	@$(MAKE) run-vm

run-vm: initramfs-run
	$(VM_ENV) VM_TIMEOUT=$(or $(VM_TIMEOUT),$(RUN_TIMEOUT)) \
		scripts/vm-run.sh run $(BUILD)/initramfs-run.cpio.gz

# A fresh build with warnings as errors; then sparse, lint and the VM run,
# each of which is reported even when an earlier one failed. The last line
# is the kselftest count.
check: deps
	@$(MAKE) clean-products
	@$(MAKE) WERROR=1 all
	@failed=; \
	$(MAKE) WERROR=1 sparse || failed="$$failed sparse"; \
	$(MAKE) lint || failed="$$failed lint"; \
	$(MAKE) man || failed="$$failed man"; \
	$(MAKE) install-test || failed="$$failed install-test"; \
	$(MAKE) dkms-test || failed="$$failed dkms-test"; \
	$(MAKE) initramfs-check || exit 1; \
	$(VM_ENV) VM_TIMEOUT=$(or $(VM_TIMEOUT),$(CHECK_TIMEOUT)) \
		scripts/vm-run.sh check $(BUILD)/initramfs-check.cpio.gz || \
		failed="$$failed vm-run"; \
	echo; \
	for f in $$failed; do echo "check: FAILED: $$f (see its messages above)"; done; \
	scripts/ksft-summary.sh $(BUILD)/vm-check.out $(KSFT_INSTALL)/kselftest-list.txt && \
		[ -z "$$failed" ]

# While working on a few suites: build what changed and run only ONLY
# (COLLECTION:PROGRAM words, e.g. ONLY="mbox:mbox_race_test") in the VM,
# without the lint, sparse and packaging steps of make check.
check-some: module lib tools selftests initramfs-check
	@test -n "$(ONLY)" || { echo 'check-some: set ONLY="mbox:mbox_race_test ..."' >&2; exit 2; }
	@$(VM_ENV) VM_TIMEOUT=$(or $(VM_TIMEOUT),$(CHECK_TIMEOUT)) \
		scripts/vm-run.sh check $(BUILD)/initramfs-check.cpio.gz; \
	scripts/ksft-summary.sh $(BUILD)/vm-check.out $(BUILD)/ksft-tests

# Everything built, but not the extracted kernel files (slow to extract).
clean-products:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C module KDIR=$(KDIR) clean; fi
	@for d in libmbox examples tools/mboxctl; do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d clean; fi; \
	done
	rm -rf $(KSFT_DIR)/mbox $(KSFT_INSTALL) $(BUILD)/*.cpio.gz $(BUILD)/vm-* $(BUILD)/sparse.log

clean: clean-products
	rm -rf $(BUILD)

.PHONY: all deps module sparse lib examples tools framework selftests lint \
	man install install-test dkms-test \
	initramfs-run initramfs-check run run-vm check check-some clean-products clean

# ---------------------------------------------------------------------------
# make bench: tools/bench/mbox-bench in the VM, booted once with 1 vCPU (the
# primary table) and once with 2; writes build/bench/results-1cpu.csv and
# results-2cpu.csv, prints both side by side, and plots build/bench/bench.png
# when gnuplot is installed. BENCH_ARGS go to mbox-bench (e.g. "-r 7 -t 300").
# Documentation/benchmarks.rst tells how to read the results.
BENCH_DIR	:= $(BUILD)/bench
BENCH_TIMEOUT	:= 900
BENCH_ARGS	?=

bench: deps
	@$(MAKE) bench-vm

bench-build: module lib
	$(MAKE) -C tools/bench

bench-vm: bench-build
	@mkdir -p $(BENCH_DIR)
	@echo '$(BENCH_ARGS)' >$(BENCH_DIR)/args
	scripts/mkinitramfs.sh $(BUILD)/initramfs-bench.cpio.gz \
		scripts/vm-init.sh=/init scripts/guest-bench.sh=/payload.sh \
		module/mbox.ko=/mbox.ko $(LIBMBOX_SO)=/usr/lib/libmbox.so.1 \
		tools/bench/mbox-bench=/usr/bin/mbox-bench $(BENCH_DIR)/args=/bench-args
	@failed=; for n in 1 2; do \
		KVER=$(KVER) SMP=$$n BUILD=$(BUILD) VM_TIMEOUT=$(or $(VM_TIMEOUT),$(BENCH_TIMEOUT)) \
			scripts/vm-run.sh bench-$${n}cpu $(BUILD)/initramfs-bench.cpio.gz || \
			failed="$$failed $${n}-vCPU"; \
	done; \
	tools/bench/report.sh $(BENCH_DIR) $(BUILD)/vm-bench-1cpu.out \
		$(BUILD)/vm-bench-2cpu.out || failed="$$failed report"; \
	for f in $$failed; do echo "bench: FAILED: $$f (see the messages above)"; done; \
	[ -z "$$failed" ]

.PHONY: bench bench-build bench-vm

# make profile: where the time goes. Boots the VM with PROFILE_SMP vCPUs
# (default 1), runs mbox-bench with PROFILE_ARGS under `perf record -a -g`
# (Debian's linux-perf, cpu-clock sampling) and prints perf's report to
# build/vm-profile.out. Example:
#   make profile PROFILE_ARGS="-m mbox-bounded,pipe -x oneway -s 64 -r 3"
PROFILE_ARGS	?= -m mbox-bounded -x oneway -s 64 -r 3
PROFILE_SMP	?= 1

profile: bench-build
	scripts/install-deps.sh --profile
	@mkdir -p $(BENCH_DIR)
	@echo '$(PROFILE_ARGS)' >$(BENCH_DIR)/profile-args
	scripts/mkinitramfs.sh $(BUILD)/initramfs-profile.cpio.gz \
		scripts/vm-init.sh=/init scripts/guest-profile.sh=/payload.sh \
		module/mbox.ko=/mbox.ko $(LIBMBOX_SO)=/usr/lib/libmbox.so.1 \
		tools/bench/mbox-bench=/usr/bin/mbox-bench \
		$(BENCH_DIR)/profile-args=/profile-args \
		$$(readlink -f /usr/bin/perf)=/usr/bin/perf
	KVER=$(KVER) SMP=$(PROFILE_SMP) BUILD=$(BUILD) MEM=2G \
		VM_TIMEOUT=$(or $(VM_TIMEOUT),$(BENCH_TIMEOUT)) \
		scripts/vm-run.sh profile $(BUILD)/initramfs-profile.cpio.gz

.PHONY: profile

# ---------------------------------------------------------------------------
# make check-debug: the kselftests, then STRESS_PROGS, on a debug kernel.
# scripts/build-debug-kernel.sh builds Debian's linux-source-6.12 with
# scripts/debug-kernel.config (KASAN, lockdep, kmemleak, UBSAN, DEBUG_LIST,
# debugobjects, hung-task detection) in a cache outside the tree, once per
# config and source version. mbox.ko is built against it with warnings as
# errors, from a copy of module/ (module/ keeps its build for KVER). The VM
# boots that kernel, sets a kmemleak baseline, loads the module, runs every
# kselftest and then each program of STRESS_PROGS (packed as /stress/NAME;
# one runs for a bounded time and exits 0 when all went well), unloads the
# module, with kmemleak scans before and after the unload. Any KASAN,
# lockdep, UBSAN, kmemleak, debugobjects, hung-task, WARNING or BUG report
# fails the run. Its outputs go to DEBUG_BUILD, not build/ (libmbox and
# mboxctl are built in the tree, as for make check). Ends with "N passed,
# N failed, N skipped". MBOX_CACHE moves the kernel cache (default
# ~/.cache/mbox); VM_TIMEOUT and SMP apply as for check. Cold (kernel
# build) about 9 minutes on 2 cores, warm about 2.
DEBUG_BUILD	:= $(CURDIR)/build-debug
DEBUG_SRC	:= $(DEBUG_BUILD)/src
DEBUG_TIMEOUT	:= 2700
DEBUG_KCONFIG_EXTRA ?=
DEBUG_KERNEL	:= DEBUG_KCONFIG_EXTRA=$(DEBUG_KCONFIG_EXTRA) scripts/build-debug-kernel.sh
DEBUG_LANE	?= check-debug
STRESS_PROGS	?=

check-debug:
	scripts/install-deps.sh --debug
	@$(MAKE) check-debug-vm

# Builds the kernel, or only prints where it is when it is cached.
debug-kernel:
	$(DEBUG_KERNEL)

# Kbuild finds the uapi header at ../uapi, so the copy keeps that layout.
debug-module: debug-kernel
	rm -rf $(DEBUG_SRC)
	mkdir -p $(DEBUG_SRC)/module
	cp -R uapi $(DEBUG_SRC)/
	cp module/Kbuild module/Makefile $(wildcard module/*.h) \
		$(filter-out %.mod.c,$(wildcard module/*.c)) $(DEBUG_SRC)/module/
	kdir=$$($(DEBUG_KERNEL) --kdir) && \
		$(MAKE) -C $(DEBUG_SRC)/module KDIR=$$kdir W=1 KCFLAGS=-Werror

# The same kselftests (and mboxctl, libmbox) as make check, installed
# under DEBUG_BUILD.
debug-selftests:
	$(MAKE) BUILD=$(DEBUG_BUILD) selftests tools

initramfs-check-debug: debug-module debug-selftests
	scripts/mkinitramfs.sh $(DEBUG_BUILD)/initramfs-check-debug.cpio.gz \
		scripts/vm-init.sh=/init scripts/guest-debug.sh=/payload.sh \
		scripts/guest-debug-hooks.sh=/hooks.sh \
		$(DEBUG_SRC)/module/mbox.ko=/mbox.ko $(DEBUG_BUILD)/kselftest=/kselftest \
		tools/mboxctl/mboxctl=/usr/bin/mboxctl \
		$(foreach f,$(wildcard $(LIBMBOX_SO)),$(f)=/usr/lib/libmbox.so.1) \
		$(foreach f,$(STRESS_PROGS),$(f)=/stress/$(notdir $(f)))
	cp $(DEBUG_BUILD)/kselftest/kselftest-list.txt $(DEBUG_BUILD)/check-debug-list.txt
	@for f in $(STRESS_PROGS); do \
		echo "stress:$${f##*/}" >>$(DEBUG_BUILD)/check-debug-list.txt; \
	done

check-debug-vm: initramfs-check-debug
	@image=$$($(DEBUG_KERNEL) --image) || exit 1; \
	failed=; \
	KERNEL_IMAGE=$$image SMP=$(SMP) BUILD=$(DEBUG_BUILD) $(DEBUG_VM_ENV) \
	VM_TIMEOUT=$(or $(VM_TIMEOUT),$(DEBUG_TIMEOUT)) \
		scripts/vm-run.sh check-debug $(DEBUG_BUILD)/initramfs-check-debug.cpio.gz || \
		failed=1; \
	echo; \
	if [ -n "$$failed" ]; then \
		echo "$(DEBUG_LANE): FAILED: vm-run (kernel reports, payload, unload or kmemleak: see above)"; \
	fi; \
	grep -hE '^# # (stress: total|faults: [0-9]+ injected|fuzz: [0-9]+ calls|fault storm:)' \
		$(DEBUG_BUILD)/vm-check-debug.out | sed 's/^# # /$(DEBUG_LANE): /'; \
	scripts/ksft-summary.sh $(DEBUG_BUILD)/vm-check-debug.out \
		$(DEBUG_BUILD)/check-debug-list.txt && [ -z "$$failed" ]

clean-debug:
	rm -rf $(DEBUG_BUILD) $(KCSAN_BUILD)

# make check-kcsan: the same run on a second debug kernel that has KCSAN,
# the data-race detector, in place of KASAN (the two cannot share a
# kernel): scripts/kcsan-kernel.config merged over the fragment above,
# cached beside it. A data race reported in mbox.ko fails the run; reports
# that involve only the kernel's own code are listed in
# build-kcsan/vm-check-debug.kcsan-other and not judged. Outputs go to
# build-kcsan/. Cold about 10 minutes, warm about 3.
KCSAN_BUILD	:= $(CURDIR)/build-kcsan

check-kcsan:
	scripts/install-deps.sh --debug
	@$(MAKE) DEBUG_BUILD=$(KCSAN_BUILD) DEBUG_LANE=check-kcsan \
		DEBUG_KCONFIG_EXTRA=$(CURDIR)/scripts/kcsan-kernel.config \
		DEBUG_VM_ENV=KCSAN_MBOX_ONLY=1 check-debug-vm

.PHONY: check-debug debug-kernel debug-module debug-selftests initramfs-check-debug \
	check-debug-vm clean-debug check-kcsan
