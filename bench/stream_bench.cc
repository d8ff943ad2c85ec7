/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Codec throughput on a live-update sized stream (200k nodes, 500
 * connections with watches and transactions), next to a plain memcpy of
 * the same octets in the same run.
 *
 *   stream_bench [benchmark flags]       run the benchmarks
 *   stream_bench --emit FILE [NODES]     write such a stream (for verify_vs_cksum.sh)
 */
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstring>
#include <fstream>
#include <vector>

#include "stream/stream_ops.h"

namespace {

using namespace xsm;

std::string MakeStream(size_t nodes, size_t conns)
{
    StringSink sink;
    EncodeOptions eo;
    StreamWriter w(sink, eo);
    std::string why;
    w.WriteHeader(&why);
    w.Write(GlobalRecord{3, 4}, &why);

    std::string out(64, 'x');
    for (uint32_t c = 1; c <= conns; c++) {
        ConnectionRecord r;
        r.conn_id = c;
        r.domid = static_cast<uint16_t>(c);
        r.evtchn = 10 + c;
        r.out_data = out;
        w.Write(r, &why);
        std::string path = "/local/domain/" + std::to_string(c) + "/device";
        w.Write(WatchRecord{c, path, "token", false, kDepthUnlimited}, &why);
        w.Write(TransactionRecord{c, c}, &why);
    }

    uint8_t perms[8];
    Store<uint16_t>(perms + 2, 7, kHostEndian);
    perms[0] = 'b';
    perms[1] = 0;
    perms[4] = 'r';
    perms[5] = 0;
    Store<uint16_t>(perms + 6, 0, kHostEndian);
    std::string value(24, 'v');
    for (size_t i = 0; i < nodes; i++) {
        std::string path = "/local/domain/" + std::to_string(i % 500) + "/data/key" +
                           std::to_string(i);
        NodeRecord n;
        n.perms = PermList(perms, 2, kHostEndian);
        n.path = path;
        n.value = value;
        w.Write(n, &why);
    }
    w.Write(EndRecord{}, &why);
    return sink.str();
}

const std::string &Stream()
{
    static const std::string s = MakeStream(200000, 500);
    return s;
}

void BM_Memcpy(benchmark::State &state)
{
    const std::string &s = Stream();
    std::vector<char> dst(s.size());
    for (auto _ : state) {
        std::memcpy(dst.data(), s.data(), s.size());
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * s.size());
}
BENCHMARK(BM_Memcpy)->Unit(benchmark::kMillisecond);

void BM_DecodeValidate(benchmark::State &state)
{
    const std::string &s = Stream();
    for (auto _ : state) {
        MemorySource src(s);
        StreamSummary sum;
        Status st = VerifyStream(src, ReaderOptions{}, &sum);
        if (!st.ok())
            state.SkipWithError(st.message().c_str());
        benchmark::DoNotOptimize(sum.records);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * s.size());
}
BENCHMARK(BM_DecodeValidate)->Unit(benchmark::kMillisecond);

/* The stream's records (views into it), decoded once. */
std::vector<Record> Records(const std::string &s)
{
    std::vector<Record> records;
    MemorySource src(s);
    StreamParser p(src, ReaderOptions{});
    Status st = p.Start();
    ParsedRecord rec;
    while (st.ok() && p.Next(&rec, &st))
        records.push_back(rec.record);
    return records;
}

void Encode(const std::vector<Record> &records)
{
    StringSink sink;
    StreamWriter w(sink, EncodeOptions{});
    std::string why;
    w.WriteHeader(&why);
    for (const Record &r : records)
        w.Write(r, &why);
    benchmark::DoNotOptimize(sink.str().data());
}

void BM_Encode(benchmark::State &state)
{
    const std::string &s = Stream();
    std::vector<Record> records = Records(s);
    for (auto _ : state)
        Encode(records);
    state.SetBytesProcessed(int64_t(state.iterations()) * s.size());
}
BENCHMARK(BM_Encode)->Unit(benchmark::kMillisecond);

void BM_ConvertByteOrder(benchmark::State &state)
{
    const std::string &s = Stream();
    ConvertOptions co;
    co.endian = Endian::Big;
    for (auto _ : state) {
        MemorySource src(s);
        StringSink sink;
        benchmark::DoNotOptimize(ConvertStream(src, sink, co).ok());
        benchmark::DoNotOptimize(sink.str().data());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * s.size());
}
BENCHMARK(BM_ConvertByteOrder)->Unit(benchmark::kMillisecond);

/* Best of `rounds` interleaved runs of each, in seconds of this process's CPU. */
double CpuSeconds()
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The ratios the codec is held to, from interleaved runs in this process:
 * a busy machine slows all three alike.
 */
void PrintRatios(int rounds)
{
    const std::string &s = Stream();
    std::vector<char> dst(s.size());
    std::vector<Record> records = Records(s);
    double best[3] = {1e9, 1e9, 1e9};
    for (int i = 0; i < rounds; i++) {
        double t0 = CpuSeconds();
        std::memcpy(dst.data(), s.data(), s.size());
        benchmark::DoNotOptimize(dst.data());
        double t1 = CpuSeconds();
        MemorySource src(s);
        StreamSummary sum;
        Status st = VerifyStream(src, ReaderOptions{}, &sum);
        if (!st.ok())
            std::fprintf(stderr, "verify: %s\n", st.message().c_str());
        double t2 = CpuSeconds();
        Encode(records);
        double t3 = CpuSeconds();
        best[0] = std::min(best[0], t1 - t0);
        best[1] = std::min(best[1], t2 - t1);
        best[2] = std::min(best[2], t3 - t2);
    }
    std::printf("best of %d interleaved, CPU time: memcpy %.2f ms, decode+validate %.2f ms, "
                "encode %.2f ms\n",
                rounds, best[0] * 1e3, best[1] * 1e3, best[2] * 1e3);
    std::printf("decode+validate / memcpy: %.1fx (target: at most 4x)\n", best[1] / best[0]);
    std::printf("encode: %.2f GB/s (target: at least 1 GB/s)\n", s.size() / best[2] / 1e9);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 3 && !std::strcmp(argv[1], "--emit")) {
        size_t nodes = argc >= 4 ? std::stoul(argv[3]) : 200000;
        std::ofstream(argv[2], std::ios::binary) << MakeStream(nodes, 500);
        return 0;
    }
    std::printf("stream: %zu octets, 200000 nodes, 500 connections\n", Stream().size());
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    PrintRatios(9);
    return 0;
}
