#pragma once
/// @file grouping.hpp
/// The one grouping pass every grouped statistic uses: rows carry dense group codes 0..G-1 and a
/// statistic's mergeable accumulator is filled for all groups in a single sweep, O(n + G).

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "config.hpp"
#include "errors.hpp"

namespace engage {

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
  const auto [mn, mx] = std::minmax_element(keys.data(), keys.data() + n);
  const std::int64_t lo = *mn, hi = *mx;
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

}  // namespace engage
