/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A table from paths to a value, for the checks a restore makes over every
 * node of a domain's state (which nodes the stream restores, the length
 * of each node's children's names), and a store of paths for a table
 * whose keys must outlive the caller's strings.
 *
 * The keys are views: the caller keeps the strings alive and unchanged
 * for the table's life.  One array, open addressing, sized once for the
 * number of keys the caller expects: no allocation per key, which is most
 * of what std::unordered_map costs for a thousand short paths.
 */
#ifndef XSM_ENGINE_PATH_TABLE_H
#define XSM_ENGINE_PATH_TABLE_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string_view>
#include <vector>

namespace xsm {

template <typename Value>
class PathTable {
public:
    /* Room for `expected` keys at most half full; it grows if more come. */
    explicit PathTable(size_t expected) { Resize(Capacity(expected)); }

    /* The value of path, inserted as Value{} if absent; *added says which. */
    Value &At(std::string_view path, bool *added = nullptr)
    {
        if (2 * (used_ + 1) > slots_.size())
            Resize(2 * slots_.size());
        Slot &s = slots_[Find(path)];
        if (added)
            *added = !s.used;
        if (!s.used) {
            s = Slot{path, Value{}, true};
            used_++;
        }
        return s.value;
    }

    /* The value of path, or nullptr. */
    const Value *Get(std::string_view path) const
    {
        const Slot &s = slots_[Find(path)];
        return s.used ? &s.value : nullptr;
    }
    bool Contains(std::string_view path) const { return Get(path) != nullptr; }

private:
    struct Slot {
        std::string_view key;
        Value value{};
        bool used = false;
    };

    static size_t Capacity(size_t expected)
    {
        size_t n = 16;
        while (n < 2 * expected)
            n *= 2;
        return n;
    }
    /* Eight octets a step, each step a 64x64->128-bit multiply folded
     * (wyhash's "mum"), keyed with words chosen per process: the keys are
     * paths a stream chose, and a stream that could predict collisions
     * would make every probe walk them (a collision never gives a wrong
     * answer).  An octet a step (FNV) was an eighth of a restore's
     * instructions in the engine. */
    struct HashKey {
        uint64_t a, b;
    };
    static HashKey NewKey()
    {
        std::random_device rd;
        auto word = [&rd] { return (uint64_t{rd()} << 32) ^ rd(); };
        return {word(), word() | 1};
    }
    static uint64_t Mum(uint64_t x, uint64_t y)
    {
        const unsigned __int128 m = static_cast<unsigned __int128>(x) * y;
        return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
    }
    static uint64_t Hash(std::string_view s)
    {
        static const HashKey key = NewKey();
        uint64_t h = key.a ^ s.size();
        size_t i = 0;
        for (; i + 8 <= s.size(); i += 8) {
            uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            h = Mum(h ^ w, key.b);
        }
        uint64_t tail = 0;
        if (i < s.size())
            std::memcpy(&tail, s.data() + i, s.size() - i);
        /* The low bits the table's mask keeps must depend on every
         * octet: one multiply leaves octets that differ in a word's high
         * end out of them for some keys (murmur3's finaliser). */
        h = Mum(h ^ tail ^ key.a, key.b);
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdull;
        return h ^ h >> 33;
    }
    size_t Find(std::string_view path) const
    {
        const size_t mask = slots_.size() - 1;
        size_t i = static_cast<size_t>(Hash(path)) & mask;
        while (slots_[i].used && slots_[i].key != path)
            i = (i + 1) & mask;
        return i;
    }
    void Resize(size_t n)
    {
        std::vector<Slot> old(n);
        old.swap(slots_);
        used_ = 0;
        for (const Slot &s : old) {
            if (s.used) {
                slots_[Find(s.key)] = s;
                used_++;
            }
        }
    }

    std::vector<Slot> slots_;
    size_t used_ = 0;
};

/*
 * Copies of paths that stay where they are: views into them live as long
 * as the store.  Chunks, not one string per path.
 */
class PathStore {
public:
    std::string_view Keep(std::string_view path)
    {
        if (path.size() > room_) {
            const size_t n = std::max(kChunk, path.size());
            chunks_.push_back(std::make_unique<char[]>(n));
            next_ = chunks_.back().get();
            room_ = n;
        }
        char *at = next_;
        std::copy(path.begin(), path.end(), at);
        next_ += path.size();
        room_ -= path.size();
        return {at, path.size()};
    }

private:
    static constexpr size_t kChunk = 16384;
    std::vector<std::unique_ptr<char[]>> chunks_;
    char *next_ = nullptr;
    size_t room_ = 0;
};

} // namespace xsm

#endif
