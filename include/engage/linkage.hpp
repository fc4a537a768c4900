#pragma once
/// @file linkage.hpp
/// Unit-level employee-customer linkage statistics (METHODS.md section 5; PRODUCT.md sections 7 and 10): the
/// correlation of unit measures (engagement of a team) with unit outcomes (its customers' satisfaction),
/// optionally weighted by unit size, and the top- vs bottom-quartile comparison of the outcome ("utility"
/// comparison of Gallup's Q12 meta-analyses). Aggregating people to units, joining and lagging periods, and the
/// reliability of unit means (ICC(2), agreement.hpp) are done by the caller (python/engage/linkage.py).
///
/// - Weighted Pearson r: r = sum w (x - mx)(y - my) / sqrt(sum w (x - mx)^2 sum w (y - my)^2) with weighted
///   means (R `boot::corr(cbind(x, y), w)`, statsmodels `DescrStatsW(...).corrcoef`). Its test and interval use
///   Kish's effective number of units n_eff = (sum w)^2 / sum w^2 in place of n: t = r sqrt((n_eff - 2)/(1 - r^2))
///   on n_eff - 2 df and the Fisher interval tanh(atanh r +- z / sqrt(n_eff - 3)). Equal weights give exactly
///   R `cor.test` / scipy `pearsonr` (n_eff = n). With unequal weights this is an approximation (the
///   sampling variance of a weighted r has no closed form); state it when reporting.
/// - Quartile comparison: units with measure <= Q1 (bottom) and >= Q3 (top), Q1 and Q3 the type-7 quantiles
///   (R `quantile`, numpy `percentile` defaults); the difference of the outcome means top - bottom with the Welch
///   t interval and test (R `t.test(top, bottom)`, scipy `ttest_ind(equal_var=False)`), and the relative
///   difference (top - bottom) / bottom when the bottom mean is positive (Gallup's "median % difference" is the
///   same idea over many studies).
///
/// Missing data: none; the caller drops units without a measure or outcome and counts them. NaN or infinite
/// values are errors naming their index.

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "config.hpp"
#include "correlation.hpp"
#include "errors.hpp"
#include "interval.hpp"

namespace engage {

/// A (weighted) unit-level Pearson correlation with its test and Fisher interval.
struct weighted_correlation_result {
  double statistic;       ///< weighted Pearson r
  double pvalue;          ///< t test on effective_n - 2 df, against `alternative`
  double test_statistic;  ///< t
  double df;              ///< effective_n - 2
  std::size_t n;          ///< units
  double effective_n;     ///< Kish (sum w)^2 / sum w^2; equals n for equal weights
  interval ci;            ///< Fisher z interval with SE 1/sqrt(effective_n - 3); [-1, 1] when effective_n <= 3
  double confidence_level;
  correlation_alternative alternative;
};

/// Top- vs bottom-quartile comparison of an outcome.
struct quartile_comparison_result {
  double q1, q3;                     ///< type-7 quartiles of the measure (the cut points)
  std::size_t n_bottom, n_top;       ///< units with measure <= q1 and >= q3
  double mean_bottom, mean_top;      ///< outcome means
  double sd_bottom, sd_top;          ///< outcome SDs (divisor n - 1)
  double difference;                 ///< mean_top - mean_bottom
  double standard_error;             ///< sqrt(s_top^2/n_top + s_bottom^2/n_bottom)
  double df;                         ///< Welch-Satterthwaite degrees of freedom
  double test_statistic;             ///< t = difference / standard_error
  double pvalue;                     ///< two-sided
  interval ci;                       ///< difference +- t_{df} standard_error
  double relative_difference;        ///< difference / mean_bottom (NaN unless mean_bottom > 0)
  double confidence_level;
};

/// A fitted straight line with a pointwise confidence band for the mean outcome.
struct fitted_line {
  double intercept, slope;
  double residual_sd;              ///< sqrt(sum w e^2 / (n - 2))
  double df;                       ///< n - 2
  std::vector<double> at, fit, low, high;  ///< the band at the requested x values
  double confidence_level;
};

namespace detail {

inline void require_finite(double v, std::string_view argument, std::size_t i) {
  if (!std::isfinite(v)) fail_at(argument, i, v, "values must be finite (drop units without a value first)");
}

/// Weighted mean and weighted centred sums of x and y.
struct weighted_moments {
  double sw = 0, sw2 = 0, mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
};

inline weighted_moments moments(vector_view x, vector_view y, const double* w) {
  const auto n = static_cast<std::size_t>(x.size());
  weighted_moments m;
  for (std::size_t i = 0; i < n; ++i) {
    const double wi = w ? w[i] : 1.0;
    m.sw += wi, m.sw2 += wi * wi;
    m.mx += wi * x[static_cast<Eigen::Index>(i)], m.my += wi * y[static_cast<Eigen::Index>(i)];
  }
  m.mx /= m.sw, m.my /= m.sw;
  for (std::size_t i = 0; i < n; ++i) {
    const double wi = w ? w[i] : 1.0;
    const double dx = x[static_cast<Eigen::Index>(i)] - m.mx, dy = y[static_cast<Eigen::Index>(i)] - m.my;
    m.sxx += wi * dx * dx, m.syy += wi * dy * dy, m.sxy += wi * dx * dy;
  }
  return m;
}

}  // namespace detail

/**
 * Weighted Pearson correlation of unit measures x and unit outcomes y with weights w (e.g. unit sizes), its t
 * test and Fisher interval on Kish's effective number of units (see the file comment). An empty `w` means equal
 * weights (then identical to `correlation(x, y)` with `confidence_interval`). Needs 3 units or more with positive
 * weight, effective_n > 2 and neither variable constant among the positively weighted units.
 *
 * **Example**:
 * ```
 * auto r = engage::weighted_correlation(engagement, csat, team_sizes);   // r.statistic, r.ci, r.effective_n
 * ```
 */
inline weighted_correlation_result weighted_correlation(
    vector_view x, vector_view y, vector_view w, double confidence_level = 0.95,
    correlation_alternative alternative = correlation_alternative::two_sided) {
  const auto n = static_cast<std::size_t>(x.size());
  detail::require_same_length("x", n, "y", static_cast<std::size_t>(y.size()));
  const bool weighted = w.size() > 0;
  if (weighted) detail::require_same_length("weights", static_cast<std::size_t>(w.size()), "x", n);
  detail::require_confidence_level(confidence_level);
  std::size_t positive = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    detail::require_finite(x[k], "x", i);
    detail::require_finite(y[k], "y", i);
    if (weighted) {
      if (!(w[k] >= 0.0 && std::isfinite(w[k]))) detail::fail_at("weights", i, w[k], "weights must be finite and >= 0");
      positive += w[k] > 0.0;
    }
  }
  if (!weighted) positive = n;
  if (positive < 3) {
    throw insufficient_data("a unit-level correlation needs at least 3 units" +
                            std::string(weighted ? " with positive weight" : "") + "; found " +
                            std::to_string(positive));
  }
  const auto m = detail::moments(x, y, weighted ? w.data() : nullptr);
  // Constant among the units that count (zero-weight units do not).
  auto constant = [&](vector_view v) {
    double first = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      if (weighted && !(w[k] > 0.0)) continue;
      if (std::isnan(first)) first = v[k];
      else if (v[k] != first) return false;
    }
    return true;
  };
  if (constant(x)) throw invalid_input("x is constant across the units: a correlation is not defined");
  if (constant(y)) throw invalid_input("y is constant across the units: a correlation is not defined");

  weighted_correlation_result r{};
  r.n = n;
  r.effective_n = m.sw * m.sw / m.sw2;
  if (!weighted) r.effective_n = static_cast<double>(n);
  if (!(r.effective_n > 2.0)) {
    throw insufficient_data("the effective number of units (sum w)^2 / sum w^2 = " +
                            detail::format_value(r.effective_n) + " must exceed 2: one unit carries almost all weight");
  }
  const double prod = m.sxx * m.syy;
  const double den = std::isnormal(prod) ? std::sqrt(prod) : std::sqrt(m.sxx) * std::sqrt(m.syy);
  r.statistic = std::clamp(m.sxy / den, -1.0, 1.0);
  r.df = r.effective_n - 2.0;
  r.test_statistic = detail::t_from_r(r.statistic, r.df);
  r.pvalue = detail::t_pvalue(r.test_statistic, r.df, alternative);
  r.confidence_level = confidence_level;
  r.alternative = alternative;
  r.ci = {-1.0, 1.0};
  if (r.effective_n > 3.0) {
    const auto [lo_p, hi_p] = detail::tails(confidence_level, alternative);
    const boost::math::normal_distribution<double, math_policy> standard;
    const double z = std::atanh(r.statistic), se = 1.0 / std::sqrt(r.effective_n - 3.0);
    if (!std::isnan(lo_p)) r.ci.low = std::tanh(z + boost::math::quantile(standard, lo_p) * se);
    if (!std::isnan(hi_p)) r.ci.high = std::tanh(z + boost::math::quantile(standard, hi_p) * se);
  }
  return r;
}

/**
 * Top- vs bottom-quartile comparison of an outcome across units: units with measure <= Q1 against units with
 * measure >= Q3 (type-7 quartiles; tied units at a cut point go with that quartile), the difference of the
 * outcome means with the Welch interval and two-sided test, and the relative difference. Needs at least 2
 * units in each quartile group with some outcome variance, and Q1 < Q3 (otherwise the groups overlap).
 *
 * **Example**:
 * ```
 * auto q = engage::quartile_comparison(engagement, csat);   // q.difference, q.ci, q.relative_difference
 * ```
 */
inline quartile_comparison_result quartile_comparison(vector_view measure, vector_view outcome,
                                                      double confidence_level = 0.95) {
  const auto n = static_cast<std::size_t>(measure.size());
  detail::require_same_length("measure", n, "outcome", static_cast<std::size_t>(outcome.size()));
  detail::require_confidence_level(confidence_level);
  for (std::size_t i = 0; i < n; ++i) {
    detail::require_finite(measure[static_cast<Eigen::Index>(i)], "measure", i);
    detail::require_finite(outcome[static_cast<Eigen::Index>(i)], "outcome", i);
  }
  if (n < 4) {
    throw insufficient_data("a quartile comparison needs at least 4 units; found " + std::to_string(n));
  }
  std::vector<double> sorted(measure.data(), measure.data() + n);
  std::sort(sorted.begin(), sorted.end());
  quartile_comparison_result q{};
  q.confidence_level = confidence_level;
  q.q1 = detail::sorted_quantile(sorted, 0.25);
  q.q3 = detail::sorted_quantile(sorted, 0.75);
  if (!(q.q1 < q.q3)) {
    throw insufficient_data("the quartiles of the measure coincide (Q1 = Q3 = " + detail::format_value(q.q1) +
                            "): too many tied units to form separate top and bottom quartiles");
  }
  double sb = 0, st = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    if (measure[k] <= q.q1) ++q.n_bottom, sb += outcome[k];
    if (measure[k] >= q.q3) ++q.n_top, st += outcome[k];
  }
  if (q.n_bottom < 2 || q.n_top < 2) {
    throw insufficient_data("each quartile group needs at least 2 units; bottom has " + std::to_string(q.n_bottom) +
                            ", top has " + std::to_string(q.n_top));
  }
  q.mean_bottom = sb / static_cast<double>(q.n_bottom);
  q.mean_top = st / static_cast<double>(q.n_top);
  double vb = 0, vt = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    if (measure[k] <= q.q1) vb += (outcome[k] - q.mean_bottom) * (outcome[k] - q.mean_bottom);
    if (measure[k] >= q.q3) vt += (outcome[k] - q.mean_top) * (outcome[k] - q.mean_top);
  }
  vb /= static_cast<double>(q.n_bottom - 1), vt /= static_cast<double>(q.n_top - 1);
  q.sd_bottom = std::sqrt(vb), q.sd_top = std::sqrt(vt);
  const double ab = vb / static_cast<double>(q.n_bottom), at = vt / static_cast<double>(q.n_top);
  q.difference = q.mean_top - q.mean_bottom;
  q.standard_error = std::sqrt(ab + at);
  q.relative_difference =
      q.mean_bottom > 0.0 ? q.difference / q.mean_bottom : std::numeric_limits<double>::quiet_NaN();
  if (!(q.standard_error > 0.0)) {
    throw insufficient_data("the outcome is constant within both quartile groups: the Welch interval is not defined");
  }
  q.df = (ab + at) * (ab + at) /
         (ab * ab / static_cast<double>(q.n_bottom - 1) + at * at / static_cast<double>(q.n_top - 1));
  q.test_statistic = q.difference / q.standard_error;
  const boost::math::students_t_distribution<double, math_policy> dist(q.df);
  q.pvalue = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(q.test_statistic))));
  const double crit = boost::math::quantile(dist, 0.5 + confidence_level / 2.0);
  q.ci = {q.difference - crit * q.standard_error, q.difference + crit * q.standard_error};
  return q;
}

/**
 * (Weighted) least-squares line of y on x and the pointwise confidence band of the mean of y at the given x
 * values, for the scatter plot of a linkage: fit +- t_{n-2} s sqrt(1/sum w + (x0 - mx)^2 / sum w (x - mx)^2),
 * s^2 = sum w e^2 / (n - 2), as R `predict(lm(y ~ x, weights = w), newdata, interval = "confidence")`. An empty
 * `w` means equal weights. Needs 3 units or more and x not constant.
 *
 * **Example**:
 * ```
 * auto band = engage::fit_line_band(engagement, csat, {}, grid);   // band.fit, band.low, band.high
 * ```
 */
inline fitted_line fit_line_band(vector_view x, vector_view y, vector_view w, vector_view at,
                                 double confidence_level = 0.95) {
  const auto n = static_cast<std::size_t>(x.size());
  detail::require_same_length("x", n, "y", static_cast<std::size_t>(y.size()));
  const bool weighted = w.size() > 0;
  if (weighted) detail::require_same_length("weights", static_cast<std::size_t>(w.size()), "x", n);
  detail::require_confidence_level(confidence_level);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    detail::require_finite(x[k], "x", i);
    detail::require_finite(y[k], "y", i);
    if (weighted && !(w[k] > 0.0 && std::isfinite(w[k]))) detail::fail_at("weights", i, w[k], "weights must be finite and > 0");
  }
  for (Eigen::Index i = 0; i < at.size(); ++i) detail::require_finite(at[i], "at", static_cast<std::size_t>(i));
  if (n < 3) throw insufficient_data("a fitted line with a band needs at least 3 units; found " + std::to_string(n));
  const auto m = detail::moments(x, y, weighted ? w.data() : nullptr);
  if (!(m.sxx > 0.0)) throw invalid_input("x is constant across the units: no line can be fitted");
  fitted_line f{};
  f.confidence_level = confidence_level;
  f.slope = m.sxy / m.sxx;
  f.intercept = m.my - f.slope * m.mx;
  f.df = static_cast<double>(n) - 2.0;
  double sse = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    const double e = y[k] - f.intercept - f.slope * x[k];
    sse += (weighted ? w[k] : 1.0) * e * e;
  }
  f.residual_sd = std::sqrt(sse / f.df);
  const boost::math::students_t_distribution<double, math_policy> dist(f.df);
  const double crit = boost::math::quantile(dist, 0.5 + confidence_level / 2.0);
  const auto k = static_cast<std::size_t>(at.size());
  f.at.resize(k), f.fit.resize(k), f.low.resize(k), f.high.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    const double x0 = at[static_cast<Eigen::Index>(i)];
    const double fit = f.intercept + f.slope * x0;
    const double se = f.residual_sd * std::sqrt(1.0 / m.sw + (x0 - m.mx) * (x0 - m.mx) / m.sxx);
    f.at[i] = x0, f.fit[i] = fit, f.low[i] = fit - crit * se, f.high[i] = fit + crit * se;
  }
  return f;
}

}  // namespace engage
