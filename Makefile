# SPDX-License-Identifier: GPL-2.0
# mbox: build the module, libmbox, the examples and the kselftests, and run
# them in a test VM (qemu TCG booting Debian's kernel with a busybox initramfs).
# This file builds; the test VM runs live in scripts/mk/*.mk, included at
# the end.
#
#   make [all]     module, libmbox, examples, selftests
#   make module    module/mbox.ko against the headers of KVER
#   make lib       libmbox (libmbox.so.1, libmbox.a, libmbox.pc)
#   make examples  the demo programs (after lib)
#   make selftests build and install the kselftests into build/kselftest
#   make tools     mboxctl and mbox-bridge
#   make lint      checkpatch.pl --strict over the module and the uapi header
#   make man       lint the man pages
#   make contract  check every document that restates a fact against its
#                  source (scripts/check-contract.sh)
#   make install   PREFIX=/usr/local DESTDIR=: library, headers, .pc, mboxctl, man
#   make install-test, make dkms-test   host-side packaging tests
#   make run       boot the VM, load mbox.ko, run the demos, unload
#   make check     warnings as errors, sparse, lint, man pages, contract,
#                  install and DKMS tests, kselftests in the VM;
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
LIBMBOX_MQ_SO	:= libmbox-mq/libmbox-mq.so.1

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
	$(MAKE) -C libmbox-mq

examples: lib
	$(MAKE) -C examples

# mboxctl, the command-line tool (ipcs/ipcrm style), and mbox-bridge.
tools: lib
	$(MAKE) -C tools/mboxctl
	$(MAKE) -C tools/mbox-bridge

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
	@set -e; for lib in libmbox libmbox-mq; do \
		$(MAKE) -C $$lib KSFT_DIR=$(KSFT_DIR) tests; \
		tests=$$($(MAKE) -s -C $$lib print-tests); \
		mkdir -p $(KSFT_INSTALL)/$$lib; \
		for t in $$tests; do \
			cp $$lib/$$t $(KSFT_INSTALL)/$$lib/; \
			echo "$$lib:$${t##*/}" >>$(KSFT_INSTALL)/kselftest-list.txt; \
		done; \
		for t in $$($(MAKE) -s -C $$lib print-helpers 2>/dev/null); do \
			cp $$lib/$$t $(KSFT_INSTALL)/$$lib/; \
		done; \
		if [ -f $$lib/tests/settings ]; then \
			cp $$lib/tests/settings $(KSFT_INSTALL)/$$lib/; \
		fi; \
		echo "selftests: $$lib collection:" $$tests; \
	done
	$(MAKE) -C tests/mboxctl KSFT_INSTALL=$(KSFT_INSTALL) install
	$(MAKE) -C tests/bridge KSFT_INSTALL=$(KSFT_INSTALL) install

lint: framework
	$(KSRC)/scripts/checkpatch.pl --strict --no-tree --quiet -f \
		$(filter-out %.mod.c,$(wildcard module/*.c)) $(wildcard module/*.h) \
		uapi/linux/mbox.h
	@echo "lint: clean"

# The man pages must lint clean (mandoc -Tlint, man --warnings).
man:
	$(MAKE) -C man check

# Documents against the sources they restate (uapi header, module/mbox.h
# limits, show.c's table, function names); kernel-doc comes with framework.
contract: framework
	scripts/check-contract.sh $(KSRC)

# PREFIX (default /usr/local) and DESTDIR reach the sub-makes from the
# command line: library, headers (libmbox.h and linux/mbox.h), libmbox.pc,
# mboxctl, mbox-bridge (with its systemd unit and an example configuration)
# and the man pages.
install: lib tools
	$(MAKE) -C libmbox install
	$(MAKE) -C libmbox-mq install
	$(MAKE) -C tools/mboxctl install
	$(MAKE) -C tools/mbox-bridge install
	$(MAKE) -C man install

# Host-side tests: an installed tree builds a program with pkg-config, and
# DKMS builds the module for the installed kernel headers.
install-test:
	tests/install-test.sh

dkms-test:
	tests/dkms-test.sh

# Everything built, but not the extracted kernel files (slow to extract).
clean-products:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C module KDIR=$(KDIR) clean; fi
	@for d in libmbox libmbox-mq examples tools/mboxctl tools/mbox-bridge; do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d clean; fi; \
	done
	rm -rf $(KSFT_DIR)/mbox $(KSFT_INSTALL) $(BUILD)/*.cpio.gz $(BUILD)/vm-* $(BUILD)/sparse.log

clean: clean-products
	rm -rf $(BUILD)

.PHONY: all deps module sparse lib examples tools framework selftests lint \
	man contract install install-test dkms-test clean-products clean

# Running things in the test VM: the demo and make check (vm.mk), the
# benchmarks and profiling (bench.mk), the debug-kernel lanes (debug.mk).
include scripts/mk/vm.mk scripts/mk/bench.mk scripts/mk/debug.mk
