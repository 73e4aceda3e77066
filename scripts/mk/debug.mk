# SPDX-License-Identifier: GPL-2.0
# Included by the root Makefile: make check-debug and make check-kcsan.
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
		$(foreach f,$(wildcard $(LIBMBOX_MQ_SO)),$(f)=/usr/lib/libmbox-mq.so.1) \
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
# cached beside it. A data race with a racing access in mbox.ko fails the
# run; races between the kernel's own accesses are listed in
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
