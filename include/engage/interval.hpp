#pragma once
/// @file interval.hpp
/// The interval vocabulary shared by every area: a (low, high) pair and the normal critical value.

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <utility>
#include <vector>

#include "config.hpp"
#include "errors.hpp"

namespace engage {

/// A two-sided interval. Field names follow scipy (`low`, `high`).
struct interval {
  double low;
  double high;
};

namespace detail {

/// z_{1-(1-level)/2}: the two-sided normal critical value for a confidence level in (0, 1).
inline double normal_critical(double confidence_level) {
  require_confidence_level(confidence_level);
  const boost::math::normal_distribution<double, math_policy> standard;
  return boost::math::quantile(standard, 0.5 + confidence_level / 2.0);
}

/// Two-sided p-value of a standard normal statistic.
inline double normal_two_sided_p(double z) {
  if (std::isnan(z)) return z;
  const boost::math::normal_distribution<double, math_policy> standard;
  return 2.0 * boost::math::cdf(boost::math::complement(standard, std::fabs(z)));
}

/// Type-7 (linear interpolation, numpy's and R's default) quantile of a sorted sample.
inline double sorted_quantile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace detail
}  // namespace engage
