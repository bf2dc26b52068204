# The two commands: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: setup setup-clang configure build run test test-asan test-unit bench crash soak fuzz-smoke package format clean

setup:
	@bash scripts/setup.sh

# Line tables only (-g1): backtraces and gdb keep functions, files and lines, and the build is a
# quarter faster than with full debug information (BUILD_TYPE=Debug for that).
$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" $(CMAKE_FLAGS)

configure: setup $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

# `make run` builds only the two programs it runs (and the console they embed); the tests and
# benchmarks are built by `make test` and `make bench`.
run: configure
	cmake --build $(BUILD_DIR) -j$(JOBS) --target rapportd rapport
	@bash scripts/run-demo.sh $(BUILD_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 300

# One clang build with AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer's coverage
# instrumentation serves both `test-asan` and `fuzz-smoke`. -O1 with line tables only: stack
# traces keep file:line and the build from scratch fits CI's budget (~9 min on 2 cores).
SANITIZE_DIR ?= $(BUILD_DIR)-asan
SANITIZE_FLAGS = -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" -DRAPPORT_SANITIZE=ON -DRAPPORT_FUZZ=ON \
  -DRAPPORT_BENCHMARKS=OFF

setup-clang:
	@bash scripts/setup.sh --clang

$(SANITIZE_DIR)/CMakeCache.txt:
	cmake -S . -B $(SANITIZE_DIR) $(SANITIZE_FLAGS) $(CMAKE_FLAGS)

# The whole suite sanitized (rapportd too, so the integration tests run it sanitized), but for the
# browser tests (label `browser`): Chromium is not sanitized, and the API calls the console makes
# are the integration tests'. scripts/lsan.supp lists the library caches left alone.
test-asan: setup-clang $(SANITIZE_DIR)/CMakeCache.txt
	cmake --build $(SANITIZE_DIR) -j$(JOBS)
	cd $(SANITIZE_DIR) && LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp \
	  ctest --output-on-failure -j$(JOBS) --timeout 300 --label-exclude browser

# The long crash test: 60 SIGKILLs of rapportd under load (the short form is part of `make test`).
crash: build
	RAPPORT_CRASH_KILLS=$${RAPPORT_CRASH_KILLS:-60} $(BUILD_DIR)/bin/rapport_crash_tests

# 10 minutes of mixed API load at a fixed rate (SOAK_SECONDS to change): errors 0, RSS growth < 5 %.
soak: build
	@bash soak/run.sh $(BUILD_DIR)

# Each libFuzzer target (fuzz/) for FUZZ_SECONDS (60) from its corpus, in the sanitized build.
fuzz-smoke: setup-clang $(SANITIZE_DIR)/CMakeCache.txt
	cmake --build $(SANITIZE_DIR) -j$(JOBS) --target rapport_api_fuzz rapport_parse_fuzz rapport_logo_fuzz
	bash fuzz/smoke.sh $(SANITIZE_DIR)

# The Debian package (rapport_<version>_<arch>.deb in $(BUILD_DIR)): binaries, systemd unit,
# /etc/rapport/rapportd.toml, man pages. See "Installing the package" in the README.
package: build
	cd $(BUILD_DIR) && cpack -G DEB

bench: build
	cmake --build $(BUILD_DIR) -j$(JOBS) --target benchmarks
	@bash bench/run.sh $(BUILD_DIR)
	@bash bench/brand_pace.sh $(BUILD_DIR)
	@python3 bench/readme_table.py

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR)
