# Thin front of the CMake build. Every target first makes sure the Debian packages are there.
#   make demo        build (release) and run the demo against the embedded particle-sim
#   make test        what CI runs (.ci/run): debug build with ASan+UBSan, then every test
#                    (ctest, with the source checks), the install test, the threaded tests
#                    under ThreadSanitizer and a short libFuzzer run of each fuzz target
#   make check-long  what does not fit in CI's time: long fuzzing, valgrind over the unit
#                    tests of an optimised build, ThreadSanitizer over every test (docs/TESTING.md)
#   make fuzz-long   the fuzz part of check-long alone: each fuzz target for FUZZ_RUNS inputs
#                    (FUZZ_SECONDS=N bounds each one's time; scripts/fuzz-long)
#   make bench       release build, then the benchmarks (BENCH lines; see docs/BENCHMARKS.md)
#   make screenshots the dashboard's PNGs in docs/img from the browser test's harness (headless
#                    chromium against particle-bridge fed by particle-sim; docs/BRIDGE.md)
#   make install PREFIX=/usr/local
#   make deb         the Debian packages (debian/, docs/OPERATIONS.md) in build/deb, built
#                    from a copy of the tree, then checked with lintian (errors fail)
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEBUG_DIR := build/debug
RELEASE_DIR := build/release
# ThreadSanitizer tree: only the tests labelled tsan are built by make test (target tsan_tests).
TSAN_DIR := build/tsan
# libFuzzer tree (clang-14): every target instrumented for coverage, ASan and UBSan. The code
# is kept warning-free under gcc; clang's -Wcast-align and -Wformat-nonliteral see more (casts
# of struct sockaddr, printf-style helpers), so in this tree warnings are shown, not fatal.
FUZZ_DIR := build/fuzz
# make check-long: an unsanitized tree with tests for valgrind, and inputs per fuzz target.
VALGRIND_DIR := build/valgrind
FUZZ_RUNS ?= 10000000
# make deb: a copy of the tree (dpkg-buildpackage writes next to its source) and the .debs.
DEB_DIR := build/deb

.PHONY: all bootstrap debug release tsan fuzz demo test check-long fuzz-long bench screenshots install deb format clean

all: release

bootstrap:
	@./scripts/bootstrap

$(DEBUG_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(DEBUG_DIR) -DCMAKE_BUILD_TYPE=Debug -DPARTICLE_SANITIZE=address,undefined -DPARTICLE_TESTS=ON

$(RELEASE_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DPARTICLE_TESTS=OFF

$(TSAN_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(TSAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DPARTICLE_SANITIZE=thread -DPARTICLE_TESTS=ON

$(VALGRIND_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(VALGRIND_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARTICLE_TESTS=ON

$(FUZZ_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_C_FLAGS="-O1 -fsanitize=fuzzer-no-link" -DPARTICLE_SANITIZE=address,undefined \
	    -DPARTICLE_TESTS=OFF -DPARTICLE_FUZZ=ON -DPARTICLE_WERROR=OFF

debug: bootstrap $(DEBUG_DIR)/CMakeCache.txt
	cmake --build $(DEBUG_DIR) -j $(JOBS)

release: bootstrap $(RELEASE_DIR)/CMakeCache.txt
	cmake --build $(RELEASE_DIR) -j $(JOBS)

demo: release
	./scripts/demo $(RELEASE_DIR)

tsan: bootstrap $(TSAN_DIR)/CMakeCache.txt
	cmake --build $(TSAN_DIR) -j $(JOBS) --target tsan_tests

fuzz: bootstrap $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets

test: debug tsan fuzz
	./scripts/test $(DEBUG_DIR) --tsan $(TSAN_DIR) --fuzz $(FUZZ_DIR)

check-long: bootstrap $(VALGRIND_DIR)/CMakeCache.txt $(TSAN_DIR)/CMakeCache.txt fuzz
	cmake --build $(VALGRIND_DIR) -j $(JOBS)
	cmake --build $(TSAN_DIR) -j $(JOBS)
	./scripts/check-long $(VALGRIND_DIR) $(TSAN_DIR) $(FUZZ_DIR) $(FUZZ_RUNS)

fuzz-long: fuzz
	./scripts/fuzz-long $(FUZZ_DIR) $(FUZZ_RUNS)

bench: release
	./scripts/bench $(RELEASE_DIR)

screenshots: bootstrap $(DEBUG_DIR)/CMakeCache.txt
	cmake --build $(DEBUG_DIR) -j $(JOBS) --target particle-sim particle-bridge
	BROWSER_OUT=$(CURDIR)/docs/img tests/browser/run.sh $(DEBUG_DIR)/sim/particle-sim \
	    $(DEBUG_DIR)/bridge/particle-bridge screenshots.js

# The prefix is set at configure time too: the programs keep paths under it (the bridge's
# dashboard folder), which `cmake --install --prefix` alone would not change.
install: bootstrap $(RELEASE_DIR)/CMakeCache.txt
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_INSTALL_PREFIX=$(PREFIX)
	cmake --build $(RELEASE_DIR) -j $(JOBS)
	cmake --install $(RELEASE_DIR)

deb: bootstrap
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/src
	cd $(DEB_DIR)/src && DEB_BUILD_OPTIONS="parallel=$(JOBS) $(DEB_BUILD_OPTIONS)" \
	    dpkg-buildpackage -us -uc -b
	lintian --fail-on error $(DEB_DIR)/*.changes

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf build
