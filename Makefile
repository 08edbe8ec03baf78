# lwfuzz: `make` builds, `make check` sets up and runs every test,
# `make run` sets up and runs the main job on its defaults.
#
# One folder, one part (docs/architecture.md). Which parts make which
# program:
#   bin/lwfuzz               cmds/ + fuzzer/ + vm/ + setup/ + lib/
#   bin/guest/lwfuzz-agent   guest/ + replay/ + lib/
#   bin/lwfuzz-mutator.so    fuzzer/afl_mutator.c + its mutation and the
#                            workload format from lib/ (AFL++ loads it)

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -I. -MMD -MP
LDFLAGS ?=
PKG_CONFIG ?= pkg-config

# The guest's libraries (libdevmapper, libbtrfsutil) come with `lwfuzz
# setup`; bin/lwfuzz builds without them. Evaluated only when linked.
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1))
HOST_LIBS = $(call pkg_libs,blkid json-c libkmod)
GUEST_LIBS = $(call pkg_libs,devmapper libbtrfsutil json-c) -lpthread
TEST_LIBS = $(call pkg_libs,cmocka) $(HOST_LIBS)

PARTS := lib replay guest vm setup fuzzer cmds
part_src = $(wildcard $(1)/*.c)
part_obj = $(patsubst %.c,build/%.o,$(call part_src,$(1)))

# The mutator is a shared object of its own, not part of bin/lwfuzz.
MUTATOR_SRC := fuzzer/afl_mutator.c fuzzer/mutate.c lib/workload.c lib/workload_path.c lib/workload_fs.c \
	       lib/delay_site.c lib/fsutil.c lib/msg.c \
	       lib/workload_bin.c lib/workload_text.c lib/hash.c
FUZZER_OBJ := $(filter-out build/fuzzer/afl_mutator.o,$(call part_obj,fuzzer))
CMDS_OBJ := $(call part_obj,cmds)
GUEST_OBJ := $(call part_obj,guest)

HOST_ARCHIVES := build/fuzzer.a build/vm.a build/setup.a build/lib.a
# Unit tests may reach the checker's pure parts (extent_check, ...): an
# archive member is linked only when a test needs it.
TEST_ARCHIVES := build/cmds.a build/fuzzer.a build/vm.a build/setup.a \
		 build/replay.a build/lib.a

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
GUEST_TEST_SRC := $(wildcard tests/guest/*.c)
GUEST_BIN := $(GUEST_TEST_SRC:tests/guest/%.c=bin/guest/%) bin/guest/lwfuzz-agent

.PHONY: all setup setup-6.12 check unit lint layout-check runner-selftest fuzz-harnesses \
	fuzz-parsers fuzz-regress kernel-tree soak check-campaigns e2e run bench bench-coverage race-discovery museum series-compare export-rates clean format build-deps

# The parser harnesses need AFL++'s compiler, which `lwfuzz setup` installs.
all: bin/lwfuzz $(GUEST_BIN) bin/lwfuzz-mutator.so \
	$(if $(shell command -v afl-clang-fast),fuzz-harnesses)

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/lib.a: $(call part_obj,lib)
build/replay.a: $(call part_obj,replay)
build/vm.a: $(call part_obj,vm)
build/setup.a: $(call part_obj,setup)
build/fuzzer.a: $(FUZZER_OBJ)
# The commands without main(), for the unit tests that hold a command to
# its output.
build/cmds.a: $(filter-out build/cmds/lwfuzz.o,$(CMDS_OBJ))
build/%.a:
	@rm -f $@
	ar rcs $@ $^

bin/lwfuzz: $(CMDS_OBJ) $(HOST_ARCHIVES)
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

# The agent that runs in the guest: record, run, serve, replay.
bin/guest/lwfuzz-agent: $(GUEST_OBJ) build/replay.a build/lib.a
	@mkdir -p bin/guest
	$(CC) $(LDFLAGS) -o $@ $^ $(GUEST_LIBS)

# Programs the tests run inside the guest (they land on its PATH).
bin/guest/%: tests/guest/%.c
	@mkdir -p bin/guest build/guest-tests
	$(CC) $(CFLAGS) -MF build/guest-tests/$*.d -o $@ $< -lpthread

# --no-undefined: a symbol the library misses fails here, not when
# afl-fuzz loads it.
bin/lwfuzz-mutator.so: $(MUTATOR_SRC) Makefile
	@mkdir -p bin build/mutator
	$(CC) $(CFLAGS) -fPIC -shared -Wl,--no-undefined -MF build/mutator/mutator.d -o $@ $(MUTATOR_SRC)

# The mutator test links the AFL++ entry points directly.
build/tests/test_mutate: tests/unit/test_mutate.c fuzzer/afl_mutator.c $(TEST_ARCHIVES)
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -o $@ $< fuzzer/afl_mutator.c $(TEST_ARCHIVES) $(TEST_LIBS)

# The template test holds the guest's template code to log files it writes.
build/tests/test_fs_template: tests/unit/test_fs_template.c guest/fs_template.c $(TEST_ARCHIVES)
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -o $@ $< guest/fs_template.c $(TEST_ARCHIVES) $(TEST_LIBS)

build/tests/%: tests/unit/%.c $(TEST_ARCHIVES)
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -o $@ $< $(TEST_ARCHIVES) $(TEST_LIBS)

# Our parsers as AFL++ targets (persistent mode) and, for the regression
# corpus in `make check`, under AddressSanitizer and UBSan.
PARSER_SRC := lib/log_reader.c lib/fsutil.c lib/msg.c lib/hash.c \
	      lib/workload.c lib/workload_path.c lib/workload_fs.c lib/workload_text.c lib/workload_bin.c lib/delay_site.c \
	      lib/promise_mark.c
HARNESSES := log text bin mark

bin/fuzz/harness_%: tests/fuzz/harness_%.c tests/fuzz/harness.h $(PARSER_SRC)
	@mkdir -p bin/fuzz
	AFL_QUIET=1 afl-clang-fast -std=gnu11 -D_GNU_SOURCE -O2 -g -I. \
		-o $@ $< $(PARSER_SRC)

build/fuzz/asan_%: tests/fuzz/harness_%.c tests/fuzz/harness.h $(PARSER_SRC)
	@mkdir -p build/fuzz
	$(CC) -std=gnu11 -D_GNU_SOURCE -O1 -g -I. \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(PARSER_SRC)

fuzz-harnesses: $(HARNESSES:%=bin/fuzz/harness_%)

# Each parser under afl-fuzz for FUZZ_SECONDS (default 60): executions
# and findings; new crashing inputs land in tests/fuzz/regress/.
fuzz-parsers: fuzz-harnesses
	scripts/fuzz-parsers.sh $(or $(FUZZ_SECONDS),60)

fuzz-regress: $(HARNESSES:%=build/fuzz/asan_%)
	scripts/fuzz-regress.sh

# The campaign tests: AFL++ campaigns of up to 12 minutes each, pass/fail
# like make check's scripts but too long for it (tests/campaign/).
check-campaigns: setup
	tests/run.sh --scripts tests/campaign

# A campaign of SOAK_MINUTES (30) on SOAK_KERNEL (stock), memory watched.
soak: setup
	scripts/soak.sh $(or $(SOAK_MINUTES),30) $(or $(SOAK_KERNEL),stock)

# Compiling lwfuzz needs a compiler and a few libraries' headers; `lwfuzz
# setup` installs everything else (the guest agent's libraries among
# them), so it runs before the rest is built.
build-deps:
	@scripts/build-deps.sh

# Packages, kernel, btrfs variants, initramfs: idempotent, cached.
setup: build-deps
	$(MAKE) bin/lwfuzz
	bin/lwfuzz setup
	$(MAKE) all

# The 6.12 series too (make check's end-to-end tests run it).
setup-6.12: setup
	bin/lwfuzz setup -s 6.12

# A built 6.12 kernel tree in the cache (once), for the test of
# `lwfuzz setup --tree` (scripts/build-kernel-tree.sh).
kernel-tree: setup-6.12
	scripts/build-kernel-tree.sh 6.12 >/dev/null

unit: $(UNIT_BIN)

# The rules of docs/architecture.md, checked from the includes.
layout-check:
	scripts/layout-check.sh

# The test runner holds itself to its rules before it holds the tests.
runner-selftest:
	tests/runner-selftest.sh

# Everything lands in one summary line of tests/run.sh: the unit tests,
# lint, the layout rules, the parser regression, the runner's self-test and
# the end-to-end tests are its steps; make only builds what they run.
check: setup setup-6.12 kernel-tree
	$(MAKE) unit $(HARNESSES:%=build/fuzz/asan_%)
	tests/run.sh

# cppcheck and clang-tidy on the project's own C.
lint:
	scripts/static-check.sh

e2e: all
	tests/run.sh --e2e-only

run: setup
	scripts/demo.sh

# Benchmarks (figures, not pass/fail): replay speed against the reference,
# and an execution's cost against the code path before templates and
# shared mounts (scripts/bench-exec.sh).
bench: setup
	scripts/bench-replay.sh
	scripts/bench-exec.sh

# What btrfs coverage and an armed delay cost an execution (one sitting).
bench-coverage: setup
	scripts/bench-coverage.sh

# Does a campaign find the seed race from seeds that do not show it, with
# the knob at 0 (RUNS campaigns of MINUTES on buggy and on fixed)?
race-discovery: setup
	scripts/race-discovery.sh

# Every seed (or SEEDS="a b") on stock and 6.12:stock (KERNELS="A B"),
# RUNS (2) each: verdicts side by side and the time per execution.
series-compare: setup-6.12
	scripts/series-compare.sh $(or $(RUNS),2)

# How often the exported fstests tests of the log-commit race catch it:
# RUNS (10) per test on stock and stock-logfix (KERNELS="A B").
export-rates: setup
	scripts/export-rates.sh

# The bug museum: time for a campaign to find each reverted fix (up to
# MUSEUM_MINUTES, 20, per variant). A benchmark, not a test.
museum: setup
	scripts/museum.sh

format:
	clang-format -i $(foreach p,$(PARTS),$(wildcard $(p)/*.c $(p)/*.h))

clean:
	rm -rf build bin

-include $(wildcard build/*/*.d build/tests/*.d build/guest-tests/*.d build/mutator/*.d)
