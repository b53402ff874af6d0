# Thin front of the CMake build. Every target first makes sure the Debian packages are there.
#   make demo     build (release) and run the demo against the embedded particle-sim
#   make test     debug build with ASan+UBSan, then every test (ctest), then the install test
#   make bench    release build, then the benchmarks (BENCH lines; see docs/BENCHMARKS.md)
#   make install PREFIX=/usr/local
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEBUG_DIR := build/debug
RELEASE_DIR := build/release

.PHONY: all bootstrap debug release demo test bench install format clean

all: release

bootstrap:
	@./scripts/bootstrap

$(DEBUG_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(DEBUG_DIR) -DCMAKE_BUILD_TYPE=Debug -DPARTICLE_SANITIZE=address,undefined -DPARTICLE_TESTS=ON

$(RELEASE_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DPARTICLE_TESTS=OFF

debug: bootstrap $(DEBUG_DIR)/CMakeCache.txt
	cmake --build $(DEBUG_DIR) -j $(JOBS)

release: bootstrap $(RELEASE_DIR)/CMakeCache.txt
	cmake --build $(RELEASE_DIR) -j $(JOBS)

demo: release
	./scripts/demo $(RELEASE_DIR)

test: debug
	./scripts/test $(DEBUG_DIR)

bench: release
	./scripts/bench $(RELEASE_DIR)

install: release
	cmake --install $(RELEASE_DIR) --prefix $(PREFIX)

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf build
