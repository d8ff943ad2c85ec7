# SPDX-License-Identifier: LGPL-2.1-only
# GoogleTest unit tests of the library, plain and under ASan+UBSan.

UNIT_SRCS  := $(sort $(wildcard tests/unit/*.cc))
UNIT_OBJS  := $(patsubst %.cc,$(BUILD)/obj/%.o,$(UNIT_SRCS))
UNIT_BIN   := $(BUILD)/bin/unit_tests

$(UNIT_OBJS): XSM_EXTRA_CFLAGS += $(GTEST_CFLAGS) $(YAJL_CFLAGS) -DXSM_SOURCE_DIR='"$(CURDIR)"' \
	-DXSM_PACKAGE_VERSION='"$(PACKAGE_VERSION)"'

# The CLI's exit-status table is tested here too: it depends on the library only.
UNIT_CLI_OBJS := $(BUILD)/obj/tools/xsmigrate/exit_status.o

$(UNIT_BIN): $(UNIT_OBJS) $(UNIT_CLI_OBJS) $(XSM_STATIC) $(XSM_SHLIB)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $(SAN_FLAGS) -o $@ $(UNIT_OBJS) $(UNIT_CLI_OBJS) $(XSM_STATIC) \
		$(XSM_LIB_LIBS) $(YAJL_LIBS) $(GTEST_LIBS) -lgtest_main -ldl

.PHONY: unit-tests
unit-tests: $(UNIT_BIN) $(XSM_CLI)

# The CLI tests run the real binary: XSM_CLI tells them where it is.
.PHONY: check-unit
check-unit: unit-tests
	@mkdir -p $(BUILD)/check
	XSM_CLI=$(CURDIR)/$(XSM_CLI) XSM_SHLIB=$(CURDIR)/$(XSM_SHLIB) \
		scripts/run-gtest $(UNIT_BIN) $(BUILD)/check/unit.counts

# Same tests, library and CLI rebuilt with ASan+UBSan in their own tree.
XSM_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
.PHONY: check-sanitize
check-sanitize:
	@mkdir -p $(BUILD)/check
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN_FLAGS="$(XSM_SAN_FLAGS)" unit-tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	XSM_CLI=$(CURDIR)/$(BUILD)/asan/bin/xsmigrate XSM_SHLIB=$(CURDIR)/$(BUILD)/asan/lib/$(XSM_SO_FILE) \
		scripts/run-gtest $(BUILD)/asan/bin/unit_tests $(BUILD)/check/sanitize.counts

CHECK_TARGETS += check-unit check-sanitize

-include $(UNIT_OBJS:.o=.d)

# Line coverage of lib/ by the unit tests: the library, the CLI and the
# tests rebuilt with --coverage (unoptimised, so a line is a line) in
# their own tree; counters are reset before the run, so the table is this
# run's.  gcovr (Debian's package) prints one line per file of lib/, then
# the engine and the C API together, which the in-memory xenstored
# (tests/unit/fake_domain_store.h) lets the unit tests reach: below
# XSM_COVERAGE_MIN percent of their lines fails the target.  The tests'
# own exit status counts, as in check-unit.  The group's table goes to a
# file of the build: gcovr replaces the file it writes, so "-o /dev/null"
# run as root removed the machine's /dev/null.
XSM_COV_BUILD    := $(BUILD)/coverage
XSM_COVERAGE_MIN ?= 85
.PHONY: coverage
coverage:
	@command -v gcovr >/dev/null || { echo "coverage: gcovr is not installed (scripts/setup)" >&2; exit 1; }
	@mkdir -p $(BUILD)/check
	$(MAKE) --no-print-directory BUILD=$(XSM_COV_BUILD) SAN_FLAGS=--coverage \
		CXXFLAGS="-g -O0" unit-tests
	find $(XSM_COV_BUILD) -name '*.gcda' -delete
	XSM_CLI=$(CURDIR)/$(XSM_COV_BUILD)/bin/xsmigrate \
	XSM_SHLIB=$(CURDIR)/$(XSM_COV_BUILD)/lib/$(XSM_SO_FILE) \
		scripts/run-gtest $(XSM_COV_BUILD)/bin/unit_tests $(BUILD)/check/coverage.counts
	gcovr --root . --filter 'lib/' --object-directory $(XSM_COV_BUILD)/obj/lib
	@echo "lib/engine/ and lib/c_api*.cc together (at least $(XSM_COVERAGE_MIN)%):"
	gcovr --root . --filter 'lib/engine/' --filter 'lib/c_api' \
		--object-directory $(XSM_COV_BUILD)/obj/lib --print-summary \
		-o $(XSM_COV_BUILD)/engine-and-c-api.txt --fail-under-line $(XSM_COVERAGE_MIN)

# In `make check`: the threshold is a test like any other.
.PHONY: check-coverage
check-coverage: coverage
CHECK_TARGETS += check-coverage
