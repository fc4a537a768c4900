#pragma once
/// @file correlation.hpp
/// Correlation with honest uncertainty, for linking engagement to outcomes (customer scores, sales, turnover):
/// Pearson r, Spearman rho_s and Kendall tau_b with their tests and intervals, partial correlation, a seeded and
/// thread-count-independent paired bootstrap (percentile and BCa), and the psychometric corrections for
/// attenuation and direct range restriction.
///
/// Formulas: METHODS.md section 5.
/// - Tests. Pearson and Spearman: t = r sqrt(df / (1 - r^2)), df = n - 2 - k (k covariates), Student t, as
///   scipy `pearsonr`/`spearmanr` and R `cor.test` (Spearman with `exact = FALSE`). Kendall tau_b: normal test of
///   S = n_c - n_d with the tie-corrected variance, as scipy `kendalltau(method="asymptotic")` and R `cor.test(
///   method = "kendall", exact = FALSE)`. (scipy's default `method="auto"` switches to the exact null distribution
///   for n <= 33 without ties; engage always uses the asymptotic test.)
/// - Intervals on z = atanh(r), back-transformed with tanh: Fisher SE 1/sqrt(n - 3 - k) (Pearson, as scipy and
///   R); Bonett & Wright (2000) SE sqrt((1 + r^2/2)/(n - 3)) (Spearman); Fieller et al. (1957) SE
///   sqrt(0.437/(n - 4)) (Kendall) and sqrt(1.06/(n - 3)) (Spearman). One-sided alternatives give one-sided
///   intervals, as scipy `pearsonr(...).confidence_interval()`.
/// - Bootstrap: pairs (rows) resampled with replacement; percentile and BCa with jackknife acceleration (as scipy
///   `bootstrap(paired=True)`; R `boot.ci(type = "bca")` estimates the acceleration by regression instead, so R
///   and scipy/engage BCa differ slightly even on identical resamples).
///
/// Missing-data policy: NaN is missing. `correlation` uses pairwise-complete observations (a pair is dropped when
/// x or y is NaN); `partial_correlation` uses complete rows (listwise over x, y and every covariate). What was
/// dropped is counted in `missing`. Infinite values are errors.

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"

namespace engage {

/// Correlation coefficients: Pearson r, Spearman rho_s (Pearson r of mid-ranks), Kendall tau_b.
enum class correlation_method { pearson, spearman, kendall };

/// Alternative hypothesis of the test (and sidedness of the interval), named as in scipy.
enum class correlation_alternative { two_sided, less, greater };

/// Interval methods; `automatic` picks the method's default (Fisher for Pearson and partial correlations,
/// Bonett-Wright for Spearman, Fieller for Kendall).
enum class correlation_ci_method { automatic, fisher, bonett_wright, fieller, bootstrap_percentile, bca };

/// Parses "pearson", "spearman", "kendall".
inline correlation_method parse_correlation_method(std::string_view name) {
  if (name == "pearson") return correlation_method::pearson;
  if (name == "spearman") return correlation_method::spearman;
  if (name == "kendall") return correlation_method::kendall;
  throw invalid_input("method = '" + std::string(name) + "': expected one of 'pearson', 'spearman', 'kendall'");
}

/// Parses "two-sided", "less", "greater".
inline correlation_alternative parse_correlation_alternative(std::string_view name) {
  if (name == "two-sided") return correlation_alternative::two_sided;
  if (name == "less") return correlation_alternative::less;
  if (name == "greater") return correlation_alternative::greater;
  throw invalid_input("alternative = '" + std::string(name) + "': expected one of 'two-sided', 'less', 'greater'");
}

/// Parses "fisher", "bonett-wright", "fieller", "bootstrap-percentile", "bca" (empty: automatic).
inline correlation_ci_method parse_correlation_ci_method(std::string_view name) {
  if (name.empty()) return correlation_ci_method::automatic;
  if (name == "fisher") return correlation_ci_method::fisher;
  if (name == "bonett-wright") return correlation_ci_method::bonett_wright;
  if (name == "fieller") return correlation_ci_method::fieller;
  if (name == "bootstrap-percentile") return correlation_ci_method::bootstrap_percentile;
  if (name == "bca") return correlation_ci_method::bca;
  throw invalid_input("method = '" + std::string(name) +
                      "': expected one of 'fisher', 'bonett-wright', 'fieller', 'bootstrap-percentile', 'bca'");
}

/// The Python-facing names of the enums above.
inline std::string_view to_string(correlation_method m) {
  switch (m) {
    case correlation_method::pearson: return "pearson";
    case correlation_method::spearman: return "spearman";
    case correlation_method::kendall: return "kendall";
  }
  return "?";
}
inline std::string_view to_string(correlation_alternative a) {
  switch (a) {
    case correlation_alternative::two_sided: return "two-sided";
    case correlation_alternative::less: return "less";
    case correlation_alternative::greater: return "greater";
  }
  return "?";
}
inline std::string_view to_string(correlation_ci_method m) {
  switch (m) {
    case correlation_ci_method::automatic: return "";
    case correlation_ci_method::fisher: return "fisher";
    case correlation_ci_method::bonett_wright: return "bonett-wright";
    case correlation_ci_method::fieller: return "fieller";
    case correlation_ci_method::bootstrap_percentile: return "bootstrap-percentile";
    case correlation_ci_method::bca: return "bca";
  }
  return "?";
}

/// A correlation (or partial correlation) with its test.
struct correlation_result {
  double statistic;       ///< r, rho_s or tau_b (the partial coefficient when covariates > 0), in [-1, 1]
  double pvalue;          ///< of H0: no association, against `alternative`
  double test_statistic;  ///< t (Pearson, Spearman; `df` degrees of freedom) or z (Kendall)
  double df;              ///< n - 2 - covariates for the t tests; NaN for Kendall (normal test)
  std::size_t n;          ///< complete pairs (rows) used
  std::size_t missing;    ///< pairs (rows) dropped because a value was NaN
  std::size_t covariates; ///< k, the number of covariates partialled out (0 for a plain correlation)
  correlation_method method;
  correlation_alternative alternative;
};

/// Options of the paired bootstrap. Results depend on (seed, n_resamples) only, never on the thread count.
struct correlation_bootstrap_options {
  std::size_t n_resamples = 9999;
  std::uint64_t seed = 0;
};

/// A bootstrap interval with its diagnostics.
struct correlation_bootstrap_result {
  interval ci;                  ///< NaN ends when `degenerate`
  double confidence_level;
  correlation_ci_method method; ///< bootstrap_percentile or bca
  std::size_t n_resamples;      ///< resamples drawn
  std::size_t dropped;          ///< resamples whose statistic was undefined (a constant variable), excluded
  bool degenerate;              ///< no interval could be formed; `reason` says why
  std::string reason;           ///< empty unless degenerate
  double standard_error;        ///< SD (divisor B - 1) of the valid resampled statistics
  double bias_correction;       ///< BCa z0 = Phi^-1(#{theta* < theta_hat} / B_valid); NaN for percentile
  double acceleration;          ///< BCa jackknife acceleration a; NaN for percentile
  std::vector<double> distribution;  ///< resampled statistics in resample order (NaN for dropped ones)
};

/// A corrected correlation (attenuation or range restriction).
struct corrected_correlation {
  double statistic;  ///< corrected value (for attenuation it can leave [-1, 1])
  double clipped;    ///< `statistic` clipped to [-1, 1]
  bool exceeds_one;  ///< |statistic| > 1: the reliabilities are too low for this r (or r is inflated)
  double observed;   ///< the uncorrected r
};

namespace detail {

inline constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

/// Complete rows of the data: x, y and the covariates (column-major, n x k).
struct correlation_data {
  std::vector<double> x, y;
  Eigen::MatrixXd z;
  std::size_t missing = 0;
  [[nodiscard]] std::size_t n() const { return x.size(); }
};

inline void require_finite_or_nan(double v, std::string_view argument, std::size_t i) {
  if (std::isinf(v)) fail_at(argument, i, v, "values must be finite (NaN marks a missing value)");
}

/// Exact test for a constant column (a mean-based variance can be a tiny non-zero number for equal values).
inline bool all_equal(const double* v, std::size_t n) {
  for (std::size_t i = 1; i < n; ++i)
    if (v[i] != v[0]) return false;
  return true;
}

[[noreturn]] inline void constant_variable(std::string_view argument, std::size_t n, double value) {
  throw invalid_input(std::string(argument) + " is constant (all " + std::to_string(n) +
                      " complete values equal " + format_value(value) +
                      "): a correlation with a zero-variance variable is not defined");
}

inline std::string dropped_note(std::size_t missing, std::string_view what) {
  return missing == 0 ? std::string()
                      : " (" + std::to_string(missing) + " " + std::string(what) + " dropped because of NaN)";
}

/// The power of two that brings the largest |v| to [0.5, 1): scaling by it is exact, and keeps sums and products
/// of 1e200 or 1e-170 from overflowing or underflowing (r is scale-invariant).
inline int scale_exponent(const double* v, std::size_t n) {
  double m = 0.0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::abs(v[i]));
  int e = 0;
  if (m > 0.0 && std::isfinite(m)) std::frexp(m, &e);
  return e;
}

/// Pearson r of two arrays; NaN if either is constant. Each array is scaled by a power of two first (exact), then
/// two-pass (centred) sums; clipped to [-1, 1].
inline double pearson_r(const double* x, const double* y, std::size_t n) {
  if (n < 2 || all_equal(x, n) || all_equal(y, n)) return nan_v;
  const int ex = scale_exponent(x, n), ey = scale_exponent(y, n);
  const auto sx = [&](std::size_t i) { return std::ldexp(x[i], -ex); };
  const auto sy = [&](std::size_t i) { return std::ldexp(y[i], -ey); };
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < n; ++i) mx += sx(i), my += sy(i);
  mx /= static_cast<double>(n), my /= static_cast<double>(n);
  double sxx = 0.0, syy = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = sx(i) - mx, dy = sy(i) - my;
    sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
  }
  if (!(sxx > 0.0 && syy > 0.0)) return nan_v;
  // sqrt of the product keeps exactly proportional data at exactly +-1; the split form avoids over/underflow.
  const double prod = sxx * syy;
  const double den = std::isnormal(prod) ? std::sqrt(prod) : std::sqrt(sxx) * std::sqrt(syy);
  return std::clamp(sxy / den, -1.0, 1.0);
}

/// Scratch of `midranks`: (value, position) pairs, sorted contiguously (faster than an indirect index sort).
using rank_scratch = std::vector<std::pair<double, std::size_t>>;

/// Mid-ranks (1-based, ties get the average rank, as scipy `rankdata` and R `rank`).
inline void midranks(const double* v, std::size_t n, double* out, rank_scratch& order) {
  order.resize(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {v[i], i};
  std::sort(order.begin(), order.end());
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && order[j].first == order[i].first) ++j;
    const double rank = 0.5 * static_cast<double>(i + 1 + j);  // average of ranks i+1 .. j
    for (std::size_t k = i; k < j; ++k) out[order[k].second] = rank;
    i = j;
  }
}

/// Counts behind Kendall's tau_b and its tie-corrected variance (scipy's names in comments).
struct kendall_counts {
  std::uint64_t n = 0;
  std::uint64_t pairs = 0;       ///< n(n-1)/2                         (tot)
  std::uint64_t discordant = 0;  ///<                                   (dis)
  std::uint64_t x_ties = 0;      ///< sum over x tie groups t(t-1)/2    (xtie)
  std::uint64_t y_ties = 0;      ///< likewise for y                    (ytie)
  std::uint64_t joint_ties = 0;  ///< pairs tied in both x and y        (ntie)
  double x0 = 0, x1 = 0;         ///< sum t(t-1)(t-2), sum t(t-1)(2t+5) over x tie groups
  double y0 = 0, y1 = 0;

  /// S = n_c - n_d.
  [[nodiscard]] double s() const {
    return static_cast<double>(static_cast<std::int64_t>(pairs - x_ties - y_ties + joint_ties) -
                               2 * static_cast<std::int64_t>(discordant));
  }
  [[nodiscard]] double tau_b() const {
    if (x_ties == pairs || y_ties == pairs) return nan_v;  // a constant variable
    const double d = std::sqrt(static_cast<double>(pairs - x_ties)) * std::sqrt(static_cast<double>(pairs - y_ties));
    return std::clamp(s() / d, -1.0, 1.0);
  }
  /// Var(S) under independence with ties (Kendall 1970; scipy `kendalltau` asymptotic).
  [[nodiscard]] double variance() const {
    const double nn = static_cast<double>(n), m = nn * (nn - 1.0);
    return (m * (2.0 * nn + 5.0) - x1 - y1) / 18.0 +
           2.0 * static_cast<double>(x_ties) * static_cast<double>(y_ties) / m + x0 * y0 / (9.0 * m * (nn - 2.0));
  }
};

/// Scratch buffers of the Kendall count (reused across bootstrap resamples).
struct kendall_workspace {
  std::vector<std::pair<double, double>> pairs;
  std::vector<double> y, buffer;
};

/// Adds one tie group of size t to the tie sums.
inline void add_tie_group(std::uint64_t t, std::uint64_t& ties, double& s0, double& s1) {
  if (t < 2) return;
  const double td = static_cast<double>(t);
  ties += t * (t - 1) / 2;
  s0 += td * (td - 1.0) * (td - 2.0);
  s1 += td * (td - 1.0) * (2.0 * td + 5.0);
}

/**
 * Knight's (1966) O(n log n) algorithm: sort the pairs by (x, y); count x ties and joint ties on the sorted
 * pairs; then a bottom-up merge sort of the y sequence counts the discordant pairs as strict inversions (y is
 * ascending within an x tie group, so pairs tied in x are never counted); y ties are counted on the sorted y.
 */
inline kendall_counts kendall_count(const double* x, const double* y, std::size_t n, kendall_workspace& w) {
  kendall_counts c;
  c.n = n;
  c.pairs = static_cast<std::uint64_t>(n) * (n - 1) / 2;
  w.pairs.resize(n);
  for (std::size_t i = 0; i < n; ++i) w.pairs[i] = {x[i], y[i]};
  std::sort(w.pairs.begin(), w.pairs.end());
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && w.pairs[j].first == w.pairs[i].first) ++j;
    add_tie_group(j - i, c.x_ties, c.x0, c.x1);
    for (std::size_t a = i; a < j;) {  // joint ties: runs of equal y inside the x group
      std::size_t b = a + 1;
      while (b < j && w.pairs[b].second == w.pairs[a].second) ++b;
      c.joint_ties += static_cast<std::uint64_t>(b - a) * (b - a - 1) / 2;
      a = b;
    }
    i = j;
  }
  w.y.resize(n);
  w.buffer.resize(n);
  for (std::size_t i = 0; i < n; ++i) w.y[i] = w.pairs[i].second;
  double* src = w.y.data();
  double* dst = w.buffer.data();
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (src[j] < src[i]) {
          c.discordant += mid - i;  // src[j] is below every remaining left element
          dst[k++] = src[j++];
        } else {
          dst[k++] = src[i++];
        }
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    std::swap(src, dst);
  }
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && src[j] == src[i]) ++j;
    add_tie_group(j - i, c.y_ties, c.y0, c.y1);
    i = j;
  }
  return c;
}

/// p-value of a t statistic with df degrees of freedom (t = +-inf when |r| = 1).
inline double t_pvalue(double t, double df, correlation_alternative alt) {
  if (std::isnan(t)) return nan_v;
  if (std::isinf(t)) {
    if (alt == correlation_alternative::two_sided) return 0.0;
    return (alt == correlation_alternative::less) == (t > 0) ? 1.0 : 0.0;
  }
  const boost::math::students_t_distribution<double, math_policy> dist(df);
  switch (alt) {
    case correlation_alternative::two_sided:
      return std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t))));
    case correlation_alternative::less: return boost::math::cdf(dist, t);
    case correlation_alternative::greater: return boost::math::cdf(boost::math::complement(dist, t));
  }
  return nan_v;
}

inline double z_pvalue(double z, correlation_alternative alt) {
  if (std::isnan(z)) return nan_v;
  const boost::math::normal_distribution<double, math_policy> standard;
  if (std::isinf(z)) {
    if (alt == correlation_alternative::two_sided) return 0.0;
    return (alt == correlation_alternative::less) == (z > 0) ? 1.0 : 0.0;
  }
  switch (alt) {
    case correlation_alternative::two_sided:
      return std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(standard, std::fabs(z))));
    case correlation_alternative::less: return boost::math::cdf(standard, z);
    case correlation_alternative::greater: return boost::math::cdf(boost::math::complement(standard, z));
  }
  return nan_v;
}

/// t = r sqrt(df / ((1 + r)(1 - r))), +-inf at |r| = 1.
inline double t_from_r(double r, double df) {
  if (std::fabs(r) == 1.0) return std::copysign(std::numeric_limits<double>::infinity(), r);
  return r * std::sqrt(df / ((1.0 + r) * (1.0 - r)));
}

/// Pairwise-complete x, y (validated: same length, finite or NaN).
inline correlation_data complete_pairs(vector_view x, vector_view y) {
  require_same_length("x", static_cast<std::size_t>(x.size()), "y", static_cast<std::size_t>(y.size()));
  correlation_data d;
  const auto n = static_cast<std::size_t>(x.size());
  d.x.reserve(n), d.y.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double a = x[static_cast<Eigen::Index>(i)], b = y[static_cast<Eigen::Index>(i)];
    require_finite_or_nan(a, "x", i);
    require_finite_or_nan(b, "y", i);
    if (std::isnan(a) || std::isnan(b)) {
      ++d.missing;
      continue;
    }
    d.x.push_back(a), d.y.push_back(b);
  }
  return d;
}

/// Complete rows of x, y and the covariates (listwise).
inline correlation_data complete_rows(vector_view x, vector_view y, const Eigen::Ref<const row_matrix>& covariates) {
  require_same_length("x", static_cast<std::size_t>(x.size()), "y", static_cast<std::size_t>(y.size()));
  require_same_length("covariates (rows)", static_cast<std::size_t>(covariates.rows()), "x",
                      static_cast<std::size_t>(x.size()));
  const auto n = static_cast<std::size_t>(x.size());
  const Eigen::Index k = covariates.cols();
  std::vector<std::size_t> keep;
  keep.reserve(n);
  correlation_data d;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    bool missing = std::isnan(x[r]) || std::isnan(y[r]);
    require_finite_or_nan(x[r], "x", i);
    require_finite_or_nan(y[r], "y", i);
    for (Eigen::Index j = 0; j < k; ++j) {
      const double v = covariates(r, j);
      if (std::isinf(v)) {
        throw invalid_input("covariates[" + std::to_string(i) + ", " + std::to_string(j) + "] = " + format_value(v) +
                            ": values must be finite (NaN marks a missing value)");
      }
      missing = missing || std::isnan(v);
    }
    if (missing) {
      ++d.missing;
      continue;
    }
    keep.push_back(i);
  }
  d.x.resize(keep.size()), d.y.resize(keep.size());
  d.z.resize(static_cast<Eigen::Index>(keep.size()), k);
  for (std::size_t i = 0; i < keep.size(); ++i) {
    const auto r = static_cast<Eigen::Index>(keep[i]);
    d.x[i] = x[r], d.y[i] = y[r];
    for (Eigen::Index j = 0; j < k; ++j) d.z(static_cast<Eigen::Index>(i), j) = covariates(r, j);
  }
  return d;
}

/// Scratch space of one thread: gathered resample, ranks, Kendall buffers, residual algebra.
struct correlation_workspace {
  std::vector<double> x, y, rx, ry;
  rank_scratch order;
  kendall_workspace kendall;
  Eigen::MatrixXd z;
  Eigen::VectorXd ex, ey;
};

/// Why a partial correlation is undefined (for error messages); empty when it is defined.
struct partial_value {
  double r;
  std::string problem;
};

/**
 * Partial correlation of columns x, y given z (n x k, all complete): the correlation of the residuals of x and y
 * after least squares on [1, z]. Equals -P_xy / sqrt(P_xx P_yy) with P the inverse correlation matrix
 * (METHODS.md), but the QR route is better conditioned. Covariate columns are centred and scaled first so that
 * the rank decision does not depend on their units.
 */
inline partial_value partial_r(const double* x, const double* y, Eigen::MatrixXd& z, Eigen::VectorXd& ex,
                               Eigen::VectorXd& ey) {
  const Eigen::Index n = z.rows(), k = z.cols();
  const auto un = static_cast<std::size_t>(n);
  if (all_equal(x, un)) return {nan_v, "x is constant"};
  if (all_equal(y, un)) return {nan_v, "y is constant"};
  for (Eigen::Index j = 0; j < k; ++j) {
    if (all_equal(z.col(j).data(), un)) return {nan_v, "covariates column " + std::to_string(j) + " is constant"};
    z.col(j).array() -= z.col(j).mean();
    z.col(j) /= z.col(j).norm();
  }
  ex = Eigen::Map<const Eigen::VectorXd>(x, n);
  ey = Eigen::Map<const Eigen::VectorXd>(y, n);
  ex.array() -= ex.mean();
  ey.array() -= ey.mean();
  const double sx = ex.norm(), sy = ey.norm();
  if (k > 0) {
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(z);
    if (qr.rank() < k) {
      return {nan_v, "the covariates are collinear (rank " + std::to_string(qr.rank()) + " of " + std::to_string(k) +
                         " after centring)"};
    }
    ex -= z * qr.solve(ex);
    ey -= z * qr.solve(ey);
  }
  const double rx = ex.norm(), ry = ey.norm();
  // A residual that is rounding noise means x (or y) is a linear function of the covariates.
  constexpr double tiny = 1e-12;
  if (!(rx > tiny * sx)) return {nan_v, "x is a linear function of the covariates (no residual variance)"};
  if (!(ry > tiny * sy)) return {nan_v, "y is a linear function of the covariates (no residual variance)"};
  return {std::clamp(ex.dot(ey) / (rx * ry), -1.0, 1.0), {}};
}

/// What the statistic is computed on: the complete data, the method and whether covariates are partialled out.
struct correlation_problem {
  correlation_data data;
  correlation_method method;
  bool partial;
};

/// Ranks the columns of a Spearman problem in place when the statistic needs ranks of the given rows.
inline void rank_columns(std::size_t n, correlation_workspace& w, correlation_method method) {
  if (method != correlation_method::spearman) return;
  w.rx.resize(n), w.ry.resize(n);
  midranks(w.x.data(), n, w.rx.data(), w.order);
  midranks(w.y.data(), n, w.ry.data(), w.order);
  std::swap(w.x, w.rx);
  std::swap(w.y, w.ry);
}

/// Gathers rows `idx[0..m)` of the problem into the workspace (ranking every column for Spearman).
inline void gather(const correlation_problem& p, const std::uint64_t* idx, std::size_t m, correlation_workspace& w) {
  const auto& d = p.data;
  w.x.resize(m), w.y.resize(m);
  for (std::size_t i = 0; i < m; ++i) w.x[i] = d.x[idx[i]], w.y[i] = d.y[idx[i]];
  if (!p.partial) return;
  const Eigen::Index k = d.z.cols();
  w.z.resize(static_cast<Eigen::Index>(m), k);
  for (Eigen::Index j = 0; j < k; ++j)
    for (std::size_t i = 0; i < m; ++i) w.z(static_cast<Eigen::Index>(i), j) = d.z(static_cast<Eigen::Index>(idx[i]), j);
  if (p.method != correlation_method::spearman) return;
  // Partial Spearman ranks every column (pingouin `partial_corr(method="spearman")`).
  rank_columns(m, w, p.method);
  w.rx.resize(m);
  for (Eigen::Index j = 0; j < k; ++j) {
    midranks(w.z.col(j).data(), m, w.rx.data(), w.order);
    for (std::size_t i = 0; i < m; ++i) w.z(static_cast<Eigen::Index>(i), j) = w.rx[i];
  }
}

/**
 * The statistic on rows `idx[0..m)` of the problem (a bootstrap resample, a jackknife subsample or all rows);
 * NaN when it is undefined there (a constant variable, collinear covariates). Thread-safe given its own workspace.
 */
inline double statistic_on(const correlation_problem& p, const std::uint64_t* idx, std::size_t m,
                           correlation_workspace& w) {
  gather(p, idx, m, w);
  if (p.partial) return partial_r(w.x.data(), w.y.data(), w.z, w.ex, w.ey).r;
  switch (p.method) {
    case correlation_method::pearson: return pearson_r(w.x.data(), w.y.data(), m);
    case correlation_method::spearman:
      if (all_equal(w.x.data(), m) || all_equal(w.y.data(), m)) return nan_v;
      rank_columns(m, w, p.method);
      return pearson_r(w.x.data(), w.y.data(), m);
    case correlation_method::kendall:
      return kendall_count(w.x.data(), w.y.data(), m, w.kendall).tau_b();
  }
  return nan_v;
}

inline std::size_t minimum_n(std::size_t k) { return 3 + k; }

/// Validates n and the constant-variable cases with messages naming the argument.
inline void check_problem(const correlation_problem& p) {
  const auto& d = p.data;
  const std::size_t k = static_cast<std::size_t>(d.z.cols());
  const std::size_t need = minimum_n(k);
  if (d.n() < need) {
    throw insufficient_data(
        std::string(p.partial ? "partial correlation" : "correlation") + " needs at least " + std::to_string(need) +
        (p.partial ? " complete rows (3 + number of covariates " + std::to_string(k) + ")" : " complete pairs") +
        "; found " + std::to_string(d.n()) + dropped_note(d.missing, p.partial ? "rows" : "pairs"));
  }
  if (all_equal(d.x.data(), d.n())) constant_variable("x", d.n(), d.x[0]);
  if (all_equal(d.y.data(), d.n())) constant_variable("y", d.n(), d.y[0]);
  for (Eigen::Index j = 0; j < d.z.cols(); ++j) {
    if (all_equal(d.z.col(j).data(), d.n()))
      constant_variable("covariates column " + std::to_string(j), d.n(), d.z(0, j));
  }
}

/// Identity index 0..n-1.
inline std::vector<std::uint64_t> all_rows(std::size_t n) {
  std::vector<std::uint64_t> idx(n);
  std::iota(idx.begin(), idx.end(), std::uint64_t{0});
  return idx;
}

/// The test of a computed statistic.
inline correlation_result finish(const correlation_problem& p, double statistic, const kendall_counts* kc,
                                 correlation_alternative alt) {
  correlation_result r{};
  r.statistic = statistic;
  r.n = p.data.n();
  r.missing = p.data.missing;
  r.covariates = static_cast<std::size_t>(p.data.z.cols());
  r.method = p.method;
  r.alternative = alt;
  if (p.method == correlation_method::kendall && kc) {
    r.df = nan_v;
    r.test_statistic = kc->s() / std::sqrt(kc->variance());
    r.pvalue = z_pvalue(r.test_statistic, alt);
  } else {
    r.df = static_cast<double>(r.n) - 2.0 - static_cast<double>(r.covariates);
    r.test_statistic = t_from_r(statistic, r.df);
    r.pvalue = t_pvalue(r.test_statistic, r.df, alt);
  }
  return r;
}

inline correlation_result correlate(const correlation_problem& p, correlation_alternative alt) {
  check_problem(p);
  const auto& d = p.data;
  if (p.partial) {
    correlation_workspace w;
    const auto idx = all_rows(d.n());
    gather(p, idx.data(), idx.size(), w);
    const auto v = partial_r(w.x.data(), w.y.data(), w.z, w.ex, w.ey);
    if (!v.problem.empty()) throw invalid_input("partial correlation is not defined: " + v.problem);
    return finish(p, v.r, nullptr, alt);
  }
  if (p.method == correlation_method::kendall) {
    kendall_workspace w;
    const auto kc = kendall_count(d.x.data(), d.y.data(), d.n(), w);
    return finish(p, kc.tau_b(), &kc, alt);
  }
  if (p.method == correlation_method::spearman) {
    std::vector<double> rx(d.n()), ry(d.n());
    rank_scratch order;
    midranks(d.x.data(), d.n(), rx.data(), order);
    midranks(d.y.data(), d.n(), ry.data(), order);
    return finish(p, pearson_r(rx.data(), ry.data(), d.n()), nullptr, alt);
  }
  return finish(p, pearson_r(d.x.data(), d.y.data(), d.n()), nullptr, alt);
}

inline correlation_problem make_problem(vector_view x, vector_view y, correlation_method method) {
  return {complete_pairs(x, y), method, false};
}

inline correlation_problem make_problem(vector_view x, vector_view y, const Eigen::Ref<const row_matrix>& covariates,
                                        correlation_method method) {
  if (method == correlation_method::kendall) {
    throw invalid_input("method = 'kendall': partial correlation supports 'pearson' and 'spearman'");
  }
  return {complete_rows(x, y, covariates), method, true};
}

}  // namespace detail

/**
 * Pearson r, Spearman rho_s or Kendall tau_b of paired data with its test. Pairs with a NaN in x or y are
 * dropped (pairwise-complete) and counted in `missing`; needs at least 3 complete pairs and neither variable
 * constant (the error names it). Kendall's tau_b is O(n log n) (Knight's algorithm) with ties handled.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd x(5), y(5);
 * x << 1, 2, 3, 4, 5;
 * y << 2, 1, 4, 3, 5;
 * auto r = engage::correlation(x, y);                                        // r.statistic == 0.8
 * auto t = engage::correlation(x, y, engage::correlation_method::kendall);   // t.statistic == 0.6
 * ```
 */
inline correlation_result correlation(vector_view x, vector_view y,
                                      correlation_method method = correlation_method::pearson,
                                      correlation_alternative alternative = correlation_alternative::two_sided) {
  return detail::correlate(detail::make_problem(x, y, method), alternative);
}

/**
 * Partial correlation of x and y controlling for the covariates (n x k, one column per covariate): Pearson
 * (default) or Spearman (every column ranked first, as pingouin). Rows with any NaN are dropped (listwise) and
 * counted in `missing`. t test with df = n - 2 - k. Needs n >= 3 + k; constant or collinear covariates, or x/y
 * being a linear function of the covariates, are errors.
 *
 * **Example**:
 * ```
 * engage::row_matrix z(30, 1);  // one covariate, e.g. attitude$learning
 * auto r = engage::partial_correlation(rating, complaints, z);   // r.statistic == 0.7225924 for attitude
 * ```
 */
inline correlation_result partial_correlation(vector_view x, vector_view y,
                                              const Eigen::Ref<const row_matrix>& covariates,
                                              correlation_method method = correlation_method::pearson,
                                              correlation_alternative alternative = correlation_alternative::two_sided) {
  return detail::correlate(detail::make_problem(x, y, covariates, method), alternative);
}

/**
 * A correlation result from a published coefficient and its sample size (no data): the t test (Pearson,
 * Spearman, partial with `covariates` = k) or, for Kendall, the normal test with the no-ties variance
 * Var(S) = n(n-1)(2n+5)/18. Use it for the intervals of reported correlations (and of corrected ones).
 *
 * **Example**:
 * ```
 * auto r = engage::correlation_from_statistic(0.3, 100);
 * auto ci = engage::confidence_interval(r);   // Fisher: {0.1101, 0.4688}
 * ```
 */
inline correlation_result correlation_from_statistic(double statistic, std::size_t n,
                                                     correlation_method method = correlation_method::pearson,
                                                     correlation_alternative alternative =
                                                         correlation_alternative::two_sided,
                                                     std::size_t covariates = 0) {
  if (!(statistic >= -1.0 && statistic <= 1.0)) {
    throw invalid_input("statistic = " + detail::format_value(statistic) + ": a correlation must lie in [-1, 1]");
  }
  if (method == correlation_method::kendall && covariates > 0) {
    throw invalid_input("method = 'kendall': partial correlation supports 'pearson' and 'spearman'");
  }
  const std::size_t need = detail::minimum_n(covariates);
  if (n < need) {
    throw insufficient_data("n = " + std::to_string(n) + ": a correlation" +
                            (covariates ? " with " + std::to_string(covariates) + " covariates" : std::string()) +
                            " needs n >= " + std::to_string(need));
  }
  correlation_result r{};
  r.statistic = statistic;
  r.n = n;
  r.missing = 0;
  r.covariates = covariates;
  r.method = method;
  r.alternative = alternative;
  if (method == correlation_method::kendall) {
    const double nn = static_cast<double>(n), pairs = nn * (nn - 1.0) / 2.0;
    r.df = detail::nan_v;
    r.test_statistic = statistic * pairs / std::sqrt(nn * (nn - 1.0) * (2.0 * nn + 5.0) / 18.0);
    r.pvalue = detail::z_pvalue(r.test_statistic, alternative);
  } else {
    r.df = static_cast<double>(n) - 2.0 - static_cast<double>(covariates);
    r.test_statistic = detail::t_from_r(statistic, r.df);
    r.pvalue = detail::t_pvalue(r.test_statistic, r.df, alternative);
  }
  return r;
}

namespace detail {

/// The automatic interval method of a result.
inline correlation_ci_method default_ci_method(const correlation_result& r) {
  if (r.covariates > 0) return correlation_ci_method::fisher;
  switch (r.method) {
    case correlation_method::pearson: return correlation_ci_method::fisher;
    case correlation_method::spearman: return correlation_ci_method::bonett_wright;
    case correlation_method::kendall: return correlation_ci_method::fieller;
  }
  return correlation_ci_method::fisher;
}

/// Lower and upper tail probabilities of the interval for the result's alternative (NaN: that end is +-1).
inline std::pair<double, double> tails(double level, correlation_alternative alt) {
  require_confidence_level(level);
  switch (alt) {
    case correlation_alternative::two_sided: return {(1.0 - level) / 2.0, (1.0 + level) / 2.0};
    case correlation_alternative::less: return {nan_v, level};
    case correlation_alternative::greater: return {1.0 - level, nan_v};
  }
  return {nan_v, nan_v};
}

}  // namespace detail

/**
 * Analytic confidence interval of a correlation on Fisher's z scale, z = atanh(r) +- q * SE, back-transformed:
 * - `fisher`: SE = 1/sqrt(n - 3 - k) (Pearson and partial; scipy `pearsonr`, R `cor.test`, pingouin);
 * - `bonett_wright`: SE = sqrt((1 + r^2/2)/(n - 3 - k)) (Spearman; Bonett & Wright 2000);
 * - `fieller`: SE = sqrt(1.06/(n - 3 - k)) for Spearman, sqrt(0.437/(n - 4)) for Kendall (Fieller et al. 1957).
 * `automatic` is Fisher for Pearson and partial correlations, Bonett-Wright for Spearman, Fieller for Kendall.
 * The interval is one-sided for a one-sided alternative (`less`: [-1, high], `greater`: [low, 1], as scipy).
 * When the SE is infinite (n = 3 + k; Kendall n = 4) the interval is [-1, 1]. Bootstrap methods need the data:
 * use `correlation_bootstrap`.
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_interval(engage::correlation(rating, complaints));   // {0.66201277, 0.91391389}
 * ```
 */
inline interval confidence_interval(const correlation_result& r, double confidence_level = 0.95,
                                    correlation_ci_method method = correlation_ci_method::automatic) {
  const auto [lo_p, hi_p] = detail::tails(confidence_level, r.alternative);
  if (method == correlation_ci_method::automatic) method = detail::default_ci_method(r);
  const double n = static_cast<double>(r.n), k = static_cast<double>(r.covariates);
  const double rr = r.statistic;
  double var = detail::nan_v;  // variance of atanh(r)
  switch (method) {
    case correlation_ci_method::fisher:
      if (r.method == correlation_method::kendall) {
        throw invalid_input("method = 'fisher' is not valid for Kendall's tau (its variance differs); use 'fieller'");
      }
      var = 1.0 / (n - 3.0 - k);
      break;
    case correlation_ci_method::bonett_wright:
      if (r.method != correlation_method::spearman) {
        throw invalid_input("method = 'bonett-wright' is for Spearman's rho; this is " +
                            std::string(to_string(r.method)) + " (use 'fisher' for Pearson, 'fieller' for Kendall)");
      }
      var = (1.0 + rr * rr / 2.0) / (n - 3.0 - k);
      break;
    case correlation_ci_method::fieller:
      if (r.method == correlation_method::pearson) {
        throw invalid_input("method = 'fieller' is for Spearman's rho and Kendall's tau; use 'fisher' for Pearson");
      }
      if (r.method == correlation_method::kendall) {
        if (r.n < 4) {
          throw insufficient_data("the Fieller interval for Kendall's tau needs n >= 4; n = " + std::to_string(r.n));
        }
        var = 0.437 / (n - 4.0);
      } else {
        var = 1.06 / (n - 3.0 - k);
      }
      break;
    case correlation_ci_method::bootstrap_percentile:
    case correlation_ci_method::bca:
      throw invalid_input("method = '" + std::string(to_string(method)) +
                          "' resamples the data: call correlation_bootstrap(x, y, ...) instead");
    case correlation_ci_method::automatic: break;
  }
  if (!(var < std::numeric_limits<double>::infinity())) return {-1.0, 1.0};  // n - 3 - k == 0
  const boost::math::normal_distribution<double, math_policy> standard;
  const double z = std::atanh(rr), se = std::sqrt(var);
  interval ci{-1.0, 1.0};
  if (!std::isnan(lo_p)) ci.low = std::tanh(z + boost::math::quantile(standard, lo_p) * se);
  if (!std::isnan(hi_p)) ci.high = std::tanh(z + boost::math::quantile(standard, hi_p) * se);
  return ci;
}

namespace detail {

/// Engine seed of one block of resamples: SplitMix64 (Steele, Lea & Flood 2014) of the seed mixed with the
/// SplitMix64 of the block index, so neighbouring blocks and seeds give unrelated streams.
inline std::uint64_t resample_block_seed(std::uint64_t seed, std::uint64_t block) {
  auto mix = [](std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  return mix(seed ^ mix(block));
}

/// xoshiro256** 1.0 (Blackman & Vigna 2021, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4)):
/// a small, fast 64-bit engine with period 2^256 - 1 that passes BigCrush; the state is filled from SplitMix64 of
/// the seed, as its authors recommend. Written out here (it is a few lines) so the stream is fully specified.
class xoshiro256ss {
 public:
  using result_type = std::uint64_t;
  explicit xoshiro256ss(std::uint64_t seed) {
    for (auto& w : s_) {
      std::uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      w = z ^ (z >> 31);
    }
  }
  /// From a given state (not all zero), for known-answer tests.
  static xoshiro256ss from_state(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
    xoshiro256ss g(0);
    g.s_[0] = a, g.s_[1] = b, g.s_[2] = c, g.s_[3] = d;
    return g;
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0], s_[3] ^= s_[1], s_[1] ^= s_[2], s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// High 64 bits of the 128-bit product a * b from 32-bit halves (the portable route); `low` gets the low 64 bits.
inline std::uint64_t mul_high_portable(std::uint64_t a, std::uint64_t b, std::uint64_t& low) {
  const std::uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
  const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const std::uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
  low = a * b;
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/// High 64 bits of a * b: the compiler's 128-bit multiply where it exists, else the portable route (same value).
inline std::uint64_t mul_high(std::uint64_t a, std::uint64_t b, std::uint64_t& low) {
#if defined(__SIZEOF_INT128__)
  __extension__ typedef unsigned __int128 u128;
  const u128 m = static_cast<u128>(a) * b;
  low = static_cast<std::uint64_t>(m);
  return static_cast<std::uint64_t>(m >> 64);
#else
  return mul_high_portable(a, b, low);
#endif
}

/// Unbiased uniform index in [0, n), n >= 1, from 64-bit engine output by Lemire's multiply-and-reject method
/// (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS 29(1)): one multiplication per
/// draw and a division only in the rare rejection branch. Fully specified, so identical on every platform.
template <class Engine>
inline std::uint64_t draw_index(Engine& gen, std::uint64_t n) {
  std::uint64_t low = 0;
  std::uint64_t high = mul_high(gen(), n, low);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) high = mul_high(gen(), n, low);
  }
  return high;
}

/**
 * Row indices of resamples: uniform in [0, n), drawn from a 64-bit engine. For n < 2^32 each engine output
 * gives two 32-bit words (low half first), each mapped by Lemire's method in 32-bit arithmetic; larger n use
 * `draw_index`. Deterministic given the engine state, on every platform.
 */
template <class Engine>
class index_stream {
 public:
  index_stream(Engine& gen, std::uint64_t n) : gen_(gen), n_(n), small_(n < (std::uint64_t{1} << 32)) {
    if (small_) threshold_ = static_cast<std::uint32_t>((0u - static_cast<std::uint32_t>(n)) % static_cast<std::uint32_t>(n));
  }
  std::uint64_t operator()() {
    if (!small_) return draw_index(gen_, n_);
    for (;;) {
      const std::uint64_t m = static_cast<std::uint64_t>(next_word()) * n_;
      if (static_cast<std::uint32_t>(m) >= threshold_) return m >> 32;
    }
  }

 private:
  std::uint32_t next_word() {
    if (have_) {
      have_ = false;
      return static_cast<std::uint32_t>(word_ >> 32);
    }
    word_ = gen_();
    have_ = true;
    return static_cast<std::uint32_t>(word_);
  }
  Engine& gen_;
  std::uint64_t n_;
  bool small_;
  std::uint32_t threshold_ = 0;
  std::uint64_t word_ = 0;
  bool have_ = false;
};

/// One row of a Pearson problem packed for resampling: x and y standardised by the full-sample mean and SD.
struct pearson_row {
  double zx, zy;
};

/// Rows of a plain Pearson problem packed and standardised by the full-sample mean and SD.
inline std::vector<pearson_row> pack_pearson(const correlation_data& d) {
  const std::size_t n = d.n();
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) mx += d.x[i], my += d.y[i];
  mx /= static_cast<double>(n), my /= static_cast<double>(n);
  double sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) sxx += (d.x[i] - mx) * (d.x[i] - mx), syy += (d.y[i] - my) * (d.y[i] - my);
  const double sx = std::sqrt(sxx / static_cast<double>(n)), sy = std::sqrt(syy / static_cast<double>(n));
  std::vector<pearson_row> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = {(d.x[i] - mx) / sx, (d.y[i] - my) / sy};
  return out;
}

/**
 * Pearson r of the rows next(0), ..., next(m - 1) of packed data in one pass: sums of the standardised values,
 * their squares and products (standardising first keeps the one-pass formula accurate: resample means are
 * O(1/sqrt(m)) of an SD), in two interleaved sets of accumulators, and the range of each variable. NaN when a
 * variable takes a single (standardised) value over the rows, i.e. is constant to double precision.
 */
template <class Next>
inline double pearson_one_pass(const pearson_row* d, std::size_t m, Next&& next) {
  // Two interleaved accumulator sets (a, b) halve the floating-point dependency chains.
  const pearson_row f = d[next()];
  double ax = f.zx, ay = f.zy, axx = f.zx * f.zx, ayy = f.zy * f.zy, axy = f.zx * f.zy;
  double bx = 0, by = 0, bxx = 0, byy = 0, bxy = 0;
  double lo_x = f.zx, hi_x = f.zx, lo_y = f.zy, hi_y = f.zy;
  std::size_t k = 1;
  for (; k + 1 < m; k += 2) {
    const pearson_row r = d[next()];
    const pearson_row q = d[next()];
    ax += r.zx, ay += r.zy, axx += r.zx * r.zx, ayy += r.zy * r.zy, axy += r.zx * r.zy;
    bx += q.zx, by += q.zy, bxx += q.zx * q.zx, byy += q.zy * q.zy, bxy += q.zx * q.zy;
    lo_x = std::min(lo_x, std::min(r.zx, q.zx)), hi_x = std::max(hi_x, std::max(r.zx, q.zx));
    lo_y = std::min(lo_y, std::min(r.zy, q.zy)), hi_y = std::max(hi_y, std::max(r.zy, q.zy));
  }
  if (k < m) {
    const pearson_row r = d[next()];
    ax += r.zx, ay += r.zy, axx += r.zx * r.zx, ayy += r.zy * r.zy, axy += r.zx * r.zy;
    lo_x = std::min(lo_x, r.zx), hi_x = std::max(hi_x, r.zx), lo_y = std::min(lo_y, r.zy), hi_y = std::max(hi_y, r.zy);
  }
  if (!(lo_x < hi_x) || !(lo_y < hi_y)) return nan_v;
  const double mm = static_cast<double>(m), tx = ax + bx, ty = ay + by;
  const double cxx = (axx + bxx) - tx * tx / mm, cyy = (ayy + byy) - ty * ty / mm, cxy = (axy + bxy) - tx * ty / mm;
  if (!(cxx > 0.0 && cyy > 0.0)) return nan_v;
  return std::clamp(cxy / std::sqrt(cxx * cyy), -1.0, 1.0);
}

/// Resamples are drawn in fixed blocks, each from its own engine seeded by (seed, block index), so the draws
/// do not depend on how blocks are spread over threads.
inline constexpr std::size_t resamples_per_block = 64;

/// Leave-one-out statistics theta_(i), i = 0..n-1 (NaN where undefined).
inline std::vector<double> jackknife(const correlation_problem& p) {
  const auto& d = p.data;
  const std::size_t n = d.n();
  std::vector<double> out(n, nan_v);
  if (!p.partial && p.method == correlation_method::pearson) {
    // O(n): leave-one-out centred sums from the full ones (recomputed exactly if cancellation threatens).
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) mx += d.x[i], my += d.y[i];
    mx /= static_cast<double>(n), my /= static_cast<double>(n);
    double sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double dx = d.x[i] - mx, dy = d.y[i] - my;
      sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
    }
    const double f = static_cast<double>(n) / static_cast<double>(n - 1);
    std::vector<double> bx, by;
    for (std::size_t j = 0; j < n; ++j) {
      const double dx = d.x[j] - mx, dy = d.y[j] - my;
      const double xx = sxx - f * dx * dx, yy = syy - f * dy * dy, xy = sxy - f * dx * dy;
      if (xx > 1e-8 * sxx && yy > 1e-8 * syy) {
        out[j] = std::clamp(xy / (std::sqrt(xx) * std::sqrt(yy)), -1.0, 1.0);
      } else {
        bx.assign(d.x.begin(), d.x.end()), by.assign(d.y.begin(), d.y.end());
        bx.erase(bx.begin() + static_cast<std::ptrdiff_t>(j)), by.erase(by.begin() + static_cast<std::ptrdiff_t>(j));
        out[j] = pearson_r(bx.data(), by.data(), n - 1);
      }
    }
    return out;
  }
  if (!p.partial && p.method == correlation_method::spearman) {
    // O(n) per left-out j: the other mid-ranks drop by 1 where x_i > x_j and by 1/2 where x_i == x_j.
    std::vector<double> rx(n), ry(n);
    rank_scratch order;
    midranks(d.x.data(), n, rx.data(), order);
    midranks(d.y.data(), n, ry.data(), order);
    parallel_chunks(n, std::max<std::size_t>(1, (std::size_t{1} << 16) / n), [&](std::size_t b, std::size_t e, std::size_t) {
      std::vector<double> a(n - 1), c(n - 1);
      for (std::size_t j = b; j < e; ++j) {
        std::size_t m = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (i == j) continue;
          a[m] = rx[i] - (rx[i] > rx[j] ? 1.0 : rx[i] == rx[j] ? 0.5 : 0.0);
          c[m] = ry[i] - (ry[i] > ry[j] ? 1.0 : ry[i] == ry[j] ? 0.5 : 0.0);
          ++m;
        }
        out[j] = pearson_r(a.data(), c.data(), n - 1);
      }
    });
    return out;
  }
  if (!p.partial && p.method == correlation_method::kendall) {
    // tau_b without j: S - S_j, where S_j = sum_i sign(x_i - x_j) sign(y_i - y_j); tie counts lose j's group member.
    kendall_workspace w;
    const auto c = kendall_count(d.x.data(), d.y.data(), n, w);
    const double s = c.s();
    const double pairs = static_cast<double>(n - 1) * static_cast<double>(n - 2) / 2.0;
    parallel_chunks(n, std::max<std::size_t>(1, (std::size_t{1} << 16) / n), [&](std::size_t b, std::size_t e, std::size_t) {
      for (std::size_t j = b; j < e; ++j) {
        double sj = 0, tx = 0, ty = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (i == j) continue;
          const double ax = d.x[i] - d.x[j], ay = d.y[i] - d.y[j];
          sj += static_cast<double>((ax > 0) - (ax < 0)) * static_cast<double>((ay > 0) - (ay < 0));
          tx += ax == 0, ty += ay == 0;
        }
        const double xt = static_cast<double>(c.x_ties) - tx, yt = static_cast<double>(c.y_ties) - ty;
        const double den = std::sqrt(pairs - xt) * std::sqrt(pairs - yt);
        out[j] = den > 0 ? std::clamp((s - sj) / den, -1.0, 1.0) : nan_v;
      }
    });
    return out;
  }
  parallel_chunks(n, std::max<std::size_t>(1, (std::size_t{1} << 14) / n), [&](std::size_t b, std::size_t e, std::size_t) {
    correlation_workspace w;
    std::vector<std::uint64_t> idx(n - 1);
    for (std::size_t j = b; j < e; ++j) {
      std::size_t m = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (i != j) idx[m++] = i;
      out[j] = statistic_on(p, idx.data(), n - 1, w);
    }
  });
  return out;
}

inline void mark_degenerate(correlation_bootstrap_result& r, std::string reason) {
  r.ci = {nan_v, nan_v};
  r.degenerate = true;
  r.reason = std::move(reason);
}

inline correlation_bootstrap_result bootstrap(const correlation_problem& p, double level, correlation_ci_method method,
                                              correlation_alternative alt, const correlation_bootstrap_options& o) {
  if (method != correlation_ci_method::bootstrap_percentile && method != correlation_ci_method::bca) {
    throw invalid_input("method = '" + std::string(to_string(method)) +
                        "': the bootstrap methods are 'bootstrap-percentile' and 'bca'");
  }
  const auto [lo_p, hi_p] = tails(level, alt);
  detail::require_resamples(o.n_resamples, 9999);
  check_problem(p);
  const std::size_t n = p.data.n(), b_total = o.n_resamples;
  correlation_bootstrap_result r{};
  r.confidence_level = level;
  r.method = method;
  r.n_resamples = b_total;
  r.bias_correction = r.acceleration = nan_v;
  r.distribution.assign(b_total, nan_v);

  correlation_workspace w0;
  const auto all = all_rows(n);
  // The estimate comes from the same code path as the resamples, so z0 compares like with like.
  gather(p, all.data(), n, w0);
  if (p.partial) {
    const auto v = partial_r(w0.x.data(), w0.y.data(), w0.z, w0.ex, w0.ey);
    if (!v.problem.empty()) throw invalid_input("partial correlation is not defined: " + v.problem);
  }
  // Plain Pearson (the common case, and the benchmark) takes a one-pass path without gathering each resample.
  const bool one_pass = !p.partial && p.method == correlation_method::pearson;
  const std::vector<pearson_row> packed = one_pass ? pack_pearson(p.data) : std::vector<pearson_row>();
  std::size_t at = 0;
  const double estimate = one_pass ? pearson_one_pass(packed.data(), n, [&] { return at++; })
                                   : statistic_on(p, all.data(), n, w0);

  const std::size_t blocks = (b_total + resamples_per_block - 1) / resamples_per_block;
  // Aim for chunks of at least ~2^17 element operations so small problems stay on one thread.
  const std::size_t min_chunk = std::max<std::size_t>(1, (std::size_t{1} << 17) / (resamples_per_block * n));
  parallel_chunks(blocks, min_chunk, [&](std::size_t begin, std::size_t end, std::size_t) {
    correlation_workspace w;
    std::vector<std::uint64_t> idx(n);
    for (std::size_t blk = begin; blk < end; ++blk) {
      xoshiro256ss gen(resample_block_seed(o.seed, blk));
      index_stream<xoshiro256ss> draw(gen, n);
      const std::size_t first = blk * resamples_per_block, last = std::min(first + resamples_per_block, b_total);
      for (std::size_t b = first; b < last; ++b) {
        if (one_pass) {
          r.distribution[b] = pearson_one_pass(packed.data(), n, draw);
        } else {
          for (auto& i : idx) i = draw();
          r.distribution[b] = statistic_on(p, idx.data(), n, w);
        }
      }
    }
  });

  std::vector<double> valid;
  valid.reserve(b_total);
  for (double v : r.distribution)
    if (!std::isnan(v)) valid.push_back(v);
  r.dropped = b_total - valid.size();
  if (valid.size() < 2) {
    mark_degenerate(r, std::to_string(r.dropped) + " of " + std::to_string(b_total) +
                           " resamples had an undefined statistic (a constant variable or collinear covariates); fewer than 2"
                           " usable resamples remain");
    return r;
  }
  const double mean = std::accumulate(valid.begin(), valid.end(), 0.0) / static_cast<double>(valid.size());
  double ss = 0;
  for (double v : valid) ss += (v - mean) * (v - mean);
  r.standard_error = std::sqrt(ss / static_cast<double>(valid.size() - 1));
  std::sort(valid.begin(), valid.end());
  // A spread of a few ulps is rounding of one value (perfectly linear data), not a distribution.
  if (valid.back() - valid.front() <= 1e-12) {
    mark_degenerate(r, "every usable resample gives the same statistic (" + format_value(valid.front()) +
                           "): the bootstrap distribution is degenerate");
    return r;
  }

  double q_lo = lo_p, q_hi = hi_p;
  if (method == correlation_ci_method::bca) {
    const boost::math::normal_distribution<double, math_policy> standard;
    const auto below = static_cast<double>(std::lower_bound(valid.begin(), valid.end(), estimate) - valid.begin());
    const double prop = below / static_cast<double>(valid.size());
    if (prop <= 0.0 || prop >= 1.0) {
      mark_degenerate(r, "no resampled statistic lies " + std::string(prop <= 0.0 ? "below" : "at or above") +
                             " the estimate, so the BCa bias correction z0 is infinite");
      return r;
    }
    const double z0 = boost::math::quantile(standard, prop);
    r.bias_correction = z0;
    const auto jack = jackknife(p);
    double jm = 0;
    for (std::size_t j = 0; j < jack.size(); ++j) {
      if (std::isnan(jack[j])) {
        mark_degenerate(r, "leaving out observation " + std::to_string(j) +
                               " makes the statistic undefined, so the BCa acceleration cannot be estimated");
        return r;
      }
      jm += jack[j];
    }
    jm /= static_cast<double>(jack.size());
    double num = 0, den = 0;
    for (double v : jack) {
      const double dlt = jm - v;
      num += dlt * dlt * dlt, den += dlt * dlt;
    }
    if (!(den > 0)) {
      mark_degenerate(r, "every leave-one-out statistic is equal, so the BCa acceleration is undefined");
      return r;
    }
    const double a = num / (6.0 * std::pow(den, 1.5));
    r.acceleration = a;
    bool bad = false;
    auto adjust = [&](double tail) {
      if (std::isnan(tail)) return tail;
      const double zt = z0 + boost::math::quantile(standard, tail);
      const double d = 1.0 - a * zt;
      if (!(d > 0.0)) bad = true;  // the BCa level map is only monotone while 1 - a (z0 + z_alpha) > 0
      return bad ? tail : boost::math::cdf(standard, z0 + zt / d);
    };
    q_lo = adjust(lo_p), q_hi = adjust(hi_p);
    if (bad) {
      mark_degenerate(r, "the BCa acceleration a = " + format_value(a) + " is too large for this confidence level");
      return r;
    }
  }
  r.ci = {-1.0, 1.0};
  if (!std::isnan(q_lo)) r.ci.low = sorted_quantile(valid, q_lo);
  if (!std::isnan(q_hi)) r.ci.high = sorted_quantile(valid, q_hi);
  return r;
}

}  // namespace detail

/**
 * Paired bootstrap interval of a correlation: rows (x_i, y_i) are resampled with replacement `n_resamples` times
 * and the statistic recomputed (Spearman re-ranks, Kendall re-counts ties). `bootstrap_percentile` takes the
 * type-7 quantiles of the resampled statistics; `bca` adjusts their levels by the bias correction
 * z0 = Phi^-1(#{theta* < theta_hat}/B) and the jackknife acceleration a (Efron 1987; as scipy `bootstrap`).
 * Resamples with a constant variable have no statistic: they are dropped and counted in `dropped`. If no interval
 * can be formed (fewer than 2 usable resamples, all equal, z0 infinite, undefined acceleration) the ends are NaN,
 * `degenerate` is set and `reason` explains. Deterministic: the same (seed, n_resamples) give the same interval
 * on any machine and for any number of threads (a `detail::xoshiro256ss` engine per block of 64 resamples, row
 * indices by Lemire's unbiased multiply-and-reject mapping, `detail::index_stream`). Plain Pearson resamples are
 * computed in one pass over the drawn rows (standardised sums), the other statistics on the gathered rows.
 * Cost: B resamples x O(n) (Pearson) or O(n log n) (Spearman, Kendall); the BCa jackknife adds O(n) for Pearson
 * and O(n^2) for Spearman and Kendall.
 *
 * **Example**:
 * ```
 * auto b = engage::correlation_bootstrap(x, y, engage::correlation_method::pearson, 0.95,
 *                                        engage::correlation_ci_method::bca);   // b.ci, b.dropped, b.degenerate
 * ```
 */
inline correlation_bootstrap_result correlation_bootstrap(
    vector_view x, vector_view y, correlation_method method = correlation_method::pearson,
    double confidence_level = 0.95, correlation_ci_method ci_method = correlation_ci_method::bca,
    correlation_alternative alternative = correlation_alternative::two_sided,
    const correlation_bootstrap_options& options = {}) {
  return detail::bootstrap(detail::make_problem(x, y, method), confidence_level, ci_method, alternative, options);
}

/**
 * Paired bootstrap interval of a partial correlation (rows of x, y and the covariates resampled together);
 * see `correlation_bootstrap`. Resamples with a constant or collinear covariate are dropped.
 *
 * **Example**:
 * ```
 * auto b = engage::partial_correlation_bootstrap(x, y, z);   // BCa, 9999 resamples, seed 0
 * ```
 */
inline correlation_bootstrap_result partial_correlation_bootstrap(
    vector_view x, vector_view y, const Eigen::Ref<const row_matrix>& covariates,
    correlation_method method = correlation_method::pearson, double confidence_level = 0.95,
    correlation_ci_method ci_method = correlation_ci_method::bca,
    correlation_alternative alternative = correlation_alternative::two_sided,
    const correlation_bootstrap_options& options = {}) {
  return detail::bootstrap(detail::make_problem(x, y, covariates, method), confidence_level, ci_method, alternative,
                           options);
}

namespace detail {

inline void require_correlation(double r, std::string_view name = "r") {
  if (!(r >= -1.0 && r <= 1.0)) {
    throw invalid_input(std::string(name) + " = " + format_value(r) + ": a correlation must lie in [-1, 1]");
  }
}

inline void require_reliability(double v, std::string_view name) {
  if (!(v > 0.0 && v <= 1.0)) {
    throw invalid_input(std::string(name) + " = " + format_value(v) + ": a reliability must lie in (0, 1]");
  }
}

}  // namespace detail

/**
 * Correction for attenuation (Spearman 1904): rho = r / sqrt(rxx ryy), the correlation between true scores
 * given the reliabilities of x and y. Low reliabilities can push |rho| above 1: `exceeds_one` is then set and
 * `clipped` holds the value clipped to [-1, 1] (METHODS.md: 0.8254 / sqrt(0.8 * 0.7) = 1.103).
 *
 * **Example**:
 * ```
 * auto c = engage::correct_attenuation(0.3, 0.8, 0.7);   // c.statistic == 0.40089..., c.exceeds_one == false
 * ```
 */
inline corrected_correlation correct_attenuation(double r, double rxx, double ryy = 1.0) {
  detail::require_correlation(r);
  detail::require_reliability(rxx, "rxx");
  detail::require_reliability(ryy, "ryy");
  const double v = r / std::sqrt(rxx * ryy);
  return {v, std::clamp(v, -1.0, 1.0), std::fabs(v) > 1.0, r};
}

/**
 * Correction for direct range restriction on x (Thorndike 1949, Case II): with u = SD_restricted /
 * SD_unrestricted of x, r_c = (r/u) / sqrt(1 + r^2 (1/u^2 - 1)), which always lies in [-1, 1]
 * (psychmeta `correct_r("uvdrr_x")`, psychometric `cRRr`). u > 1 (an enhanced range) is allowed.
 *
 * **Example**:
 * ```
 * auto c = engage::correct_range_restriction(0.3, 0.7);   // c.statistic == 0.40980...
 * ```
 */
inline corrected_correlation correct_range_restriction(double r, double u) {
  detail::require_correlation(r);
  if (!(u > 0.0 && std::isfinite(u))) {
    throw invalid_input("u = " + detail::format_value(u) +
                        ": the ratio SD_restricted / SD_unrestricted must be a positive finite number");
  }
  const double v = (r / u) / std::sqrt(1.0 + r * r * (1.0 / (u * u) - 1.0));
  const double c = std::clamp(v, -1.0, 1.0);  // only rounding can leave [-1, 1]
  return {c, c, false, r};
}

}  // namespace engage
