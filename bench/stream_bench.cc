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

#include <chrono>
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
        StreamError err;
        if (!VerifyStream(src, ReaderOptions{}, &sum, &err))
            state.SkipWithError(err.ToString().c_str());
        benchmark::DoNotOptimize(sum.records);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * s.size());
}
BENCHMARK(BM_DecodeValidate)->Unit(benchmark::kMillisecond);

void BM_Encode(benchmark::State &state)
{
    const std::string &s = Stream();
    /* Decode once; encode the records (views into s) every iteration. */
    std::vector<Record> records;
    MemorySource src(s);
    StreamParser p(src, ReaderOptions{});
    StreamError err;
    p.Start(&err);
    ParsedRecord rec;
    while (p.Next(&rec, &err) == StreamParser::Status::kRecord)
        records.push_back(rec.record);

    for (auto _ : state) {
        StringSink sink;
        StreamWriter w(sink, EncodeOptions{});
        std::string why;
        w.WriteHeader(&why);
        for (const Record &r : records)
            w.Write(r, &why);
        benchmark::DoNotOptimize(sink.str().data());
    }
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
        StreamError err;
        std::string why;
        ConvertStream(src, sink, co, &err, &why);
        benchmark::DoNotOptimize(sink.str().data());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * s.size());
}
BENCHMARK(BM_ConvertByteOrder)->Unit(benchmark::kMillisecond);

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
    return 0;
}
