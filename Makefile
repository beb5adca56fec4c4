# Avoin — build, test, install.
#   make            build ./avoin
#   make site       install missing Debian packages, build, generate the example site into public/
#   make test       install missing packages, build, run the whole suite (also under ASan+UBSan)
#   make asan       the suite under AddressSanitizer and UndefinedBehaviorSanitizer only
#   make valgrind   the unit tests under valgrind's memcheck
#   make bench      benchmark against Hugo (see scripts/bench.sh)
#   make regress-update   write tests/regress/*/expected anew (review the diff before committing)
#   make install PREFIX=/usr/local DESTDIR=
VERSION = 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKGS = libcmark lua5.4 libgit2 yaml-0.1 libcrypto libmicrohttpd libzstd
OPT ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
DEFS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DAVOIN_VERSION='"$(VERSION)"'
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
SAN ?=
B ?= build
# generator/ holds a folder per stage of the pipeline (doc/HACKING.md); the driver is at its top.
STAGES = base source model hooks render output site serve
INC = -Igenerator $(addprefix -Igenerator/,$(STAGES))
ALL_CFLAGS = $(WARN) $(OPT) $(SAN) $(DEFS) $(PKG_CFLAGS) $(INC) -MMD -MP
# Snowball's libstemmer (Debian's libstemmer-dev) has no pkg-config file.
LIBS = $(PKG_LIBS) -lstemmer -lm -lpthread
# The generator's binary allocates through jemalloc (Debian's libjemalloc-dev).
# On the bench corpus it took 15% less user time than glibc's malloc.
# Its peak memory was the same; the Allocator section of doc/HACKING.md has the figures.
# Sanitizer builds keep glibc's malloc, which ASan replaces with its own.
# The unit tests keep it too, for valgrind.
ALLOC_LIBS := $(if $(SAN),,$(shell pkg-config --libs jemalloc 2>/dev/null))

SRC := $(sort $(wildcard generator/*.c $(addsuffix /*.c,$(addprefix generator/,$(STAGES)))))
LIB_OBJ := $(patsubst generator/%.c,$(B)/obj/%.o,$(filter-out generator/main.c,$(SRC)))
MAIN_OBJ := $(B)/obj/main.o
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRC))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))

.PHONY: all deps site test check-unit asan valgrind bench install clean preview fuzz regress-update
all: avoin

deps:
	@sh scripts/install-deps.sh

avoin: $(B)/avoin
	@rm -f avoin && cp $(B)/avoin avoin

$(B)/avoin: $(MAIN_OBJ) $(LIB_OBJ) Makefile
	$(CC) $(SAN) -o $@ $(filter %.o,$^) $(LIBS) $(ALLOC_LIBS)

$(B)/obj/%.o: generator/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIB_OBJ) tests/unit/test.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LIBS)

$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/driver.c $(LIB_OBJ) $(LIBS)

site: deps
	@$(MAKE) --no-print-directory avoin
	./avoin build
	./avoin build --all-scopes --out public-sites

preview: deps
	@$(MAKE) --no-print-directory avoin
	./avoin serve --worktree

# The whole suite: once as built, once under ASan+UBSan; one closing line.
test:
	@sh scripts/install-deps.sh test
	@$(MAKE) --no-print-directory avoin tests-bin fuzz-bin
	@$(MAKE) --no-print-directory B=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" tests-bin fuzz-bin build-asan/avoin
	@sh tests/run.sh build build-asan

tests-bin: $(TEST_BIN)
fuzz-bin: $(FUZZ_BIN)

asan: deps
	@$(MAKE) --no-print-directory B=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" tests-bin fuzz-bin build-asan/avoin
	@sh tests/run.sh build-asan

valgrind: deps
	@$(MAKE) --no-print-directory avoin tests-bin
	@for t in $(TEST_BIN); do valgrind -q --leak-check=full --error-exitcode=1 $$t >/dev/null || exit 1; done; echo "valgrind: clean"

# The golden sites of tests/regress/, written anew on purpose: the commit that changes them
# shows what the generator's change did to whole sites.
regress-update: avoin
	@sh tests/regress/run.sh --update

# Every shape of the benchmark corpus in turn (scripts/bench.sh: current, hooks, import);
# BENCH_SHAPES="current" runs one.
BENCH_SHAPES ?= current hooks import
bench: deps
	@$(MAKE) --no-print-directory avoin
	@for s in $(BENCH_SHAPES); do SHAPE=$$s sh scripts/bench.sh || exit 1; done

install: avoin
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/avoin/themes $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 avoin $(DESTDIR)$(PREFIX)/bin/avoin
	cp -R themes/default $(DESTDIR)$(PREFIX)/share/avoin/themes/
	install -m 644 doc/avoin.1 $(DESTDIR)$(PREFIX)/share/man/man1/avoin.1

# libFuzzer runs of every target (clang); new inputs land in build-fuzz/, the
# checked-in corpus in tests/fuzz/corpus/ is read, never written.
FUZZ_SECONDS ?= 60
fuzz: deps
	@mkdir -p build-fuzz
	@for src in $(FUZZ_SRC); do n=$$(basename $$src .c); \
		clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined $(DEFS) $(PKG_CFLAGS) $(INC) \
			-o build-fuzz/$$n $$src $(filter-out generator/main.c,$(SRC)) $(LIBS) || exit 1; \
		mkdir -p build-fuzz/corpus-$$n; \
		build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus-$$n tests/fuzz/corpus/$${n#fuzz_} || exit 1; \
	done

clean:
	rm -rf build build-asan build-fuzz avoin

# every build folder's dependencies, B's too (make B=build-dev): a header change rebuilds its users
DEP_DIRS := $(sort build build-asan $(B))
-include $(wildcard $(addsuffix /obj/*.d,$(DEP_DIRS)) $(addsuffix /obj/*/*.d,$(DEP_DIRS)) \
	$(addsuffix /tests/*.d,$(DEP_DIRS)))
