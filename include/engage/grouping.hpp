#pragma once
/// @file grouping.hpp
/// The one grouping pass every grouped statistic uses: rows carry dense group codes 0..G-1 and a
/// statistic's mergeable accumulator is filled for all groups in a single sweep, O(n + G).

#include <algorithm>
#include <exception>
#include <thread>
#include <cstdint>
#include <numeric>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "config.hpp"
#include "errors.hpp"

namespace engage {

namespace detail {

/// Smallest and largest key in one branch-free sweep (std::minmax_element is several times slower here).

/**
 * Runs `work(begin, end, chunk)` over [0, n) in contiguous chunks on up to `hardware_concurrency` threads
 * (one chunk, on the calling thread, when n < 2 * min_chunk). If chunks throw, the exception of the lowest
 * chunk is rethrown, so an error names the first offending row exactly as a serial pass would.
 */
/// How many chunks `parallel_chunks` uses for n items (callers size per-chunk buffers with it).
inline std::size_t chunk_count(std::size_t n, std::size_t min_chunk) {
  const std::size_t hw = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<std::size_t>(n / std::max<std::size_t>(min_chunk, 1), 1, std::min<std::size_t>(hw, 8));
}

template <class Work>
void parallel_chunks(std::size_t n, std::size_t min_chunk, Work&& work) {
  const std::size_t chunks = chunk_count(n, min_chunk);
  if (chunks == 1) {
    work(std::size_t{0}, n, std::size_t{0});
    return;
  }
  std::vector<std::exception_ptr> errors(chunks);
  std::vector<std::thread> threads;
  threads.reserve(chunks - 1);
  auto run = [&](std::size_t c) {
    try {
      work(n * c / chunks, n * (c + 1) / chunks, c);
    } catch (...) {
      errors[c] = std::current_exception();
    }
  };
  for (std::size_t c = 1; c < chunks; ++c) threads.emplace_back(run, c);
  run(0);
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

inline std::pair<std::int64_t, std::int64_t> min_max(codes_view keys) {
  const std::int64_t* k = keys.data();
  const auto n = static_cast<std::size_t>(keys.size());
  if (n == 0) throw insufficient_data("groups: no keys");
  std::vector<std::pair<std::int64_t, std::int64_t>> parts(chunk_count(n, std::size_t{1} << 21), {k[0], k[0]});
  parallel_chunks(n, std::size_t{1} << 21, [&](std::size_t begin, std::size_t end, std::size_t c) {
    std::int64_t lo = k[begin], hi = k[begin];
    for (std::size_t i = begin + 1; i < end; ++i) lo = std::min(lo, k[i]), hi = std::max(hi, k[i]);
    parts[c] = {lo, hi};
  });
  std::pair<std::int64_t, std::int64_t> out = parts[0];
  for (const auto& [lo, hi] : parts) out.first = std::min(out.first, lo), out.second = std::max(out.second, hi);
  return out;
}

}  // namespace detail

/// Dense codes for integer keys: `codes[i]` indexes `keys`, which is sorted ascending.
struct factorized {
  std::vector<std::int64_t> codes;
  std::vector<std::int64_t> keys;
};

/**
 * Maps arbitrary integer keys (team ids, say) to dense codes 0..G-1 in key order.
 * O(n) when the keys span a range comparable to n (a direct-address table), O(n log G) otherwise.
 *
 * **Example**:
 * ```
 * std::vector<std::int64_t> team = {42, 7, 42};
 * auto f = engage::factorize(Eigen::Map<const Eigen::Matrix<std::int64_t, -1, 1>>(team.data(), 3));
 * // f.keys == {7, 42}, f.codes == {1, 0, 1}
 * ```
 */
inline factorized factorize(codes_view keys) {
  factorized out;
  const auto n = static_cast<std::size_t>(keys.size());
  out.codes.resize(n);
  if (n == 0) return out;
  const auto [lo, hi] = detail::min_max(keys);
  // Unsigned span avoids overflow for keys near the int64 limits.
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span <= 4 * static_cast<std::uint64_t>(n) + 1024) {
    std::vector<std::int64_t> slot(static_cast<std::size_t>(span) + 1, -1);
    for (std::size_t i = 0; i < n; ++i) slot[static_cast<std::size_t>(keys[static_cast<Eigen::Index>(i)] - lo)] = 0;
    std::int64_t next = 0;
    for (std::size_t s = 0; s < slot.size(); ++s) {
      if (slot[s] == 0) {
        slot[s] = next++;
        out.keys.push_back(lo + static_cast<std::int64_t>(s));
      }
    }
    for (std::size_t i = 0; i < n; ++i) out.codes[i] = slot[static_cast<std::size_t>(keys[static_cast<Eigen::Index>(i)] - lo)];
  } else {
    out.keys.assign(keys.data(), keys.data() + n);
    std::sort(out.keys.begin(), out.keys.end());
    out.keys.erase(std::unique(out.keys.begin(), out.keys.end()), out.keys.end());
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = keys[static_cast<Eigen::Index>(i)];
      out.codes[i] = std::lower_bound(out.keys.begin(), out.keys.end(), k) - out.keys.begin();
    }
  }
  return out;
}

namespace detail {

[[noreturn]] inline void bad_code(Eigen::Index row, std::int64_t code, std::size_t n_groups) {
  fail_at("groups", static_cast<std::size_t>(row), static_cast<double>(code),
          "group codes must lie in [0, " + std::to_string(n_groups) + ")");
}

}  // namespace detail

/**
 * The single grouping pass: `add(acc[codes[i]], i)` for every row, then the accumulators, one per group.
 * `Acc` is a statistic's mergeable partial result (it starts value-initialised).
 *
 * **Example**:
 * ```
 * auto sizes = engage::accumulate_by<std::size_t>(codes, n_groups, [](std::size_t& a, Eigen::Index) { ++a; });
 * ```
 */
template <class Acc, class Add>
std::vector<Acc> accumulate_by(codes_view codes, std::size_t n_groups, Add&& add) {
  std::vector<Acc> acc(n_groups);
  for (Eigen::Index i = 0; i < codes.size(); ++i) {
    const auto c = codes[i];
    // Checked in the same sweep: a bad code is an error naming its row, never an out-of-bounds write.
    if (c < 0 || static_cast<std::uint64_t>(c) >= n_groups) detail::bad_code(i, c, n_groups);
    add(acc[static_cast<std::size_t>(c)], i);
  }
  return acc;
}

/// Accumulators for the groups present in the data, keyed by the original integer key (sorted ascending).
template <class Acc>
struct keyed {
  std::vector<std::int64_t> keys;
  std::vector<Acc> values;
};

/// `accumulate_by_key` with `present(acc)` telling whether a direct-addressed slot was touched (saves the byte
/// per slot when, as for counts, any row changes its accumulator).
template <class Acc, class Add, class Present>
keyed<Acc> accumulate_by_key(codes_view keys, Add&& add, Present present) {
  constexpr bool track = std::is_same_v<Present, std::nullptr_t>;
  keyed<Acc> out;
  const auto n = static_cast<std::size_t>(keys.size());
  if (n == 0) return out;
  const auto [lo, hi] = detail::min_max(keys);
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span <= 4 * static_cast<std::uint64_t>(n) + 1024) {
    std::vector<Acc> slots(static_cast<std::size_t>(span) + 1);
    std::vector<std::uint8_t> seen(track ? slots.size() : 0, 0);
    const std::int64_t* k = keys.data();
    for (std::size_t i = 0; i < n; ++i) {
      const auto slot = static_cast<std::size_t>(static_cast<std::uint64_t>(k[i]) - static_cast<std::uint64_t>(lo));
      if constexpr (track) seen[slot] = 1;
      add(slots[slot], static_cast<Eigen::Index>(i));
    }
    for (std::size_t s = 0; s < slots.size(); ++s) {
      if constexpr (track) {
        if (!seen[s]) continue;
      } else {
        if (!present(slots[s])) continue;
      }
      out.keys.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + s));
      out.values.push_back(std::move(slots[s]));
    }
    return out;
  }
  auto f = factorize(keys);
  const Eigen::Map<const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>> codes(f.codes.data(),
                                                                               static_cast<Eigen::Index>(n));
  out.values = accumulate_by<Acc>(codes, f.keys.size(), std::forward<Add>(add));
  out.keys = std::move(f.keys);
  return out;
}

/**
 * The single grouping pass on raw integer keys (team ids, or several key columns combined into one integer):
 * coding and accumulating in one sweep. When the keys span a range comparable to n the accumulators are
 * addressed directly by key (no code array is ever written); otherwise the keys are factorized first.
 *
 * **Example**:
 * ```
 * auto sizes = engage::accumulate_by_key<std::size_t>(team_ids, [](std::size_t& a, Eigen::Index) { ++a; });
 * // sizes.keys: the team ids present, sorted; sizes.values: respondents per team
 * ```
 */
template <class Acc, class Add>
keyed<Acc> accumulate_by_key(codes_view keys, Add&& add) {
  // Without a way to tell an untouched accumulator, a byte per slot records which keys occur.
  return accumulate_by_key<Acc>(keys, std::forward<Add>(add), nullptr);
}

}  // namespace engage
