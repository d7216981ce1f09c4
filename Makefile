# A thin wrapper over CMake (as Neovim does): the two README commands live here.
#   make demo   install what is missing, build, run the console on its embedded demo
#   make test   install what is missing, build normal + sanitizer(+fuzz) trees, run every test
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps build build-asan demo test test-fast bench clean format

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCXM_WERROR=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	CC=clang-14 cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DCXM_WERROR=ON \
	  -DCXM_SANITIZE=ON -DCXM_FUZZ=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)

demo: build
	./$(BUILD)/cxm-console --demo

test: build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD_ASAN) && ctest --output-on-failure -j $(JOBS)

# One tree only, for the edit-compile-test loop.
test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	bash tests/bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
