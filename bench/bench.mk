# SPDX-License-Identifier: LGPL-2.1-only
# Google Benchmark: codec throughput next to memcpy of the same octets.

BENCH_BIN := $(BUILD)/bin/stream_bench

$(BUILD)/obj/bench/%.o: XSM_EXTRA_CFLAGS += $(BENCHMARK_CFLAGS)

$(BENCH_BIN): $(BUILD)/obj/bench/stream_bench.o $(XSM_STATIC)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $^ $(XSM_LIB_LIBS) $(BENCHMARK_LIBS) -lpthread

.PHONY: bench
bench: $(BENCH_BIN)
	$(BENCH_BIN) --benchmark_counters_tabular=true

.PHONY: bench-verify
bench-verify: $(BENCH_BIN) $(XSM_CLI)
	bench/verify_vs_cksum.sh $(BUILD)

DOMAIN_BENCH_BIN := $(BUILD)/bin/domain_bench

$(DOMAIN_BENCH_BIN): $(BUILD)/obj/bench/domain_bench.o $(XSM_STATIC)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $^ $(XSM_LIB_LIBS) $(XENSTORE_LIBS) -lpthread

# Needs the patched xenstored of the simulated host (make xensim).
.PHONY: bench-domain
bench-domain: $(DOMAIN_BENCH_BIN) xensim
	bench/domain_bench.sh $(BUILD)

# Rebuilt when a library header they use changes (a stale object would
# read the library's types with an old layout).
-include $(BUILD)/obj/bench/stream_bench.d $(BUILD)/obj/bench/domain_bench.d
