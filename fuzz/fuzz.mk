# SPDX-License-Identifier: LGPL-2.1-only
# libFuzzer targets (clang, ASan+UBSan), run for a bounded time by
# `make check`:
#   stream_fuzzer   arbitrary octets into the reader and the restore path,
#                   seeded from the vectors under tests/vectors;
#   restore_fuzzer  structure-aware: streams that decode, with mutated
#                   paths, permissions and owners, into the restore checks
#                   (engine/state_checker, restore_rule), checking the rule.
# `make fuzz-long` runs both for longer (FUZZ_LONG_SECONDS each, corpora
# kept under build/fuzz/long-*) and writes docs/fuzzing-last-run.txt.

FUZZ_SECONDS      ?= 60
FUZZ_LONG_SECONDS ?= 300
FUZZ_TARGETS      := stream_fuzzer restore_fuzzer
FUZZ_ENGINE_SRCS  := $(sort $(wildcard lib/common/*.cc lib/xen/*.cc lib/stream/*.cc)) \
                     lib/engine/domain_state.cc \
                     lib/engine/state_checker.cc lib/engine/node_policy.cc \
                     lib/engine/device_backends.cc \
                     lib/engine/restore_rule.cc lib/engine/xs_syntax.cc
# dump's renderings live in the command; the reader's fuzzer prints too.
FUZZ_PRINTER_SRCS := tools/xsmigrate/json_printer.cc tools/xsmigrate/text_printer.cc
FUZZ_BIN          := $(BUILD)/fuzz/stream_fuzzer
FUZZ_BINS         := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

$(BUILD)/fuzz/%: fuzz/%.cc $(FUZZ_ENGINE_SRCS) $(FUZZ_PRINTER_SRCS) \
		$(wildcard lib/common/*.h lib/xen/*.h lib/stream/*.h lib/engine/*.h tools/xsmigrate/*.h)
	@mkdir -p $(@D)
	@test -n "$(FUZZ_CXX)" || { echo "fuzz: no clang++ (apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
	$(FUZZ_CXX) -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(XSM_CPPFLAGS) -Itools/xsmigrate $(YAJL_CFLAGS) -o $@ $< $(FUZZ_ENGINE_SRCS) \
		$(FUZZ_PRINTER_SRCS) $(YAJL_LIBS)

.PHONY: fuzz check-fuzz fuzz-long
fuzz: $(FUZZ_BINS)

# One bounded run: TARGET SECONDS CORPUS-DIR [SEEDS]; new inputs go to a
# scratch directory, never into the checked-in corpus.
# Inputs up to 8 KiB soon: a generated domain needs a few hundred octets.
FUZZ_RUN = $(BUILD)/fuzz/$(1) -max_total_time=$(2) -timeout=10 -rss_limit_mb=2048 -max_len=8192 -len_control=10 \
	-artifact_prefix=$(BUILD)/fuzz/artifacts/ -print_final_stats=1 $(3) $(4) \
	> $(BUILD)/fuzz/$(1).log 2>&1

check-fuzz: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/check $(BUILD)/fuzz/new $(BUILD)/fuzz/new-restore $(BUILD)/fuzz/artifacts
	@p=0; f=0; \
	for t in $(FUZZ_TARGETS); do \
		if [ $$t = stream_fuzzer ]; then c=$(BUILD)/fuzz/new; s=tests/vectors; \
		else c=$(BUILD)/fuzz/new-restore; s=; fi; \
		if $(call FUZZ_RUN,$$t,$(FUZZ_SECONDS),$$c,$$s); then \
			grep -h "stat::number_of_executed_units\|cov:" $(BUILD)/fuzz/$$t.log | tail -n 2; \
			echo "PASS fuzz-$$t: $(FUZZ_SECONDS)s without a crash"; p=$$((p + 1)); \
		else \
			tail -n 40 $(BUILD)/fuzz/$$t.log; \
			echo "FAIL fuzz-$$t: crash input kept in $(BUILD)/fuzz/artifacts"; f=$$((f + 1)); \
		fi; \
	done; \
	echo "$$p $$f" > $(BUILD)/check/fuzz.counts; [ $$f = 0 ]

# A longer campaign; its numbers go to docs/fuzzing-last-run.txt (commit it).
fuzz-long: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/fuzz/long-stream_fuzzer $(BUILD)/fuzz/long-restore_fuzzer $(BUILD)/fuzz/artifacts
	@set -e; { \
	echo "# SPDX-License-Identifier: LGPL-2.1-only"; \
	echo "# make fuzz-long, $$(date -u '+%Y-%m-%d %H:%M UTC'), $(FUZZ_LONG_SECONDS) s per target"; \
	echo "# (ASan+UBSan, one process each; corpus kept in build/fuzz/long-*)"; \
	for t in $(FUZZ_TARGETS); do \
		s=; [ $$t = stream_fuzzer ] && s=tests/vectors; \
		$(call FUZZ_RUN,$$t,$(FUZZ_LONG_SECONDS),$(BUILD)/fuzz/long-$$t,$$s) || \
			{ tail -n 40 $(BUILD)/fuzz/$$t.log >&2; echo "fuzz-long: $$t crashed" >&2; exit 1; }; \
		echo "$$t: $$(grep -h '^#[0-9]*.*DONE' $(BUILD)/fuzz/$$t.log | tail -n 1)"; \
		grep -h 'stat::number_of_executed_units\|stat::peak_rss_mb' $(BUILD)/fuzz/$$t.log | sed "s/^/$$t: /"; \
		echo "$$t: corpus $$(ls $(BUILD)/fuzz/long-$$t | wc -l) inputs"; \
	done; } | tee docs/fuzzing-last-run.txt

CHECK_TARGETS += check-fuzz
