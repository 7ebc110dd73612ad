# ptbench: one non-recursive Makefile.  `make help` lists the targets.
# Quiet by default; `make V=1` shows every command.

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
.DEFAULT_GOAL := all

V ?= 0
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif

CC      ?= gcc
BUILD   := build
ASAN    := $(BUILD)/asan
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages `make deps` installs: everything the build, the tests and the bench
# need on a new Debian 12 machine (.ci/run proves it in a root made fresh by mmdebstrap).
# libtracefs-dev is named although libtracecmd.pc requires libtracefs: Debian's
# libtracecmd-dev does not depend on it.  git: the commit in every result.
# openssh-*: the bench's --sshlogin test starts a real sshd on 127.0.0.1.
# trace-cmd: make bench-speed's anchor (trace-cmd report of the same trace.dat).
# qemu-system-arm (qemu-system-aarch64) + gcc-aarch64-linux-gnu: the arm64 lab, whose
# kernel, headers and busybox come from the arm64 archive (dpkg --add-architecture arm64).
# zstd: Debian 13's 6.12 bzImage is zstd-compressed (scripts/lab/vmlinux.sh); its kernel,
# headers, kbuild and source come from trixie through scripts/lab/apt-suite.sh (build/apt/),
# modpost and objtool rebuilt from that source with gcc and libelf-dev.  Debian 11's 5.10
# comes from bullseye the same way, its own kbuild tools kept; Debian unstable's 7.2 from
# unstable, its tools rebuilt as trixie's.
DEB_PKGS := build-essential pkg-config git libcmocka-dev zlib1g-dev libssl-dev \
            libtraceevent-dev libtracefs-dev libtracecmd-dev clang libclang-rt-14-dev valgrind \
            gnuplot-nox hyperfine parallel python3 \
            qemu-system-x86 busybox-static cpio xz-utils e2fsprogs libdrm-dev \
            linux-headers-amd64 qemu-system-arm gcc-aarch64-linux-gnu zstd \
            bpftool libbpf-dev libelf-dev \
            openssh-client openssh-server trace-cmd

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla -Wno-unused-parameter
# trace.dat is read with Debian's libtracecmd + libtraceevent (workloads/tracedat.c);
# a trace's SHA-256 is libcrypto's (libssl-dev; workloads/trace_input.c).
# Their flags are read quietly here (`make deps` and `make help` must work before the
# packages exist); every object depends on pkg-check, which stops the build with
# pkg-config's own message when one is missing.
TRACE_PKGS   := libtracecmd libtraceevent libcrypto
TRACE_CFLAGS := $(shell pkg-config --cflags $(TRACE_PKGS) 2>/dev/null)
TRACE_LIBS   := $(shell pkg-config --libs $(TRACE_PKGS) 2>/dev/null)
CPPFLAGS_ALL := -D_GNU_SOURCE -I. -I$(BUILD) -Iallocators -Iallocators/mm -Iiommu -Iharness -Iworkloads \
                $(TRACE_CFLAGS)
CFLAGS_ALL   := -std=c11 -g -O2 $(WARN) -MMD -MP
LDLIBS_ALL   := $(TRACE_LIBS) -lz -lm
TEST_LDLIBS  := -lcmocka
SAN_FLAGS    := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Every .c file under these folders is part of the ptbench library, except the
# command's main() and the files of other programs (tests, fuzzers, kernel module).
LIB_SRCS := $(sort $(wildcard allocators/*.c allocators/mm/*.c iommu/*.c harness/*.c \
                              workloads/*.c workloads/synth/*.c))
LIB_SRCS := $(filter-out harness/main.c,$(LIB_SRCS))
MAIN_SRC := harness/main.c
TEST_SRCS  := $(sort $(wildcard tests/test_*.c))
# End-to-end tests: shell scripts that run ptbench as a user would (tests/cli/lib.sh).
CLI_TESTS  := $(sort $(wildcard tests/cli/test_*.sh))
BENCH_SRCS := $(sort $(wildcard tests/bench/bench_*.c))

LIB_OBJS      := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB_OBJS_SAN  := $(LIB_SRCS:%.c=$(ASAN)/%.o)
TEST_BINS     := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_BINS_SAN := $(TEST_SRCS:tests/%.c=$(ASAN)/tests/%)
BENCH_BINS    := $(BENCH_SRCS:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all help deps check test test-normal test-asan bench report bench-mm bench-replay bench-speed clean FORCE pkg-check

# The commit the binary is built from goes into every result (provenance).
PTB_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell \
              git diff --quiet HEAD -- 2>/dev/null || echo -dirty)
$(BUILD)/commit.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define PTB_COMMIT "$(PTB_COMMIT)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/harness/version.o $(ASAN)/harness/version.o: $(BUILD)/commit.h

all: $(BUILD)/ptbench ## build build/ptbench

help: ## list the targets
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

deps: ## install every Debian package the project needs (apt-get, as root; idempotent)
	@dpkg --print-foreign-architectures | grep -qx arm64 || { \
	  echo "deps: dpkg --add-architecture arm64 (the arm64 lab's kernel, headers, busybox)"; \
	  dpkg --add-architecture arm64 && apt-get update -q; }
	@if dpkg-query -W -f='$${Status}\n' $(DEB_PKGS) 2>/dev/null | \
	    grep -vq 'install ok installed' || \
	    [ $$(dpkg-query -W -f='$${Status}\n' $(DEB_PKGS) 2>/dev/null | wc -l) -lt $(words $(DEB_PKGS)) ]; then \
	  echo "deps: installing $(DEB_PKGS)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_PKGS); \
	else echo "deps: all $(words $(DEB_PKGS)) packages already installed"; fi
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab-arm64 arm64
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab-6.12 amd64 6.12
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab-arm64-6.12 arm64 6.12
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab-5.10 amd64 5.10
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab-arm64-5.10 arm64 5.10
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab-7.2 amd64 7.2
	$(Q)scripts/lab/kernel.sh $(BUILD)/lab-arm64-7.2 arm64 7.2

# Order-only and phony: it runs on every build, yet never makes an object stale.
pkg-check:
	@pkg-config --print-errors --exists $(TRACE_PKGS) || \
	  { echo "pkg-config: $(TRACE_PKGS) not usable (above): run 'make deps'" >&2; exit 1; }

$(BUILD)/%.o: %.c | pkg-check
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(ASAN)/%.o: %.c | pkg-check
	$(call msg,CC-SAN,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(SAN_FLAGS) -DPTB_DEBUG=1 $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libptbench.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(ASAN)/libptbench.a: $(LIB_OBJS_SAN)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/ptbench: $(BUILD)/harness/main.o $(BUILD)/libptbench.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) $(LDLIBS)

$(ASAN)/ptbench: $(ASAN)/harness/main.o $(ASAN)/libptbench.a
	$(call msg,LD-SAN,$@)
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS_ALL) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libptbench.a
	$(call msg,LD,$@)
	$(Q)$(CC) -o $@ $^ $(TEST_LDLIBS) $(LDLIBS_ALL)

$(ASAN)/tests/%: $(ASAN)/tests/%.o $(ASAN)/libptbench.a
	$(call msg,LD-SAN,$@)
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(TEST_LDLIBS) $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(BUILD)/libptbench.a
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^ $(LDLIBS_ALL)

# Test objects are built with debug checks on (PTB_DEBUG) in both builds.
$(BUILD)/tests/%.o: CPPFLAGS += -DPTB_DEBUG=1

test: ## build and run every test twice: plain, then with ASan+UBSan (JOBS programs at a time)
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $(TEST_BINS) $(TEST_BINS_SAN) $(BUILD)/ptbench $(ASAN)/ptbench $(FUZZ_BINS) \
	  $(BUILD)/ptrec $(BUILD)/ptrec-static $(ASAN)/ptrec
	$(Q)FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_JOBS=$(JOBS) RUN_TESTS_JOBS=$(JOBS) \
	  scripts/run-tests.sh $(TEST_BINS) $(CLI_TESTS) tests/fuzz/smoke.sh -- $(TEST_BINS_SAN) $(CLI_TESTS)

# The edit loop: the C unit tests, plain build, no lab kernel, qemu, BPF or CLI scripts.
check: ## the unit tests alone, plain build, in seconds (make test is the full gate)
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $(TEST_BINS)
	$(Q)RUN_TESTS_JOBS=$(JOBS) scripts/run-tests.sh $(TEST_BINS)

test-normal: $(TEST_BINS) $(BUILD)/ptbench ## run the tests without sanitizers
	$(Q)scripts/run-tests.sh $(TEST_BINS) $(CLI_TESTS)

test-asan: $(TEST_BINS_SAN) $(ASAN)/ptbench ## run the tests with ASan+UBSan only
	$(Q)scripts/run-tests.sh -- $(TEST_BINS_SAN) $(CLI_TESTS)

# The comparison matrix, sweeps, hyperfine, plots and REPORT.md (scripts/bench/bench.py).
# QUICK=1: a smoke run in under a minute.  SSHLOGIN=host1,host2: spread the jobs (GNU parallel),
# quoted as one word: an sshlogin may be a whole ssh command ("4/ssh -p 2222 user@host").
bench: $(BUILD)/ptbench ## run the comparison matrix, plot it, regenerate REPORT.md (QUICK=1: smoke run)
	$(Q)python3 scripts/bench/bench.py --jobs $(JOBS) $(if $(QUICK),--quick) $(if $(SSHLOGIN),--sshlogin '$(SSHLOGIN)')

report: $(BUILD)/ptbench ## your traces through every backend: make report TRACES="a.trace b.trace.dat" OUT=DIR [SEEDS=N]
	$(if $(TRACES),,$(error make report: TRACES="file ..." is required))
	$(if $(OUT),,$(error make report: OUT=DIR is required))
	$(Q)python3 scripts/bench/bench.py --jobs $(JOBS) --traces '$(TRACES)' --results '$(OUT)' \
		--report '$(OUT)/REPORT.md' $(if $(SEEDS),--seeds $(SEEDS))

bench-mm: $(BUILD)/bench/bench_mm ## time order-0 alloc/free pairs and the machine's host memory
	$(Q)$(BUILD)/bench/bench_mm

# 1M events of 5.17-format ftrace text (135 MB, generated, never committed) and its .ptb.
BENCH_EVENTS := 1000000
$(BUILD)/bench/big.ftrace: scripts/gen-ftrace.py
	$(call msg,GEN,$@)
	@mkdir -p $(dir $@)
	$(Q)python3 scripts/gen-ftrace.py $(BENCH_EVENTS) 2000 1 > $@.tmp && mv $@.tmp $@
$(BUILD)/bench/big.ptb: $(BUILD)/bench/big.ftrace $(BUILD)/ptbench
	$(call msg,CONVERT,$@)
	$(Q)$(BUILD)/ptbench convert $< -o $@ >/dev/null
bench-replay: $(BUILD)/bench/bench_replay $(BUILD)/bench/big.ftrace $(BUILD)/bench/big.ptb ## MB/s of ftrace parsing, events/s of .ptb replay per backend
	$(Q)$(BUILD)/bench/bench_replay $(BUILD)/bench/big.ftrace $(BUILD)/bench/big.ptb
# Ratios, each against its anchor in the same hyperfine run (scripts/bench/speed.sh).
bench-speed: $(BUILD)/ptbench $(BUILD)/bench/big.ftrace $(BUILD)/bench/big.ptb ## replay vs stat, stat vs grep -c, trace.dat vs trace-cmd report, all backends vs one (hyperfine ratios)
	$(Q)scripts/bench/speed.sh $(BUILD)/ptbench $(BUILD)/bench/big.ftrace $(BUILD)/bench/big.ptb tests/data/host-sched.trace.dat

# ---- libFuzzer targets, one per trace reader (tests/fuzz/, tests/README.md) ----
# clang only; the readers (workloads/*.c) are rebuilt with clang and
# -fsanitize=fuzzer-no-link in build/fuzz/.  libtracecmd itself is Debian's,
# uninstrumented: its crashes are caught, its branches are not guided.
FUZZ_CC            ?= clang
FUZZ               := $(BUILD)/fuzz
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_SAN     := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ)/%)
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ)/%.o,$(sort $(wildcard workloads/*.c)))
.PHONY: fuzz fuzz-smoke

$(FUZZ)/%.o: %.c | pkg-check
	$(call msg,CC-FUZZ,$<)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(CPPFLAGS_ALL) -Itests/fuzz -std=c11 $(WARN) -MMD -MP $(FUZZ_SAN) \
	  -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ)/libreaders.a: $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ)/fuzz_%: $(FUZZ)/tests/fuzz/fuzz_%.o $(FUZZ)/tests/fuzz/input.o $(FUZZ)/libreaders.a
	$(call msg,LD-FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

# fuzz_replay drives `ptbench replay` whole: the whole library, rebuilt with clang.
FUZZ_ALL_OBJS := $(LIB_SRCS:%.c=$(FUZZ)/%.o)
$(FUZZ)/libptbench.a: $(FUZZ_ALL_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ)/fuzz_replay: $(FUZZ)/tests/fuzz/fuzz_replay.o $(FUZZ)/libptbench.a
	$(call msg,LD-FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

fuzz: $(FUZZ_BINS) ## run every fuzz target FUZZ_SECONDS (default 60) each, JOBS at a time
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS) $(JOBS) $(FUZZ_BINS)

fuzz-smoke: $(FUZZ_BINS) ## every fuzz target FUZZ_SMOKE_SECONDS (default 10) on its corpus (in make test)
	$(Q)FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) FUZZ_JOBS=$(JOBS) tests/fuzz/smoke.sh

-include $(FUZZ_ALL_OBJS:.o=.d) $(FUZZ)/tests/fuzz/input.d $(FUZZ_SRCS:%.c=$(FUZZ)/%.d)

# ---- the qemu lab (scripts/lab/README.md): Debian's 6.1 kernel under TCG ----
LAB := $(BUILD)/lab
.PHONY: lab-kernel lab-record lab-test
lab-kernel: ## fetch Debian 12's current 6.1 kernel package into build/lab (vmlinux + modules)
	$(Q)scripts/lab/kernel.sh $(LAB)
lab-kernel-arm64: ## fetch Debian 12's arm64 6.1 kernel, headers, kbuild, busybox into build/lab-arm64
	$(Q)scripts/lab/kernel.sh $(LAB)-arm64 arm64
.PHONY: lab-kernel-arm64
lab-kernel-6.12: ## fetch Debian 13's 6.12 kernel, headers, kbuild, source (trixie) into build/lab-6.12
	$(Q)scripts/lab/kernel.sh $(LAB)-6.12 amd64 6.12
.PHONY: lab-kernel-6.12
lab-kernel-arm64-6.12: ## fetch Debian 13's arm64 6.12 kernel, headers, kbuild, source (trixie) into build/lab-arm64-6.12
	$(Q)scripts/lab/kernel.sh $(LAB)-arm64-6.12 arm64 6.12
.PHONY: lab-kernel-arm64-6.12
lab-kernel-7.2: ## fetch Debian unstable's 7.2 kernel, headers, kbuild, source into build/lab-7.2
	$(Q)scripts/lab/kernel.sh $(LAB)-7.2 amd64 7.2
.PHONY: lab-kernel-7.2
lab-kernel-arm64-7.2: ## fetch Debian unstable's arm64 7.2 kernel, headers, kbuild, source into build/lab-arm64-7.2
	$(Q)scripts/lab/kernel.sh $(LAB)-arm64-7.2 arm64 7.2
.PHONY: lab-kernel-arm64-7.2
# The lab test boots the kernel: make test fails (never skips) without it.
test test-normal test-asan: lab-kernel lab-kernel-arm64 lab-kernel-6.12 lab-kernel-arm64-6.12
test test-normal test-asan: lab-kernel-5.10 lab-kernel-arm64-5.10
test test-normal test-asan: lab-kernel-7.2 lab-kernel-arm64-7.2

$(LAB)/drm-dumb: scripts/lab/drm-dumb.c
	$(call msg,CC-STATIC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 $(WARN) -static -I/usr/include/libdrm -o $@ $<

lab-record: lab-kernel $(LAB)/drm-dumb $(BUILD)/ptbench $(BUILD)/ptrec-static ## record workloads/traces/ (tracefs + ptrec) in the lab (q35 + intel-iommu)
	$(Q)scripts/lab/record.sh -k $(LAB) -o workloads/traces -p $(BUILD)/ptbench -r $(BUILD)/ptrec-static

lab-test: lab-kernel $(BUILD)/ptbench $(BUILD)/ptrec-static ## boot the q35 lab guest, ptrec + tracefs side by side (tests/cli/test_lab.sh alone)
	$(Q)scripts/run-tests.sh tests/cli/test_lab.sh

# ---- ptrec, the libbpf recorder (workloads/recorder/README.md) ----
# vmlinux.h is dumped from the BUILD machine's kernel BTF; CO-RE relocates the
# object to the kernel it runs on.  The BPF object is linked by bpftool (which
# drops its DWARF, keeps its BTF) and embedded in the binary by the skeleton.
# workloads/recorder/ is not in LIB_SRCS: ptrec.c has its own main().
BPFTOOL     ?= bpftool
BPF_CLANG   ?= clang
PTREC       := workloads/recorder
PTREC_ARCH  := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
PTREC_OBJS  := $(patsubst %.c,$(BUILD)/%.o,$(filter-out %.bpf.c,$(sort $(wildcard $(PTREC)/*.c))))
PTREC_LIBS  := -lbpf -lelf -lz
.PHONY: ptrec ptrec-static

$(BUILD)/vmlinux.h:
	$(call msg,BTF,$@)
	@mkdir -p $(dir $@)
	$(Q)test -r /sys/kernel/btf/vmlinux || { echo "ptrec: /sys/kernel/btf/vmlinux: this kernel has no BTF to build against" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(BUILD)/ptrec.bpf.o: $(PTREC)/ptrec.bpf.c $(PTREC)/ptrec.h $(BUILD)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(BPF_CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(PTREC_ARCH) -I$(BUILD) -I$(PTREC) \
	  -Wall -Werror -c $< -o $@.tmp.o
	$(Q)$(BPFTOOL) gen object $@ $@.tmp.o && rm -f $@.tmp.o

$(BUILD)/ptrec.skel.h: $(BUILD)/ptrec.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name ptrec_bpf > $@

$(BUILD)/$(PTREC)/ptrec.o $(ASAN)/$(PTREC)/ptrec.o: $(BUILD)/ptrec.skel.h

$(BUILD)/ptrec: $(PTREC_OBJS) $(BUILD)/libptbench.a
	$(call msg,LD,$@)
	$(Q)$(CC) -o $@ $^ $(PTREC_LIBS)

$(BUILD)/ptrec-static: $(PTREC_OBJS) $(BUILD)/libptbench.a
	$(call msg,LD-STATIC,$@)
	$(Q)$(CC) -static -s -o $@ $^ $(PTREC_LIBS)

# tests/cli/test_ptrec.sh runs it in make test's ASan+UBSan pass (libbpf itself is not instrumented).
$(ASAN)/ptrec: $(PTREC_OBJS:$(BUILD)/%=$(ASAN)/%) $(ASAN)/libptbench.a
	$(call msg,LD-SAN,$@)
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(PTREC_LIBS)

ptrec: $(BUILD)/ptrec ## build build/ptrec, the libbpf recorder (needs /sys/kernel/btf/vmlinux)
ptrec-static: $(BUILD)/ptrec-static ## build build/ptrec-static, the same linked -static (for a minimal guest or device)

-include $(PTREC_OBJS:.o=.d) $(PTREC_OBJS:$(BUILD)/%.o=$(ASAN)/%.d)

clean: ## remove build/
	$(Q)rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(LIB_OBJS_SAN:.o=.d) $(BUILD)/harness/main.d $(ASAN)/harness/main.d \
         $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%.d) $(TEST_SRCS:tests/%.c=$(ASAN)/tests/%.d)

# ---- the oracle kernel module (kmod/): the model's v7s.c + iommu.c with the ----
# ---- real allocators of the lab's Debian 6.1 kernel, built against its headers      ----
KMOD      := $(BUILD)/kmod
KMOD_SRCS := iommu/v7s.c iommu/v7s_rules.c iommu/iommu.c allocators/mm/prng.c allocators/mm/watermark.c \
             allocators/pt_backends.c workloads/ptb_decode.c harness/sample_clock.c $(sort $(wildcard kmod/*.c))
KMOD_DEPS := $(KMOD_SRCS) $(wildcard kmod/*.h kmod/shim/*.h) kmod/Kbuild \
             iommu/v7s.h iommu/iommu.h allocators/mm/prng.h allocators/mm/kver.h allocators/mm/watermark.h \
             allocators/pt_backends.h workloads/ptb.h workloads/ptb_decode.h workloads/trace.h \
             harness/sample_clock.h
.PHONY: kmod
kmod: $(KMOD)/ptb_oracle.ko ## build the oracle kernel module (build/kmod/ptb_oracle.ko) for the lab kernel
$(KMOD)/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB) >/dev/null
	$(call msg,KMOD,$@)
	$(Q)kdir=/usr/src/linux-headers-$$(cat $(LAB)/kver); \
	  [ -d "$$kdir" ] || { echo "kmod: $$kdir missing: run 'make deps' (linux-headers-amd64)" >&2; exit 1; }; \
	  mkdir -p $(KMOD) && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$(KMOD)/$$(basename $$f)"; done; \
	  $(MAKE) --no-print-directory -C "$$kdir" M="$(CURDIR)/$(KMOD)" PTB_SRC="$(CURDIR)" \
	    $(if $(filter 1,$(V)),V=1) modules >$(KMOD)/build.log 2>&1 || { cat $(KMOD)/build.log >&2; exit 1; }

# The same module cross-built for the arm64 lab (ptbench oracle --arch arm64): against
# Debian's arm64 headers, unpacked by kernel-arm64.sh with the host's own linux-kbuild-6.1
# of the same version (amd64 fixdep, modpost), and aarch64-linux-gnu-gcc-12.
LAB_ARM64  := $(LAB)-arm64
KMOD_ARM64 := $(BUILD)/kmod-arm64
KMAKE_ARM64 = $(MAKE) --no-print-directory -C "$(LAB_ARM64)/kroot/usr/src/linux-headers-$$(cat $(LAB_ARM64)/kver)" \
	ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- PTB_SRC="$(CURDIR)" $(if $(filter 1,$(V)),V=1) modules
.PHONY: kmod-arm64
kmod-arm64: $(KMOD_ARM64)/ptb_oracle.ko ## cross-build the oracle module for the arm64 lab kernel (build/kmod-arm64/)
$(KMOD_ARM64)/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64) arm64 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)mkdir -p $(KMOD_ARM64) && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$(KMOD_ARM64)/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64) M="$(CURDIR)/$(KMOD_ARM64)" >$(KMOD_ARM64)/build.log 2>&1 || \
	  { cat $(KMOD_ARM64)/build.log >&2; exit 1; }

# The same module for Debian 13's 6.12 (ptbench oracle --kernel 6.12): against its
# headers, unpacked by kernel-suite.sh with modpost and objtool rebuilt for this host.
# That kernel was built by gcc-14, the host has gcc-12: CC=gcc-12, and two of its
# gcc-14 configuration facts are overridden for this build only: -fmin-function-alignment
# (CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT; the kernel Makefile then aligns functions with
# -falign-functions=16 instead, as for any older compiler) and module BTF
# (CONFIG_DEBUG_INFO_BTF_MODULES: needs trixie's pahole; the module loads without it).
LAB_612  := $(LAB)-6.12
KMOD_612 := $(BUILD)/kmod-6.12
KMAKE_612 = $(MAKE) --no-print-directory -C "$(LAB_612)/kroot/usr/src/linux-headers-$$(cat $(LAB_612)/kver)" \
	CC=gcc-12 CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= CONFIG_DEBUG_INFO_BTF_MODULES= \
	PTB_SRC="$(CURDIR)" $(if $(filter 1,$(V)),V=1) modules
.PHONY: kmod-6.12
kmod-6.12: $(KMOD_612)/ptb_oracle.ko ## build the oracle module for Debian 13's 6.12 (build/kmod-6.12/)
$(KMOD_612)/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_612) amd64 6.12 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)mkdir -p $(KMOD_612) && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$(KMOD_612)/$$(basename $$f)"; done; \
	  $(KMAKE_612) M="$(CURDIR)/$(KMOD_612)" >$(KMOD_612)/build.log 2>&1 || \
	  { cat $(KMOD_612)/build.log >&2; exit 1; }

# The kernel's own io-pgtable-arm-v7s.c (Debian's linux-source-6.1, one file extracted
# at build time, never committed) in ptb_v7s_ref.ko: the reference L2 op sequence.
KMOD_REF := $(BUILD)/kmod-ref
.PHONY: kmod-ref
kmod-ref: $(KMOD_REF)/ptb_v7s_ref.ko ## build the reference module around the kernel's own io-pgtable-arm-v7s.c
$(KMOD_REF)/io-pgtable-arm-v7s.c:
	$(call msg,EXTRACT,$@)
	$(Q)rm -rf $(KMOD_REF)/deb && mkdir -p $(KMOD_REF)/deb && cd $(KMOD_REF)/deb && \
	  apt-get download -q linux-source-6.1 >download.log 2>&1 || { cat download.log >&2; exit 1; }
	$(Q)dpkg-deb --fsys-tarfile $(KMOD_REF)/deb/linux-source-6.1_*.deb | \
	  tar -xO --wildcards './usr/src/linux-source-6.1.tar.*' | xz -dc | \
	  tar -xO 'linux-source-6.1/drivers/iommu/io-pgtable-arm-v7s.c' >$@.tmp && mv $@.tmp $@
	$(Q)rm -rf $(KMOD_REF)/deb
KMOD_REF_SRCS := kmod/ref_v7s.c kmod/oracle_debugfs.c kmod/oracle_trace.c workloads/ptb_decode.c
$(KMOD_REF)/ptb_v7s_ref.ko: $(KMOD_REF)/io-pgtable-arm-v7s.c $(KMOD_REF_SRCS) kmod/oracle.h kmod/Kbuild.ref \
                           workloads/ptb.h workloads/ptb_decode.h workloads/trace.h allocators/mm/kver.h \
                           allocators/pt_backends.h
	$(Q)sh scripts/lab/kernel.sh $(LAB) >/dev/null
	$(call msg,KMOD,$@)
	$(Q)kdir=/usr/src/linux-headers-$$(cat $(LAB)/kver); \
	  [ -d "$$kdir" ] || { echo "kmod-ref: $$kdir missing: run 'make deps' (linux-headers-amd64)" >&2; exit 1; }; \
	  ln -sf "$(CURDIR)/kmod/Kbuild.ref" $(KMOD_REF)/Kbuild; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$(KMOD_REF)/$$(basename $$f)"; done; \
	  $(MAKE) --no-print-directory -C "$$kdir" M="$(CURDIR)/$(KMOD_REF)" PTB_SRC="$(CURDIR)" \
	    $(if $(filter 1,$(V)),V=1) modules >$(KMOD_REF)/build.log 2>&1 || { cat $(KMOD_REF)/build.log >&2; exit 1; }

# The same reference module for the arm64 lab (oracle.sh -A arm64 -R): the extracted file is
# shared with kmod-ref (arm64's config has no IOMMU_IO_PGTABLE_ARMV7S either).
KMOD_REF_ARM64 := $(BUILD)/kmod-ref-arm64
.PHONY: kmod-ref-arm64
kmod-ref-arm64: $(KMOD_REF_ARM64)/ptb_v7s_ref.ko ## cross-build the reference module for the arm64 lab kernel
$(KMOD_REF_ARM64)/ptb_v7s_ref.ko: $(KMOD_REF)/io-pgtable-arm-v7s.c $(KMOD_REF_SRCS) kmod/oracle.h kmod/Kbuild.ref \
                                 workloads/ptb.h workloads/ptb_decode.h workloads/trace.h allocators/mm/kver.h \
                                 allocators/pt_backends.h
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64) arm64 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)mkdir -p $(KMOD_REF_ARM64) && ln -sf "$(CURDIR)/kmod/Kbuild.ref" $(KMOD_REF_ARM64)/Kbuild; \
	  ln -sf "$(CURDIR)/$(KMOD_REF)/io-pgtable-arm-v7s.c" $(KMOD_REF_ARM64)/io-pgtable-arm-v7s.c; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$(KMOD_REF_ARM64)/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64) M="$(CURDIR)/$(KMOD_REF_ARM64)" >$(KMOD_REF_ARM64)/build.log 2>&1 || \
	  { cat $(KMOD_REF_ARM64)/build.log >&2; exit 1; }

# The model against the real 6.1 kernel on every recorded trace, small.ptb and a synthetic one.
# GUESTS=x86:6.1,x86:6.12,arm64:6.1,arm64:6.12: against each of those kernels (default x86:6.1);
# x86:5.10 and arm64:5.10 too (Debian 11's), x86:7.2 and arm64:7.2 (Debian unstable's).
GUESTS ?= x86:6.1
.PHONY: fidelity
fidelity: $(BUILD)/ptbench ## model vs real kernel (ptbench oracle) on every trace: results/fidelity.md, .csv, plots (GUESTS=x86:6.1,x86:6.12,arm64:6.1,arm64:6.12,x86:5.10,arm64:5.10,x86:7.2,arm64:7.2)
	$(Q)python3 scripts/fidelity.py --out results --ptbench $(BUILD)/ptbench --guests $(GUESTS)

# The reference module on 6.12: that version's own io-pgtable-arm-v7s.c, which
# kernel-suite.sh keeps from linux-source-6.12 (build/lab-6.12/io-pgtable-arm-v7s.c).
KMOD_REF_612 := $(BUILD)/kmod-ref-6.12
.PHONY: kmod-ref-6.12
kmod-ref-6.12: $(KMOD_REF_612)/ptb_v7s_ref.ko ## build the reference module for Debian 13's 6.12
$(KMOD_REF_612)/ptb_v7s_ref.ko: $(KMOD_REF_SRCS) kmod/oracle.h kmod/Kbuild.ref \
                               workloads/ptb.h workloads/ptb_decode.h workloads/trace.h allocators/mm/kver.h \
                               allocators/pt_backends.h
	$(Q)sh scripts/lab/kernel.sh $(LAB_612) amd64 6.12 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)mkdir -p $(KMOD_REF_612) && ln -sf "$(CURDIR)/kmod/Kbuild.ref" $(KMOD_REF_612)/Kbuild; \
	  ln -sf "$(CURDIR)/$(LAB_612)/io-pgtable-arm-v7s.c" $(KMOD_REF_612)/io-pgtable-arm-v7s.c; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$(KMOD_REF_612)/$$(basename $$f)"; done; \
	  $(KMAKE_612) M="$(CURDIR)/$(KMOD_REF_612)" >$(KMOD_REF_612)/build.log 2>&1 || \
	  { cat $(KMOD_REF_612)/build.log >&2; exit 1; }

# The same two modules cross-built for Debian 13's arm64 6.12 (ptbench oracle --arch arm64
# --kernel 6.12): its headers with the amd64 kbuild tools kernel-suite.sh rebuilt, the
# host's aarch64-linux-gnu-gcc-12, the same two gcc-14 facts overridden as for x86 6.12.
LAB_ARM64_612  := $(LAB)-arm64-6.12
KMAKE_ARM64_612 = $(MAKE) --no-print-directory -C "$(LAB_ARM64_612)/kroot/usr/src/linux-headers-$$(cat $(LAB_ARM64_612)/kver)" \
	ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC=aarch64-linux-gnu-gcc-12 \
	CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= CONFIG_DEBUG_INFO_BTF_MODULES= \
	PTB_SRC="$(CURDIR)" $(if $(filter 1,$(V)),V=1) modules
.PHONY: kmod-arm64-6.12 kmod-ref-arm64-6.12
kmod-arm64-6.12: $(BUILD)/kmod-arm64-6.12/ptb_oracle.ko ## cross-build the oracle module for Debian 13's arm64 6.12
$(BUILD)/kmod-arm64-6.12/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64_612) arm64 6.12 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-arm64-6.12; mkdir -p $$d && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64_612) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
kmod-ref-arm64-6.12: $(BUILD)/kmod-ref-arm64-6.12/ptb_v7s_ref.ko ## cross-build the reference module for Debian 13's arm64 6.12
$(BUILD)/kmod-ref-arm64-6.12/ptb_v7s_ref.ko: $(KMOD_REF_SRCS) kmod/oracle.h kmod/Kbuild.ref \
                                           workloads/ptb.h workloads/ptb_decode.h workloads/trace.h allocators/mm/kver.h \
                                           allocators/pt_backends.h
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64_612) arm64 6.12 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-ref-arm64-6.12; mkdir -p $$d && ln -sf "$(CURDIR)/kmod/Kbuild.ref" $$d/Kbuild; \
	  ln -sf "$(CURDIR)/$(LAB_ARM64_612)/io-pgtable-arm-v7s.c" $$d/io-pgtable-arm-v7s.c; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64_612) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }

# The same two modules for Debian 11's 5.10 (ptbench oracle --kernel 5.10, x86 and arm64):
# against its headers, unpacked by kernel-suite.sh with bullseye's own kbuild tools (they
# run on this host as packaged).  That kernel was built by gcc-10, which its Makefile names
# (CC=gcc-10): CC=gcc-12 (aarch64-linux-gnu-gcc-12) instead, the host's; 5.10's kbuild
# checks no compiler version.
LAB_510       := $(LAB)-5.10
LAB_ARM64_510 := $(LAB)-arm64-5.10
KMAKE_510 = $(MAKE) --no-print-directory -C "$(LAB_510)/kroot/usr/src/linux-headers-$$(cat $(LAB_510)/kver)" \
	CC=gcc-12 PTB_SRC="$(CURDIR)" $(if $(filter 1,$(V)),V=1) modules
KMAKE_ARM64_510 = $(MAKE) --no-print-directory -C "$(LAB_ARM64_510)/kroot/usr/src/linux-headers-$$(cat $(LAB_ARM64_510)/kver)" \
	ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC=aarch64-linux-gnu-gcc-12 PTB_SRC="$(CURDIR)" $(if $(filter 1,$(V)),V=1) modules
KMOD_REF_DEPS := $(KMOD_REF_SRCS) kmod/oracle.h kmod/Kbuild.ref workloads/ptb.h workloads/ptb_decode.h \
                 workloads/trace.h allocators/mm/kver.h allocators/pt_backends.h
.PHONY: lab-kernel-5.10 lab-kernel-arm64-5.10 kmod-5.10 kmod-ref-5.10 kmod-arm64-5.10 kmod-ref-arm64-5.10
lab-kernel-5.10: ## fetch Debian 11's 5.10 kernel, headers, kbuild, source (bullseye) into build/lab-5.10
	$(Q)scripts/lab/kernel.sh $(LAB_510) amd64 5.10
lab-kernel-arm64-5.10: ## fetch Debian 11's arm64 5.10 kernel, headers, kbuild, source (bullseye) into build/lab-arm64-5.10
	$(Q)scripts/lab/kernel.sh $(LAB_ARM64_510) arm64 5.10
kmod-5.10: $(BUILD)/kmod-5.10/ptb_oracle.ko ## build the oracle module for Debian 11's 5.10 (build/kmod-5.10/)
$(BUILD)/kmod-5.10/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_510) amd64 5.10 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-5.10; mkdir -p $$d && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_510) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
kmod-ref-5.10: $(BUILD)/kmod-ref-5.10/ptb_v7s_ref.ko ## build the reference module around 5.10's own io-pgtable-arm-v7s.c
$(BUILD)/kmod-ref-5.10/ptb_v7s_ref.ko: $(KMOD_REF_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_510) amd64 5.10 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-ref-5.10; mkdir -p $$d && ln -sf "$(CURDIR)/kmod/Kbuild.ref" $$d/Kbuild; \
	  ln -sf "$(CURDIR)/$(LAB_510)/io-pgtable-arm-v7s.c" $$d/io-pgtable-arm-v7s.c; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_510) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
kmod-arm64-5.10: $(BUILD)/kmod-arm64-5.10/ptb_oracle.ko ## cross-build the oracle module for Debian 11's arm64 5.10
$(BUILD)/kmod-arm64-5.10/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64_510) arm64 5.10 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-arm64-5.10; mkdir -p $$d && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64_510) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
kmod-ref-arm64-5.10: $(BUILD)/kmod-ref-arm64-5.10/ptb_v7s_ref.ko ## cross-build the reference module for Debian 11's arm64 5.10
$(BUILD)/kmod-ref-arm64-5.10/ptb_v7s_ref.ko: $(KMOD_REF_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64_510) arm64 5.10 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-ref-arm64-5.10; mkdir -p $$d && ln -sf "$(CURDIR)/kmod/Kbuild.ref" $$d/Kbuild; \
	  ln -sf "$(CURDIR)/$(LAB_ARM64_510)/io-pgtable-arm-v7s.c" $$d/io-pgtable-arm-v7s.c; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64_510) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
# The same two modules for Debian unstable's 7.2 (ptbench oracle --kernel 7.2): its headers,
# unpacked by kernel-suite.sh with modpost and objtool rebuilt for this host.  That kernel
# was built by gcc-16 (linux-headers-7.2.*-amd64 depends on gcc-16-for-host), the host has
# gcc-12: the same two gcc-14+ configuration facts as 6.12 are overridden for this build only.
LAB_72  := $(LAB)-7.2
KMAKE_72 = $(MAKE) --no-print-directory -C "$(LAB_72)/kroot/usr/src/linux-headers-$$(cat $(LAB_72)/kver)" \
	CC=gcc-12 CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= CONFIG_DEBUG_INFO_BTF_MODULES= \
	PTB_SRC="$(CURDIR)" $(if $(filter 1,$(V)),V=1) modules
.PHONY: kmod-7.2 kmod-ref-7.2
kmod-7.2: $(BUILD)/kmod-7.2/ptb_oracle.ko ## build the oracle module for Debian unstable's 7.2 (build/kmod-7.2/)
$(BUILD)/kmod-7.2/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_72) amd64 7.2 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-7.2; mkdir -p $$d && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_72) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
kmod-ref-7.2: $(BUILD)/kmod-ref-7.2/ptb_v7s_ref.ko ## build the reference module for Debian unstable's 7.2
$(BUILD)/kmod-ref-7.2/ptb_v7s_ref.ko: $(KMOD_REF_SRCS) kmod/oracle.h kmod/Kbuild.ref \
                           workloads/ptb.h workloads/ptb_decode.h workloads/trace.h allocators/mm/kver.h \
                           allocators/pt_backends.h
	$(Q)sh scripts/lab/kernel.sh $(LAB_72) amd64 7.2 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-ref-7.2; mkdir -p $$d && ln -sf "$(CURDIR)/kmod/Kbuild.ref" $$d/Kbuild; \
	  ln -sf "$(CURDIR)/$(LAB_72)/io-pgtable-arm-v7s.c" $$d/io-pgtable-arm-v7s.c; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_72) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }

# The same two modules cross-built for unstable's arm64 7.2 (ptbench oracle --arch arm64
# --kernel 7.2), as for arm64 6.12.
LAB_ARM64_72  := $(LAB)-arm64-7.2
KMAKE_ARM64_72 = $(MAKE) --no-print-directory -C "$(LAB_ARM64_72)/kroot/usr/src/linux-headers-$$(cat $(LAB_ARM64_72)/kver)" \
	ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC=aarch64-linux-gnu-gcc-12 \
	CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= CONFIG_DEBUG_INFO_BTF_MODULES= \
	PTB_SRC="$(CURDIR)" $(if $(filter 1,$(V)),V=1) modules
.PHONY: kmod-arm64-7.2 kmod-ref-arm64-7.2
kmod-arm64-7.2: $(BUILD)/kmod-arm64-7.2/ptb_oracle.ko ## cross-build the oracle module for unstable's arm64 7.2
$(BUILD)/kmod-arm64-7.2/ptb_oracle.ko: $(KMOD_DEPS)
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64_72) arm64 7.2 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-arm64-7.2; mkdir -p $$d && for f in kmod/Kbuild $(KMOD_SRCS); do \
	    ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64_72) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
kmod-ref-arm64-7.2: $(BUILD)/kmod-ref-arm64-7.2/ptb_v7s_ref.ko ## cross-build the reference module for unstable's arm64 7.2
$(BUILD)/kmod-ref-arm64-7.2/ptb_v7s_ref.ko: $(KMOD_REF_SRCS) kmod/oracle.h kmod/Kbuild.ref \
                                           workloads/ptb.h workloads/ptb_decode.h workloads/trace.h allocators/mm/kver.h \
                                           allocators/pt_backends.h
	$(Q)sh scripts/lab/kernel.sh $(LAB_ARM64_72) arm64 7.2 >/dev/null
	$(call msg,KMOD,$@)
	$(Q)d=$(BUILD)/kmod-ref-arm64-7.2; mkdir -p $$d && ln -sf "$(CURDIR)/kmod/Kbuild.ref" $$d/Kbuild; \
	  ln -sf "$(CURDIR)/$(LAB_ARM64_72)/io-pgtable-arm-v7s.c" $$d/io-pgtable-arm-v7s.c; \
	  for f in $(KMOD_REF_SRCS); do ln -sf "$(CURDIR)/$$f" "$$d/$$(basename $$f)"; done; \
	  $(KMAKE_ARM64_72) M="$(CURDIR)/$$d" >$$d/build.log 2>&1 || { cat $$d/build.log >&2; exit 1; }
