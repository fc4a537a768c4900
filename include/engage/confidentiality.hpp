#pragma once
/// @file confidentiality.hpp
/// The confidentiality engine every grouped output goes through.
///
/// Primary suppression hides a group whose respondent count is below `min_group_size`. Complementary
/// suppression then hides the next smallest group(s) of the same parent until the hidden groups together hold
/// at least `min_group_size` respondents, so "parent minus the shown groups" recovers only an aggregate that is
/// itself large enough to publish. Groups are compared within their parent (the breakdown level above), which
/// is what protects a team against "department minus its other teams".

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <unordered_map>
#include <vector>

#include "errors.hpp"

namespace engage {

/// Why a row of a breakdown is (not) shown.
enum class suppression : std::uint8_t {
  shown = 0,          ///< published
  below_minimum = 1,  ///< fewer respondents than the minimum group size (primary suppression)
  complementary = 2,  ///< hidden so that the primary-suppressed groups cannot be recovered by subtraction
};

/// Text used in every output for a suppression state ("shown", "below_minimum", "complementary").
inline const char* to_string(suppression s) {
  switch (s) {
    case suppression::shown: return "shown";
    case suppression::below_minimum: return "below_minimum";
    case suppression::complementary: return "complementary";
  }
  return "unknown";
}

/**
 * Decides which cells of a breakdown are published.
 *
 * @param n        respondents behind each cell's figure
 * @param parent   partition of each cell (cells are compared within their parent); empty means one partition
 * @param min_group_size  smallest publishable count (default in the Python API: 5); must be >= 1
 *
 * A cell with n = 0 has no figure to protect and gives no cover: it is marked `below_minimum` and does not
 * count toward the hidden total. Ties for "next smallest" are broken by cell position, so results are stable.
 *
 * **Example**:
 * ```
 * auto s = engage::suppress({12, 3, 9, 30}, {}, 5);
 * // s == {shown, below_minimum, complementary, shown}: 3 alone could be recovered, 3 + 9 cannot.
 * ```
 */
inline std::vector<suppression> suppress(const std::vector<std::size_t>& n, const std::vector<std::int64_t>& parent,
                                         std::size_t min_group_size) {
  if (min_group_size < 1) throw invalid_input("min_group_size = 0: must be at least 1");
  if (!parent.empty()) detail::require_same_length("parent", parent.size(), "n", n.size());
  std::vector<suppression> out(n.size(), suppression::shown);

  // Cells by partition, each list sorted smallest first.
  std::unordered_map<std::int64_t, std::vector<std::size_t>> parts;
  for (std::size_t i = 0; i < n.size(); ++i) parts[parent.empty() ? 0 : parent[i]].push_back(i);

  for (auto& [key, cells] : parts) {
    std::stable_sort(cells.begin(), cells.end(), [&](std::size_t a, std::size_t b) { return n[a] < n[b]; });
    std::size_t hidden_total = 0;
    bool any_hidden = false;
    for (const std::size_t c : cells) {
      if (n[c] < min_group_size) {
        out[c] = suppression::below_minimum;
        hidden_total += n[c];
        any_hidden = any_hidden || n[c] > 0;
      }
    }
    // Smallest shown cells first: each one added lifts the hidden aggregate to a publishable size.
    for (const std::size_t c : cells) {
      if (!any_hidden || hidden_total >= min_group_size) break;
      if (out[c] != suppression::shown) continue;
      out[c] = suppression::complementary;
      hidden_total += n[c];
    }
  }
  return out;
}

}  // namespace engage
