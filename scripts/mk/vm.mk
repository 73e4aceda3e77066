# SPDX-License-Identifier: GPL-2.0
# Included by the root Makefile: the test VM's images, make run, make check
# and make check-some. Uses the root Makefile's variables (BUILD, KSFT_*,
# KVER, SMP, VM_ENV, ...).

# The VM images. Every dynamic program in them brings its shared libraries.
DEMO_FILES	= $(shell find examples -maxdepth 1 -type f \( -perm -u+x -o -name DEMOS \))

initramfs-run: module lib examples tools
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
		$(foreach f,$(wildcard $(LIBMBOX_SO)),$(f)=/usr/lib/libmbox.so.1) \
		$(foreach f,$(wildcard $(LIBMBOX_MQ_SO)),$(f)=/usr/lib/libmbox-mq.so.1)

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
	$(MAKE) contract || failed="$$failed contract"; \
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

.PHONY: initramfs-run initramfs-check run run-vm check check-some
