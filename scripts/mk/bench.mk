# SPDX-License-Identifier: GPL-2.0
# Included by the root Makefile: make bench and make profile.
# make bench: tools/bench/mbox-bench in the VM, booted once with 1 vCPU (the
# primary table) and once with 2; writes build/bench/results-1cpu.csv and
# results-2cpu.csv, prints both side by side, and plots build/bench/bench.png
# with gnuplot (installed with the rest). BENCH_ARGS go to mbox-bench (e.g. "-r 7 -t 300").
# Documentation/benchmarks.rst tells how to read the results.
BENCH_DIR	:= $(BUILD)/bench
BENCH_TIMEOUT	:= 900
BENCH_ARGS	?=

bench:
	scripts/install-deps.sh --bench
	@$(MAKE) bench-vm

bench-build: module lib tools
	$(MAKE) -C tools/bench

# The bridge's benchmark (scripts/bridge-bench.sh) and what it runs.
BRIDGE_BENCH_FILES = scripts/bridge-bench.sh=/usr/bin/bridge-bench.sh \
	tools/mbox-bridge/mbox-bridge=/usr/bin/mbox-bridge \
	tools/mbox-bridge/tests/bridge_bench=/usr/bin/bridge_bench \
	tools/mboxctl/mboxctl=/usr/bin/mboxctl \
	$(if $(NATS_SERVER),$(NATS_SERVER)=/usr/bin/nats-server)
NATS_SERVER = $(shell command -v nats-server 2>/dev/null)

bench-vm: bench-build
	@mkdir -p $(BENCH_DIR)
	@echo '$(BENCH_ARGS)' >$(BENCH_DIR)/args
	scripts/mkinitramfs.sh $(BUILD)/initramfs-bench.cpio.gz \
		scripts/vm-init.sh=/init scripts/guest-bench.sh=/payload.sh \
		module/mbox.ko=/mbox.ko $(LIBMBOX_SO)=/usr/lib/libmbox.so.1 \
		$(LIBMBOX_MQ_SO)=/usr/lib/libmbox-mq.so.1 \
		tools/bench/mbox-bench=/usr/bin/mbox-bench $(BENCH_DIR)/args=/bench-args \
		$(BRIDGE_BENCH_FILES)
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
		$(LIBMBOX_MQ_SO)=/usr/lib/libmbox-mq.so.1 \
		tools/bench/mbox-bench=/usr/bin/mbox-bench \
		$(BENCH_DIR)/profile-args=/profile-args \
		$$(readlink -f /usr/bin/perf)=/usr/bin/perf
	KVER=$(KVER) SMP=$(PROFILE_SMP) BUILD=$(BUILD) MEM=2G \
		VM_TIMEOUT=$(or $(VM_TIMEOUT),$(BENCH_TIMEOUT)) \
		scripts/vm-run.sh profile $(BUILD)/initramfs-profile.cpio.gz

.PHONY: profile
