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
