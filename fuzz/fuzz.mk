# SPDX-License-Identifier: LGPL-2.1-only
# libFuzzer target for the reader (clang, ASan+UBSan), run for a bounded
# time by `make check` from the vectors checked in under tests/vectors (the seed corpus).

FUZZ_BIN     := $(BUILD)/fuzz/stream_fuzzer
FUZZ_SECONDS ?= 60
FUZZ_SRCS    := fuzz/stream_fuzzer.cc $(sort $(wildcard lib/stream/*.cc)) \
                lib/engine/domain_state.cc lib/engine/state_checker.cc lib/engine/node_policy.cc \
                tools/xsmigrate/json_printer.cc tools/xsmigrate/text_printer.cc

$(FUZZ_BIN): $(FUZZ_SRCS) $(wildcard lib/stream/*.h lib/engine/*.h tools/xsmigrate/*.h)
	@mkdir -p $(@D)
	@test -n "$(FUZZ_CXX)" || { echo "fuzz: no clang++ (apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
	$(FUZZ_CXX) -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(XSM_CPPFLAGS) -Itools/xsmigrate $(YAJL_CFLAGS) -o $@ $(FUZZ_SRCS) $(YAJL_LIBS)

.PHONY: fuzz check-fuzz
fuzz: $(FUZZ_BIN)

# New inputs go to a scratch directory, never into the checked-in corpus.
check-fuzz: $(FUZZ_BIN)
	@mkdir -p $(BUILD)/check $(BUILD)/fuzz/new $(BUILD)/fuzz/artifacts
	@if $(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=$(BUILD)/fuzz/artifacts/ -print_final_stats=1 \
		$(BUILD)/fuzz/new tests/vectors > $(BUILD)/fuzz/log 2>&1; then \
		tail -n 3 $(BUILD)/fuzz/log; echo "PASS fuzz: $(FUZZ_SECONDS)s without a crash"; \
		echo "1 0" > $(BUILD)/check/fuzz.counts; \
	else \
		tail -n 40 $(BUILD)/fuzz/log; echo "FAIL fuzz: crash input kept in $(BUILD)/fuzz/artifacts"; \
		echo "0 1" > $(BUILD)/check/fuzz.counts; exit 1; \
	fi

CHECK_TARGETS += check-fuzz
