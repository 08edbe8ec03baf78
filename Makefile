# lwfuzz: `make` builds, `make check` sets up and runs every test,
# `make run` sets up and runs the main job on its defaults.

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -MMD -MP
LDFLAGS ?=

# The replayer's parts that run only in the guest need libdevmapper and
# libbtrfsutil, which `lwfuzz setup` installs: bin/lwfuzz must build
# without them.
# The AFL++ custom mutator is a shared object of its own.
MUTATOR_SRC := fuzzer/afl_mutator.c
MUTATOR_LIB_SRC := fuzzer/mutate.c fuzzer/workload.c fuzzer/workload_bin.c lib/hash.c
GUEST_LIB_SRC := $(addprefix replay/,csum_oracle.c data_check.c dm_dev.c \
		   kmsg.c read_check.c replayer.c tree_search.c) \
		 $(addprefix fuzzer/,driver.c recorder.c run_loop.c)
LIB_SRC  := $(wildcard lib/*.c) $(wildcard host/*.c) $(wildcard cmds/cmd_*.c) $(wildcard cmds/fuzz_*.c) \
	    $(filter-out $(GUEST_LIB_SRC) $(MUTATOR_SRC),$(wildcard fuzzer/*.c)) \
	    $(filter-out $(GUEST_LIB_SRC),$(wildcard replay/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=build/%.o)
GUEST_LIB_OBJ := $(GUEST_LIB_SRC:%.c=build/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
GUEST_SRC := $(wildcard tests/guest/*.c)
GUEST_BIN := $(GUEST_SRC:tests/guest/%.c=bin/guest/%) bin/guest/lwfuzz-agent

.PHONY: all setup check unit lint fuzz-harnesses fuzz-parsers fuzz-regress soak e2e run bench clean format build-deps

# The parser harnesses need AFL++'s compiler, which `lwfuzz setup` installs.
all: bin/lwfuzz $(GUEST_BIN) bin/lwfuzz-mutator.so \
	$(if $(shell command -v afl-clang-fast),fuzz-harnesses)

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/liblwfuzz.a: $(LIB_OBJ)
	ar rcs $@ $^

build/libguest.a: $(GUEST_LIB_OBJ)
	ar rcs $@ $^

bin/lwfuzz: build/cmds/lwfuzz.o build/liblwfuzz.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $^ -lblkid

# Programs the tests run inside the guest (they land on its PATH).
bin/guest/%: tests/guest/%.c
	@mkdir -p bin/guest build/guest
	$(CC) $(CFLAGS) -MF build/guest/$*.d -o $@ $< -lpthread

# The agent that runs in the guest (replay now, the driver later).
bin/guest/lwfuzz-agent: build/guest/lwfuzz_agent.o build/libguest.a build/liblwfuzz.a
	@mkdir -p bin/guest
	$(CC) $(LDFLAGS) -o $@ $^ -ldevmapper -lbtrfsutil -lpthread

bin/lwfuzz-mutator.so: $(MUTATOR_SRC) $(MUTATOR_LIB_SRC)
	@mkdir -p bin build/mutator
	$(CC) $(CFLAGS) -fPIC -shared -MF build/mutator/mutator.d -o $@ $^

# The mutator test links the AFL++ entry points directly.
build/tests/test_mutate: tests/unit/test_mutate.c $(MUTATOR_SRC) build/liblwfuzz.a
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -o $@ $< $(MUTATOR_SRC) build/liblwfuzz.a -lcmocka

build/tests/%: tests/unit/%.c build/liblwfuzz.a
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -o $@ $< build/liblwfuzz.a -lcmocka -lblkid

# Our parsers as AFL++ targets (persistent mode) and, for the regression
# corpus in `make check`, under AddressSanitizer and UBSan.
PARSER_SRC := lib/log_reader.c lib/fsutil.c lib/msg.c lib/hash.c \
	      fuzzer/workload.c fuzzer/workload_text.c fuzzer/workload_bin.c
HARNESSES := log text bin

bin/fuzz/harness_%: tests/fuzz/harness_%.c tests/fuzz/harness.h $(PARSER_SRC)
	@mkdir -p bin/fuzz
	AFL_QUIET=1 afl-clang-fast -std=gnu11 -D_GNU_SOURCE -O2 -g -Iinclude \
		-o $@ $< $(PARSER_SRC)

build/fuzz/asan_%: tests/fuzz/harness_%.c tests/fuzz/harness.h $(PARSER_SRC)
	@mkdir -p build/fuzz
	$(CC) -std=gnu11 -D_GNU_SOURCE -O1 -g -Iinclude \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(PARSER_SRC)

fuzz-harnesses: $(HARNESSES:%=bin/fuzz/harness_%)

# Each parser under afl-fuzz for FUZZ_SECONDS (default 60): executions
# and findings; new crashing inputs land in tests/fuzz/regress/.
fuzz-parsers: fuzz-harnesses
	scripts/fuzz-parsers.sh $(or $(FUZZ_SECONDS),60)

fuzz-regress: $(HARNESSES:%=build/fuzz/asan_%)
	scripts/fuzz-regress.sh

# A campaign of SOAK_MINUTES (30) on SOAK_KERNEL (stock), memory watched.
soak: setup
	scripts/soak.sh $(or $(SOAK_MINUTES),30) $(or $(SOAK_KERNEL),stock)

# Compiling lwfuzz needs a compiler and libblkid's headers; `lwfuzz setup`
# installs everything else (the guest agent's libraries among them), so it
# runs before the rest is built.
build-deps:
	@scripts/build-deps.sh

# Packages, kernel, btrfs variants, initramfs: idempotent, cached.
setup: build-deps
	$(MAKE) bin/lwfuzz
	bin/lwfuzz setup
	$(MAKE) all

unit: $(UNIT_BIN)

check: setup
	$(MAKE) unit
	$(MAKE) fuzz-regress
	scripts/static-check.sh
	tests/run.sh

# cppcheck and clang-tidy on the project's own C.
lint:
	scripts/static-check.sh

e2e: all
	tests/run.sh --e2e-only

run: setup
	scripts/demo.sh

# Benchmarks (figures, not pass/fail): replay speed against the reference.
bench: setup
	scripts/bench-replay.sh

format:
	clang-format -i $(wildcard */*.c */*.h)

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(GUEST_LIB_OBJ:.o=.d) build/guest/lwfuzz_agent.d $(wildcard build/tests/*.d build/guest/*.d)
