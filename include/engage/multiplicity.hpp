#pragma once
/// @file multiplicity.hpp
/// Adjusting p-values for many comparisons (each team against the rest of the company, say), with the
/// definitions and names of R's `p.adjust`. R's default, Holm, is ours too; note that statsmodels'
/// `multipletests` defaults to Holm-Sidak, which is a different method.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace engage {

/// Methods of `adjust_pvalues`, named as in R's `p.adjust`.
enum class p_adjust_method { holm, hochberg, bonferroni, bh, by, none };

/// Parses "holm", "hochberg", "bonferroni", "BH" (or "fdr", "fdr_bh"), "BY" (or "fdr_by"), "none".
inline p_adjust_method parse_p_adjust_method(std::string_view name) {
  if (name == "holm") return p_adjust_method::holm;
  if (name == "hochberg") return p_adjust_method::hochberg;
  if (name == "bonferroni") return p_adjust_method::bonferroni;
  if (name == "BH" || name == "fdr" || name == "fdr_bh") return p_adjust_method::bh;
  if (name == "BY" || name == "fdr_by") return p_adjust_method::by;
  if (name == "none") return p_adjust_method::none;
  throw invalid_input("method = '" + std::string(name) +
                      "': expected one of 'holm', 'hochberg', 'bonferroni', 'BH', 'BY', 'none'");
}

/**
 * Adjusted p-values in input order. NaN entries stay NaN and are not counted in the number of tests
 * (as R's `p.adjust` with its default `n`).
 *
 *   Holm      p~(i) = max_{j<=i} min(1, (m-j+1) p(j))
 *   Hochberg  p~(i) = min_{j>=i} min(1, (m-j+1) p(j))
 *   BH        p~(i) = min_{j>=i} min(1, m p(j) / j);   BY: the BH value times sum_{i=1}^m 1/i
 *
 * **Example**:
 * ```
 * auto q = engage::adjust_pvalues({0.01, 0.04, 0.03}, engage::p_adjust_method::holm);  // {0.03, 0.06, 0.06}
 * ```
 */
inline std::vector<double> adjust_pvalues(const std::vector<double>& p, p_adjust_method method) {
  std::vector<std::size_t> order;
  order.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i])) continue;
    if (p[i] < 0.0 || p[i] > 1.0) detail::fail_at("p", i, p[i], "p-values must lie in [0, 1]");
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  const auto m = static_cast<double>(order.size());
  std::vector<double> out(p.size(), std::numeric_limits<double>::quiet_NaN());
  const std::size_t k = order.size();
  auto rank = [](std::size_t j) { return static_cast<double>(j + 1); };  // 1-based rank of sorted position j

  switch (method) {
    case p_adjust_method::none:
      for (const auto i : order) out[i] = p[i];
      break;
    case p_adjust_method::bonferroni:
      for (const auto i : order) out[i] = std::min(1.0, m * p[i]);
      break;
    case p_adjust_method::holm: {
      double running = 0.0;  // step-down: cumulative maximum from the smallest p
      for (std::size_t j = 0; j < k; ++j) {
        running = std::max(running, std::min(1.0, (m - rank(j) + 1.0) * p[order[j]]));
        out[order[j]] = running;
      }
      break;
    }
    case p_adjust_method::hochberg:
    case p_adjust_method::bh:
    case p_adjust_method::by: {
      double c = 1.0;
      if (method == p_adjust_method::by) {
        c = 0.0;
        for (std::size_t i = 1; i <= k; ++i) c += 1.0 / static_cast<double>(i);
      }
      double running = 1.0;  // step-up: cumulative minimum from the largest p
      for (std::size_t j = k; j-- > 0;) {
        const double raw = method == p_adjust_method::hochberg ? (m - rank(j) + 1.0) * p[order[j]]
                                                                : c * m * p[order[j]] / rank(j);
        running = std::min(running, std::min(1.0, raw));
        out[order[j]] = running;
      }
      break;
    }
  }
  return out;
}

}  // namespace engage
