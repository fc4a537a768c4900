#pragma once
/// @file reliability.hpp
/// Internal consistency of a multi-item scale: Cronbach's alpha with psych's full output (standardized alpha,
/// Guttman's lambda 6, average and median inter-item correlation, signal/noise, the asymptotic standard error of
/// Duhachek & Iacobucci, the Feldt and bootstrap intervals, item statistics and "alpha if item dropped"),
/// McDonald's omega_total from a one-factor minres fit, and alpha per group under the confidentiality engine.
///
/// Formulas: METHODS.md section 3. Reference implementation: R psych 2.2.9 (`alpha`, `omega`, `fa`), whose
/// conventions are reproduced exactly (tests/data/reliability_reference.R establishes them):
///   C = item covariances, R = cov2cor(C) for alpha (for omega: the item correlations), 1'C1 = total variance
///   alpha       = k/(k-1) (1 - tr C / 1'C1)                  standardized = k/(k-1) (1 - k / 1'R1)
///   G6(smc)     = 1 - sum(1 - smc_i) / 1'R1, smc_i = 1 - 1/(R^-1)_ii
///   S/N         = k rbar / (1 - rbar), rbar = mean off-diagonal correlation
///   ase         = sqrt(Q/n), Q = 2k^2/((k-1)^2 (1'C1)^3) [1'C1 (tr C^2 + (tr C)^2) - 2 tr C 1'C^2 1]
///   Feldt       = 1 - (1 - alpha) F^-1(1 -+ gamma/2; n - 1, (n - 1)(k - 1))  (Feldt, Woodruff & Salih 1987)
///   omega_total = 1 - sum(psi_i) / 1'R1, psi_i = 1 - lambda_i^2 (psych::omega(x, nfactors = 1)$omega.tot)
///
/// Missing data (NaN): `missing_policy::pairwise` (psych's and pingouin's default) estimates each covariance from
/// the rows where both items are answered (pair-specific means, as R's cov(use = "pairwise")); n for the Feldt
/// interval and the standard error is then every row of the input, including rows with missing answers (psych
/// 2.2.9 and pingouin 0.7.0 both do this, even for rows with no answer at all). `missing_policy::listwise` uses
/// the complete rows only (pingouin's "listwise", multilevel::cronbach). The person score behind `mean` and `sd`
/// is the mean of the items a person answered (psych's default scores).
///
/// Every pass is one sweep over the rows: shifted sums and cross-products accumulated in blocks by matrix
/// products (the shift, each item's first answer, keeps the sums free of cancellation), split over threads in
/// fixed chunks that are merged in order, so results do not depend on the number of threads.

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "agreement.hpp"  // missing_policy, parse_missing_policy, matrix_view: the vocabulary of the item areas
#include "confidentiality.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"

namespace engage {

// ---------------------------------------------------------------------------------------------------------------
// The one pass: shifted sums and cross-products of the items and the person score
// ---------------------------------------------------------------------------------------------------------------

namespace detail {

constexpr double alpha_nan = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] inline void alpha_bad_cell(Eigen::Index row, Eigen::Index col, double value) {
  throw invalid_input("items[" + std::to_string(row) + ", " + std::to_string(col) + "] = " + format_value(value) +
                      ": item answers must be finite numbers (NaN = missing)");
}

/**
 * Sufficient statistics of an item matrix for the pairwise and listwise estimators. With y_j = x_j - shift_j
 * (0 where missing), m_j = 1 where item j is answered, t = the person score (mean of the answered items) and
 * y_t = t - shift_t, m_t = 1 when the row has an answer:
 * - complete rows: their number, sums of (y, y_t) and the cross-products (lower triangle);
 * - rows with some (not all) items missing: N = M'M, P = Y'Y (lower triangles) and S = Yx'M, where Y = (y, y_t),
 *   M = (m, m_t) and Yx = (y, y_t, y_t^2, y_1^2 .. y_k^2), so S(a, j) is the sum of column a over the rows that
 *   answer j. Complete and incomplete rows are kept apart because most rows are complete and need no masks.
 * Partial results of chunks add up (`+=`) to the one-pass result.
 */
struct alpha_moments {
  Eigen::Index k = 0;
  Eigen::VectorXd shift;  ///< k + 1: the items, then the person score
  double complete = 0.0;
  Eigen::VectorXd complete_sum;    ///< k + 1
  Eigen::MatrixXd complete_cross;  ///< (k + 1)^2, lower triangle
  Eigen::MatrixXd count;           ///< (k + 1)^2, lower triangle
  Eigen::MatrixXd sum;             ///< (2k + 2) x (k + 1)
  Eigen::MatrixXd cross;           ///< (k + 1)^2, lower triangle
  std::uint64_t rows = 0, missing_cells = 0, incomplete_rows = 0, empty_rows = 0;

  /// Empties the moments and sets the shift (reusable: storage of the same size is kept).
  void init(const Eigen::VectorXd& s) {
    k = s.size() - 1;
    shift = s;
    complete = 0.0;
    rows = missing_cells = incomplete_rows = empty_rows = 0;
    complete_sum = Eigen::VectorXd::Zero(k + 1);
    complete_cross = Eigen::MatrixXd::Zero(k + 1, k + 1);
    count = Eigen::MatrixXd::Zero(k + 1, k + 1);
    sum = Eigen::MatrixXd::Zero(2 * k + 2, k + 1);
    cross = Eigen::MatrixXd::Zero(k + 1, k + 1);
  }
  alpha_moments& operator+=(const alpha_moments& o) {
    complete += o.complete, complete_sum += o.complete_sum, complete_cross += o.complete_cross;
    count += o.count, sum += o.sum, cross += o.cross;
    rows += o.rows, missing_cells += o.missing_cells, incomplete_rows += o.incomplete_rows;
    empty_rows += o.empty_rows;
    return *this;
  }
};

/// Shift of each item: its first answer among the rows (of `index` when given) (keeps shifted sums small); the
/// person score's shift is their mean.
inline Eigen::VectorXd alpha_shift(const matrix_view& x, const std::int64_t* index = nullptr, std::size_t n_index = 0) {
  const Eigen::Index k = x.cols();
  const std::size_t n = index ? n_index : static_cast<std::size_t>(x.rows());
  Eigen::VectorXd s = Eigen::VectorXd::Zero(k + 1);
  for (Eigen::Index j = 0; j < k; ++j) {
    for (std::size_t r = 0; r < n; ++r) {
      const double v = x(index ? static_cast<Eigen::Index>(index[r]) : static_cast<Eigen::Index>(r), j);
      if (!std::isnan(v)) {
        s[j] = std::isfinite(v) ? v : 0.0;  // an infinite answer is reported by the pass
        break;
      }
    }
  }
  s[k] = s.head(k).mean();
  return s;
}

/// Row blocks of the kernel (reused across calls by a thread that runs many small passes, e.g. one per group).
struct alpha_buffers {
  Eigen::MatrixXd yc, yi, mi;
};

/// Adds rows [begin, end) (of `index` when given, else of the matrix) to `m`. Listwise skips incomplete rows.
inline void alpha_accumulate(const matrix_view& x, const std::int64_t* index, std::size_t begin, std::size_t end,
                             bool listwise, alpha_moments& m, alpha_buffers* buffers = nullptr) {
  constexpr Eigen::Index block = 256;
  const Eigen::Index k = m.k;
  alpha_buffers local;
  alpha_buffers& b = buffers ? *buffers : local;
  const auto rows_needed = buffers ? block : std::min<Eigen::Index>(block, static_cast<Eigen::Index>(end - begin) + 1);
  b.yc.resize(rows_needed, k + 1), b.yi.resize(rows_needed, 2 * k + 2), b.mi.resize(rows_needed, k + 1);
  auto& yc = b.yc;
  auto& yi = b.yi;
  auto& mi = b.mi;
  Eigen::Index nc = 0, ni = 0;
  auto flush_complete = [&] {
    if (nc == 0) return;
    const auto y = yc.topRows(nc);
    m.complete_cross.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose());
    m.complete_sum += y.colwise().sum().transpose();
    m.complete += static_cast<double>(nc);
    nc = 0;
  };
  auto flush_incomplete = [&] {
    if (ni == 0) return;
    const auto y = yi.topRows(ni);
    const auto mask = mi.topRows(ni);
    m.cross.selfadjointView<Eigen::Lower>().rankUpdate(y.leftCols(k + 1).transpose());
    m.count.selfadjointView<Eigen::Lower>().rankUpdate(mask.transpose());
    m.sum.noalias() += y.transpose() * mask;
    ni = 0;
  };
  const double* shift = m.shift.data();
  for (std::size_t r = begin; r < end; ++r) {
    const Eigen::Index i = index ? static_cast<Eigen::Index>(index[r]) : static_cast<Eigen::Index>(r);
#if defined(__GNUC__) || defined(__clang__)
    // Rows listed by index (a group's rows, a resample) are scattered: fetch a few rows ahead.
    if (index && r + 8 < end) __builtin_prefetch(x.data() + index[r + 8] * x.outerStride());
#endif
    ++m.rows;
    Eigen::Index answered = 0;
    double ysum = 0.0, ssum = 0.0;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double v = x(i, j);
      if (std::isnan(v)) continue;
      if (std::isinf(v)) alpha_bad_cell(i, j, v);
      ++answered, ysum += v - shift[j], ssum += shift[j];
    }
    if (answered == k) {
      // y_t = mean(y) + mean(shift) - shift_t = mean(y) for a complete row.
      for (Eigen::Index j = 0; j < k; ++j) yc(nc, j) = x(i, j) - shift[j];
      yc(nc, k) = ysum / static_cast<double>(k);
      if (++nc == yc.rows()) flush_complete();
      continue;
    }
    m.missing_cells += static_cast<std::uint64_t>(k - answered);
    if (answered == 0) {
      ++m.empty_rows;
      continue;
    }
    ++m.incomplete_rows;
    if (listwise) continue;
    const double a = static_cast<double>(answered);
    const double yt = ysum / a + (ssum / a - shift[k]);
    for (Eigen::Index j = 0; j < k; ++j) {
      const double v = x(i, j);
      const bool have = !std::isnan(v);
      const double y = have ? v - shift[j] : 0.0;
      yi(ni, j) = y, yi(ni, k + 2 + j) = y * y, mi(ni, j) = have ? 1.0 : 0.0;
    }
    yi(ni, k) = yt, yi(ni, k + 1) = yt * yt, mi(ni, k) = 1.0;
    if (++ni == yi.rows()) flush_incomplete();
  }
  flush_complete();
  flush_incomplete();
}

/// The one pass over all rows (or over `index`, length `n_index`, for a bootstrap resample), in fixed chunks
/// merged in order. `threads = false` runs on the calling thread (a resample inside a parallel bootstrap).
inline alpha_moments alpha_moments_of(const matrix_view& x, bool listwise, const Eigen::VectorXd& shift,
                                      const std::int64_t* index = nullptr, std::size_t n_index = 0,
                                      bool threads = true) {
  const std::size_t n = index ? n_index : static_cast<std::size_t>(x.rows());
  const auto k = static_cast<std::size_t>(x.cols());
  // Chunk size depends on n and k only (never on the machine), so the summation order is always the same.
  const std::size_t bytes = 8 * (2 * k + 2) * (k + 1) * 4;
  const std::size_t max_chunks = std::clamp<std::size_t>((std::size_t{1} << 28) / std::max<std::size_t>(bytes, 1), 1, 32);
  const std::size_t chunk_rows = std::max<std::size_t>(std::size_t{1} << 15, (n + max_chunks - 1) / max_chunks);
  const std::size_t chunks = std::max<std::size_t>(1, (n + chunk_rows - 1) / chunk_rows);
  std::vector<alpha_moments> part(chunks);
  auto work = [&](std::size_t c0, std::size_t c1, std::size_t) {
    for (std::size_t c = c0; c < c1; ++c) {
      part[c].init(shift);
      alpha_accumulate(x, index, c * chunk_rows, std::min(n, (c + 1) * chunk_rows), listwise, part[c]);
    }
  };
  if (threads) parallel_chunks(chunks, 1, work);
  else work(0, chunks, 0);
  for (std::size_t c = 1; c < chunks; ++c) part[0] += part[c];
  return std::move(part[0]);
}

/// The moments as pairwise matrices (complete and incomplete rows combined, triangles mirrored).
struct alpha_pairwise {
  Eigen::MatrixXd n;    ///< (k + 1)^2: rows answering both (index k: rows with an answer)
  Eigen::MatrixXd sum;  ///< (2k + 2) x (k + 1): sum of column a over the rows answering j
  Eigen::MatrixXd cross;  ///< (k + 1)^2
};

inline alpha_pairwise alpha_combine(const alpha_moments& m) {
  const Eigen::Index k = m.k;
  alpha_pairwise p;
  p.n = m.count;
  p.n.array() += m.complete;
  p.n = p.n.selfadjointView<Eigen::Lower>();
  p.cross = (m.cross + m.complete_cross).selfadjointView<Eigen::Lower>();
  const Eigen::MatrixXd cc = m.complete_cross.selfadjointView<Eigen::Lower>();
  p.sum = m.sum;
  p.sum.topRows(k + 1).colwise() += m.complete_sum;
  p.sum.row(k + 1).array() += cc(k, k);
  for (Eigen::Index i = 0; i < k; ++i) p.sum.row(k + 2 + i).array() += cc(i, i);
  return p;
}

/// Pairwise covariance of items i and j (R's cov(use = "pairwise"): pair-specific means, divisor n_ij - 1).
inline double alpha_cov(const alpha_pairwise& p, Eigen::Index i, Eigen::Index j) {
  const double n = p.n(i, j);
  return (p.cross(i, j) - p.sum(i, j) * p.sum(j, i) / n) / (n - 1.0);
}

/// The figures of alpha that depend on C (and R = cov2cor(C)) only.
struct alpha_figures {
  double alpha = alpha_nan, standardized = alpha_nan, g6 = alpha_nan, average_r = alpha_nan;
  double median_r = alpha_nan, var_r = alpha_nan, signal_to_noise = alpha_nan, q = alpha_nan;
};

inline double alpha_median(std::vector<double> v) {
  if (v.empty()) return alpha_nan;
  const std::size_t h = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
  if (v.size() % 2 == 1) return v[h];
  const double hi = v[h];
  return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h)));
}

/// Raw alpha and Q from C; with `correlations`, also standardized alpha, average_r and S/N (C's items must have
/// positive variance); with `companions` too, G6, median_r and var_r.
inline alpha_figures alpha_figures_of(const Eigen::MatrixXd& c, bool correlations = true, bool companions = true) {
  alpha_figures f;
  const Eigen::Index k = c.rows();
  const double kd = static_cast<double>(k);
  const double total = c.sum(), trace = c.trace();
  f.alpha = kd / (kd - 1.0) * (1.0 - trace / total);
  const double c2_trace = c.squaredNorm();                 // tr(C^2) for symmetric C
  const double c2_sum = (c * Eigen::VectorXd::Ones(k)).squaredNorm();  // 1'C^2 1
  f.q = 2.0 * kd * kd / ((kd - 1.0) * (kd - 1.0) * total * total * total) *
        (total * (c2_trace + trace * trace) - 2.0 * trace * c2_sum);
  if (!correlations) return f;
  const Eigen::VectorXd d = c.diagonal().cwiseSqrt().cwiseInverse();
  const Eigen::MatrixXd r = d.asDiagonal() * c * d.asDiagonal();
  const double rsum = r.sum();
  f.standardized = kd / (kd - 1.0) * (1.0 - kd / rsum);
  std::vector<double> off;
  off.reserve(static_cast<std::size_t>(k * (k - 1) / 2));
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index i = j + 1; i < k; ++i) off.push_back(r(i, j));
  double mean = 0.0;
  for (const double v : off) mean += v;
  mean /= static_cast<double>(off.size());
  f.average_r = mean;
  f.signal_to_noise = kd * mean / (1.0 - mean);
  if (!companions) return f;
  f.median_r = alpha_median(off);
  if (off.size() >= 2) {
    double ss = 0.0;
    for (const double v : off) ss += (v - mean) * (v - mean);
    f.var_r = ss / static_cast<double>(off.size() - 1);
  }
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(r);
  if (lu.isInvertible()) {
    const Eigen::VectorXd inv_diag = lu.inverse().diagonal();
    f.g6 = 1.0 - inv_diag.cwiseInverse().sum() / rsum;  // 1 - smc_i = 1/(R^-1)_ii
  }
  return f;
}

/// C without row and column `drop`.
inline Eigen::MatrixXd alpha_without(const Eigen::MatrixXd& c, Eigen::Index drop) {
  const Eigen::Index k = c.rows();
  Eigen::MatrixXd out(k - 1, k - 1);
  for (Eigen::Index i = 0, a = 0; i < k; ++i) {
    if (i == drop) continue;
    for (Eigen::Index j = 0, b = 0; j < k; ++j) {
      if (j == drop) continue;
      out(a, b++) = c(i, j);
    }
    ++a;
  }
  return out;
}

/// Checks common to alpha and omega: shape, something answered, rows left after listwise deletion.
inline void alpha_check_shape(const matrix_view& x, std::size_t min_items, std::string_view what) {
  if (x.cols() < static_cast<Eigen::Index>(min_items)) {
    throw invalid_input("items has " + std::to_string(x.cols()) + " column(s): " + std::string(what) +
                        " needs at least " + std::to_string(min_items) + " items (one column per item)");
  }
  if (x.rows() == 0) throw insufficient_data("items has no rows: " + std::string(what) + " needs respondents");
}

inline std::uint64_t alpha_rows_used(const alpha_moments& m, missing_policy missing) {
  if (m.rows == m.empty_rows) {
    throw insufficient_data("all " + std::to_string(m.rows * static_cast<std::uint64_t>(m.k)) +
                            " values of items are missing");
  }
  const auto used = missing == missing_policy::listwise ? static_cast<std::uint64_t>(m.complete) : m.rows;
  if (used < 2) {
    throw insufficient_data(
        missing == missing_policy::listwise
            ? "only " + std::to_string(used) + " complete row(s) of " + std::to_string(m.rows) +
                  ": listwise deletion needs at least 2 (missing = 'pairwise' uses every answer)"
            : "items has " + std::to_string(m.rows) + " row(s): need at least 2");
  }
  return used;
}

/// The covariance matrix (pairwise or listwise), checking every pair has 2 rows and every item varies.
inline Eigen::MatrixXd alpha_covariance(const alpha_pairwise& p, const Eigen::VectorXd& shift) {
  const Eigen::Index k = shift.size() - 1;
  Eigen::MatrixXd c(k, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    for (Eigen::Index i = j; i < k; ++i) {
      if (p.n(i, j) < 2.0) {
        throw insufficient_data(i == j ? "items[:, " + std::to_string(i) + "] has " +
                                             std::to_string(static_cast<std::uint64_t>(p.n(i, i))) +
                                             " answer(s): need at least 2"
                                       : "items[:, " + std::to_string(j) + "] and items[:, " + std::to_string(i) +
                                             "] are answered together in " +
                                             std::to_string(static_cast<std::uint64_t>(p.n(i, j))) +
                                             " row(s): a pairwise covariance needs at least 2");
      }
      c(i, j) = c(j, i) = alpha_cov(p, i, j);
    }
    if (!(c(j, j) > 0.0)) {
      throw insufficient_data("items[:, " + std::to_string(j) + "] has zero variance (every answer is " +
                              format_value(shift[j]) +
                              "): a constant item has no correlation with the others; drop it");
    }
  }
  return c;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------------------------
// Cronbach's alpha
// ---------------------------------------------------------------------------------------------------------------

/// Item statistics of `cronbach_alpha` (psych's item.stats and alpha.drop), one entry per item in input order.
struct cronbach_alpha_item_stats {
  std::vector<std::uint64_t> n;  ///< answers of the item
  std::vector<double> mean, sd;  ///< of the item's answers (sd from the covariance matrix, divisor n - 1)
  std::vector<double> raw_r;     ///< correlation of the item with the person score (mean of answered items)
  std::vector<double> std_r;     ///< colSums(R) / sqrt(1'R1)
  std::vector<double> r_cor;     ///< as std_r with smc on the diagonal of R (psych's r.cor)
  std::vector<double> r_drop;    ///< item with the sum of the other items: (C1 - C_ii) / sqrt(C_ii 1'C_-i 1)
  /// Alpha and its companions on the other k - 1 items (psych's alpha.drop); NaN when k = 2.
  std::vector<double> alpha_if_dropped, std_alpha_if_dropped, g6_if_dropped, average_r_if_dropped;
  std::vector<double> signal_to_noise_if_dropped, standard_error_if_dropped, var_r_if_dropped, median_r_if_dropped;
};

/// Cronbach's alpha of one item matrix with psych's companions.
struct cronbach_alpha_result {
  double statistic;        ///< raw alpha, from covariances
  double standardized;     ///< standardized alpha, from correlations
  double g6;               ///< Guttman's lambda 6 (smc); NaN when R is singular
  double average_r;        ///< mean inter-item correlation
  double median_r;         ///< median inter-item correlation
  double signal_to_noise;  ///< k rbar / (1 - rbar)
  double standard_error;   ///< asymptotic SE (Duhachek & Iacobucci 2004), sqrt(Q / n)
  double mean, sd;         ///< of the person scores (mean of each person's answered items)
  std::uint64_t n;         ///< rows behind the Feldt interval and SE (pairwise: all rows; listwise: complete rows)
  std::uint64_t n_items;
  std::uint64_t missing;       ///< NaN cells in the input
  std::uint64_t rows_dropped;  ///< rows not used (listwise: rows with a missing answer; pairwise: 0)
  missing_policy missing_data;
  Eigen::MatrixXd covariance;   ///< C
  Eigen::MatrixXd correlation;  ///< R = cov2cor(C)
  cronbach_alpha_item_stats items;
};

/**
 * Cronbach's alpha of an n x k item matrix (one row per respondent, NaN = missing) with psych::alpha's output.
 * Throws `invalid_input` for fewer than 2 items or an infinite answer, `insufficient_data` when everything is
 * missing, fewer than 2 rows are usable, an item has fewer than 2 answers, two items share fewer than 2 rows
 * (pairwise) or an item is constant (its index is named).
 *
 * **Example**:
 * ```
 * engage::row_matrix x(4, 3);
 * x << 1, 2, 2,   2, 2, 3,   4, 5, 4,   5, 4, 5;
 * auto a = engage::cronbach_alpha(x);                 // a.statistic == 0.9512..., a.items.alpha_if_dropped
 * auto ci = engage::confidence_interval(a, 0.95);     // Feldt
 * ```
 */
inline cronbach_alpha_result cronbach_alpha(const matrix_view& items, missing_policy missing = missing_policy::pairwise) {
  detail::alpha_check_shape(items, 2, "Cronbach's alpha");
  const Eigen::Index k = items.cols();
  const bool listwise = missing == missing_policy::listwise;
  const auto m = detail::alpha_moments_of(items, listwise, detail::alpha_shift(items));
  cronbach_alpha_result r{};
  r.missing_data = missing;
  r.n_items = static_cast<std::uint64_t>(k);
  r.missing = m.missing_cells;
  r.rows_dropped = listwise ? m.incomplete_rows + m.empty_rows : 0;
  r.n = detail::alpha_rows_used(m, missing);
  const auto p = detail::alpha_combine(m);
  r.covariance = detail::alpha_covariance(p, m.shift);
  const Eigen::VectorXd sd = r.covariance.diagonal().cwiseSqrt();
  r.correlation = sd.cwiseInverse().asDiagonal() * r.covariance * sd.cwiseInverse().asDiagonal();
  r.correlation.diagonal().setOnes();

  const auto f = detail::alpha_figures_of(r.covariance);
  const double n = static_cast<double>(r.n);
  r.statistic = f.alpha, r.standardized = f.standardized, r.g6 = f.g6, r.average_r = f.average_r;
  r.median_r = f.median_r, r.signal_to_noise = f.signal_to_noise, r.standard_error = std::sqrt(f.q / n);

  // Person score t over the rows with an answer.
  const double nt = p.n(k, k);
  r.mean = p.sum(k, k) / nt + m.shift[k];
  r.sd = nt >= 2.0 ? std::sqrt((p.cross(k, k) - p.sum(k, k) * p.sum(k, k) / nt) / (nt - 1.0)) : detail::alpha_nan;

  // Item statistics.
  auto& s = r.items;
  const auto ku = static_cast<std::size_t>(k);
  s.n.resize(ku);
  for (auto* v : {&s.mean, &s.sd, &s.raw_r, &s.std_r, &s.r_cor, &s.r_drop, &s.alpha_if_dropped,
                  &s.std_alpha_if_dropped, &s.g6_if_dropped, &s.average_r_if_dropped, &s.signal_to_noise_if_dropped,
                  &s.standard_error_if_dropped, &s.var_r_if_dropped, &s.median_r_if_dropped}) {
    v->assign(ku, detail::alpha_nan);
  }
  const Eigen::MatrixXd& c = r.covariance;
  const Eigen::MatrixXd& cor = r.correlation;
  const Eigen::VectorXd c_col = c.colwise().sum().transpose(), r_col = cor.colwise().sum().transpose();
  const double c_total = c.sum(), r_total = cor.sum();
  Eigen::MatrixXd rs = cor;  // R with smc on the diagonal
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(cor);
  const bool invertible = lu.isInvertible();
  if (invertible) rs.diagonal() = Eigen::VectorXd::Ones(k) - lu.inverse().diagonal().cwiseInverse();
  const Eigen::VectorXd rs_col = rs.colwise().sum().transpose();
  const double rs_total = rs.sum();
  for (Eigen::Index i = 0; i < k; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const double ni = p.n(i, i);
    s.n[u] = static_cast<std::uint64_t>(ni);
    s.mean[u] = p.sum(i, i) / ni + m.shift[i];
    s.sd[u] = sd[i];
    // cor(x_i, t) over the rows answering i (t is defined there).
    const double sxt = p.cross(i, k) - p.sum(i, i) * p.sum(k, i) / ni;
    const double sxx = p.cross(i, i) - p.sum(i, i) * p.sum(i, i) / ni;
    const double stt = p.sum(k + 1, i) - p.sum(k, i) * p.sum(k, i) / ni;
    s.raw_r[u] = sxt / std::sqrt(sxx * stt);
    s.std_r[u] = r_col[i] / std::sqrt(r_total);
    if (invertible) s.r_cor[u] = rs_col[i] / std::sqrt(rs_total);
    s.r_drop[u] = (c_col[i] - c(i, i)) / std::sqrt(c(i, i) * (c_total - 2.0 * c_col[i] + c(i, i)));
    if (k >= 3) {
      const auto d = detail::alpha_figures_of(detail::alpha_without(c, i));
      s.alpha_if_dropped[u] = d.alpha, s.std_alpha_if_dropped[u] = d.standardized, s.g6_if_dropped[u] = d.g6;
      s.average_r_if_dropped[u] = d.average_r, s.signal_to_noise_if_dropped[u] = d.signal_to_noise;
      s.standard_error_if_dropped[u] = std::sqrt(d.q / n), s.var_r_if_dropped[u] = d.var_r;
      s.median_r_if_dropped[u] = d.median_r;
    }
  }
  return r;
}

/**
 * Feldt (Feldt, Woodruff & Salih 1987) interval for alpha from n rows and k items:
 * 1 - (1 - alpha) F^-1(1 - gamma/2; n - 1, (n - 1)(k - 1)) .. 1 - (1 - alpha) F^-1(gamma/2; ...), gamma = 1 - level.
 *
 * **Example**:
 * ```
 * auto ci = engage::cronbach_alpha_feldt_interval(0.8431428, 30, 7);   // {0.7393757, 0.9157731}
 * ```
 */
inline interval cronbach_alpha_feldt_interval(double alpha, std::uint64_t n, std::uint64_t k,
                                              double confidence_level = 0.95);

namespace detail {

/// The two F quantiles of the Feldt interval, F^-1(1 - gamma/2) and F^-1(gamma/2) on (n - 1, (n - 1)(k - 1)).
inline interval feldt_quantiles(std::uint64_t n, std::uint64_t k, double confidence_level) {
  const double df1 = static_cast<double>(n - 1), df2 = df1 * static_cast<double>(k - 1);
  const boost::math::fisher_f_distribution<double, math_policy> f(df1, df2);
  const double g = 1.0 - confidence_level;
  return {boost::math::quantile(f, 1.0 - g / 2.0), boost::math::quantile(f, g / 2.0)};
}

}  // namespace detail

inline interval cronbach_alpha_feldt_interval(double alpha, std::uint64_t n, std::uint64_t k,
                                              double confidence_level) {
  detail::require_confidence_level(confidence_level);
  if (n < 2 || k < 2) {
    throw insufficient_data("Feldt interval: n = " + std::to_string(n) + ", k = " + std::to_string(k) +
                            ": needs at least 2 rows and 2 items");
  }
  // alpha lies in (-inf, 1]; a value above 1 (or infinite) is no alpha and would give low > high. An undefined
  // alpha (NaN: constant items) has an undefined interval.
  if (alpha > 1.0 || std::isinf(alpha))
    throw invalid_input("alpha = " + detail::format_value(alpha) + ": Cronbach's alpha is at most 1");
  const auto q = detail::feldt_quantiles(n, k, confidence_level);
  return {1.0 - (1.0 - alpha) * q.low, 1.0 - (1.0 - alpha) * q.high};
}

/**
 * Feldt interval of an alpha result (n as psych and pingouin count it; see the file comment).
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_interval(engage::cronbach_alpha(x), 0.90);
 * ```
 */
inline interval confidence_interval(const cronbach_alpha_result& r, double confidence_level = 0.95) {
  return cronbach_alpha_feldt_interval(r.statistic, r.n, r.n_items, confidence_level);
}

namespace detail {

/// Engine seed of resample b: SplitMix64 of seed + b (independent streams, same on every machine and thread count).
inline std::uint64_t alpha_resample_seed(std::uint64_t seed, std::uint64_t b) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace detail

/**
 * Percentile bootstrap interval for raw alpha: rows are resampled with replacement (listwise: the complete rows)
 * and alpha recomputed with the same missing-data policy. Resample b uses its own Mersenne Twister seeded from
 * (seed, b), so the interval is the same on every machine. Resamples in which alpha is not defined (an item
 * constant in the resample) are skipped; fewer than 2 defined resamples is an error.
 *
 * **Example**:
 * ```
 * auto ci = engage::cronbach_alpha_bootstrap_interval(x, engage::missing_policy::pairwise, 0.95, 1000, 42);
 * ```
 */
inline interval cronbach_alpha_bootstrap_interval(const matrix_view& items, missing_policy missing,
                                                  double confidence_level = 0.95, std::size_t n_resamples = 1000,
                                                  std::uint64_t seed = 0) {
  detail::require_confidence_level(confidence_level);
  detail::require_resamples(n_resamples, 1000);
  (void)cronbach_alpha(items, missing);  // the same validation (and errors) as the estimate itself
  const bool listwise = missing == missing_policy::listwise;
  std::vector<std::int64_t> pool;
  if (listwise) {
    for (Eigen::Index i = 0; i < items.rows(); ++i) {
      bool complete = true;
      for (Eigen::Index j = 0; j < items.cols() && complete; ++j) complete = !std::isnan(items(i, j));
      if (complete) pool.push_back(i);
    }
  }
  const std::size_t n = listwise ? pool.size() : static_cast<std::size_t>(items.rows());
  const Eigen::VectorXd shift = detail::alpha_shift(items);
  const Eigen::Index k = items.cols();
  std::vector<double> draws(n_resamples, detail::alpha_nan);
  detail::parallel_chunks(n_resamples, 1, [&](std::size_t b0, std::size_t b1, std::size_t) {
    std::vector<std::int64_t> idx(n);
    for (std::size_t b = b0; b < b1; ++b) {
      boost::random::mt19937_64 gen(detail::alpha_resample_seed(seed, b));
      boost::random::uniform_int_distribution<std::size_t> pick(0, n - 1);
      for (auto& i : idx) i = listwise ? pool[pick(gen)] : static_cast<std::int64_t>(pick(gen));
      const auto m = detail::alpha_moments_of(items, listwise, shift, idx.data(), n, false);
      const auto p = detail::alpha_combine(m);
      Eigen::MatrixXd c(k, k);
      bool defined = true;
      for (Eigen::Index j = 0; j < k && defined; ++j) {
        for (Eigen::Index i = j; i < k; ++i) {
          if (p.n(i, j) < 2.0) defined = false;
          else c(i, j) = c(j, i) = detail::alpha_cov(p, i, j);
        }
        defined = defined && c(j, j) > 0.0;
      }
      if (defined) draws[b] = detail::alpha_figures_of(c, false).alpha;
    }
  });
  std::vector<double> ok;
  ok.reserve(draws.size());
  for (const double d : draws)
    if (std::isfinite(d)) ok.push_back(d);
  if (ok.size() < 2) {
    throw insufficient_data("bootstrap: alpha was defined in only " + std::to_string(ok.size()) + " of " +
                            std::to_string(n_resamples) + " resamples (items constant in the resampled rows)");
  }
  std::sort(ok.begin(), ok.end());
  const double tail = (1.0 - confidence_level) / 2.0;
  return {detail::sorted_quantile(ok, tail), detail::sorted_quantile(ok, 1.0 - tail)};
}

// ---------------------------------------------------------------------------------------------------------------
// McDonald's omega_total from a one-factor minres fit
// ---------------------------------------------------------------------------------------------------------------

/// The formula behind `omega_result::omega_total`, stated in every result.
inline constexpr const char* omega_total_formula =
    "omega_total = 1 - sum(psi) / 1'R1 with psi_i = 1 - lambda_i^2, lambda the one-factor minres loadings and 1'R1 "
    "the sum of the observed item correlation matrix (as psych::omega(x, nfactors = 1)$omega.tot; psych 2.2.9 "
    "uses this observed denominator, not the model-implied (sum lambda)^2 + sum psi, which is omega_total_model)";

/// A one-factor minimum-residual fit.
struct minres_fit {
  Eigen::VectorXd loadings;  ///< lambda, signed so that sum(lambda) >= 0
  double objective;          ///< sum over i != j of (r_ij - lambda_i lambda_j)^2
  double max_gradient;       ///< largest |d objective / d lambda_i| at the solution
  int iterations;            ///< coordinate sweeps plus Newton steps
};

namespace detail {

inline double minres_objective(const Eigen::MatrixXd& r, const Eigen::VectorXd& l) {
  Eigen::MatrixXd e = r - l * l.transpose();
  e.diagonal().setZero();
  return e.squaredNorm();
}

inline Eigen::VectorXd minres_gradient(const Eigen::MatrixXd& r, const Eigen::VectorXd& l) {
  Eigen::MatrixXd e = r - l * l.transpose();
  e.diagonal().setZero();
  return -4.0 * e * l;
}

}  // namespace detail

/**
 * One-factor minres (unweighted least squares) fit of a correlation matrix: minimises the sum of squared
 * off-diagonal residuals sum_{i != j} (r_ij - lambda_i lambda_j)^2, the criterion of psych::fa(fm = "minres").
 * Start: principal axes with smc communalities; then coordinate sweeps (each lambda_i set to its exact minimiser
 * sum_j r_ij lambda_j / sum_j lambda_j^2, j != i, which never increases the criterion) until loadings move less
 * than 1e-6; then Newton's method with a backtracking line search on the exact Hessian
 * (H_ii = 4 sum_{j != i} lambda_j^2, H_ij = 8 lambda_i lambda_j - 4 r_ij), falling back to a sweep when H is not
 * positive definite. Converged when max |gradient| <= `tolerance` (default 1e-12), or <= 1e-9 when a further
 * step cannot lower the criterion in floating point; otherwise throws `convergence_error`.
 * Loadings are unconstrained: a communality lambda_i^2 > 1 (a Heywood case) is reported, not bounded.
 *
 * **Example**:
 * ```
 * auto fit = engage::minres_one_factor(correlation_matrix);   // fit.loadings
 * ```
 */
inline minres_fit minres_one_factor(const Eigen::MatrixXd& r, double tolerance = 1e-12, int max_iterations = 2000) {
  const Eigen::Index k = r.rows();
  if (r.cols() != k) {
    throw invalid_input("correlation matrix is " + std::to_string(r.rows()) + " x " + std::to_string(r.cols()) +
                        ": must be square");
  }
  if (k < 3) {
    throw invalid_input("a one-factor model needs at least 3 items (with " + std::to_string(k) +
                        " it is not identified)");
  }
  if (!r.allFinite()) throw invalid_input("correlation matrix has non-finite entries");
  minres_fit fit{Eigen::VectorXd::Zero(k), 0.0, 0.0, 0};
  Eigen::MatrixXd off = r;
  off.diagonal().setZero();
  if (off.cwiseAbs().maxCoeff() == 0.0) {  // uncorrelated items: the zero loadings are the exact minimiser
    fit.objective = 0.0;
    return fit;
  }
  // Principal-axis start with smc communalities (1 when R is singular).
  Eigen::MatrixXd reduced = r;
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(r);
  if (lu.isInvertible()) reduced.diagonal() = Eigen::VectorXd::Ones(k) - lu.inverse().diagonal().cwiseInverse();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(reduced);
  Eigen::VectorXd l = eig.eigenvectors().col(k - 1) * std::sqrt(std::max(eig.eigenvalues()[k - 1], 1e-6));

  auto sweep = [&] {
    double moved = 0.0;
    for (Eigen::Index i = 0; i < k; ++i) {
      const double den = l.squaredNorm() - l[i] * l[i];
      if (!(den > 0.0)) continue;
      const double next = (off.row(i).dot(l)) / den;
      moved = std::max(moved, std::fabs(next - l[i]));
      l[i] = next;
    }
    return moved;
  };
  int it = 0;
  for (; it < max_iterations; ++it)
    if (sweep() < 1e-6) break;

  double f = detail::minres_objective(r, l);
  Eigen::VectorXd g = detail::minres_gradient(r, l);
  bool converged = false;
  for (; it < max_iterations; ++it) {
    const double gmax = g.cwiseAbs().maxCoeff();
    if (gmax <= tolerance) {
      converged = true;
      break;
    }
    Eigen::MatrixXd h = 8.0 * l * l.transpose() - 4.0 * r;
    h.diagonal() = 4.0 * (Eigen::VectorXd::Constant(k, l.squaredNorm()) - l.cwiseAbs2());
    const Eigen::LLT<Eigen::MatrixXd> llt(h);
    if (llt.info() != Eigen::Success) {  // not yet in the convex region around the minimum
      sweep();
      f = detail::minres_objective(r, l), g = detail::minres_gradient(r, l);
      continue;
    }
    const Eigen::VectorXd step = llt.solve(g);
    double t = 1.0;
    bool lowered = false;
    for (int halving = 0; halving < 40; ++halving, t *= 0.5) {
      const Eigen::VectorXd trial = l - t * step;
      const double ft = detail::minres_objective(r, trial);
      if (ft < f) {
        l = trial, f = ft, lowered = true;
        break;
      }
    }
    g = detail::minres_gradient(r, l);
    if (!lowered) {
      // Floating point cannot lower the criterion any more: accept if the gradient is at rounding level.
      converged = g.cwiseAbs().maxCoeff() <= 1e-9;
      break;
    }
  }
  fit.max_gradient = g.cwiseAbs().maxCoeff();
  if (!converged && fit.max_gradient <= tolerance) converged = true;
  if (!converged) {
    throw convergence_error("minres one-factor fit did not converge in " + std::to_string(max_iterations) +
                            " iterations (max |gradient| = " + detail::format_value(fit.max_gradient) + ")");
  }
  if (l.sum() < 0.0) l = -l;
  fit.loadings = l, fit.objective = f, fit.iterations = it;
  return fit;
}

/// McDonald's omega_total from a one-factor minres fit.
struct omega_result {
  double omega_total;          ///< 1 - sum(psi) / 1'R1 (psych::omega's omega.tot; see `omega_total_formula`)
  double omega_total_model;    ///< (sum lambda)^2 / ((sum lambda)^2 + sum psi): model-implied denominator
  double explained_variance;   ///< sum lambda^2 (psych's "SS loadings")
  double explained_variance_ratio;  ///< sum lambda^2 / k
  std::vector<double> loadings, uniquenesses;  ///< lambda and psi = 1 - lambda^2, per item in input order
  bool heywood;                ///< some lambda_i^2 > 1 (negative uniqueness)
  std::uint64_t n, n_items, missing, rows_dropped;  ///< as in `cronbach_alpha_result`
  missing_policy missing_data;
  Eigen::MatrixXd correlation;  ///< the R that was fitted
  minres_fit fit;
};

/**
 * omega_total of a correlation matrix (see `omega_total_formula`). Items must be keyed in the same direction:
 * loadings are not flipped (psych::omega flips items with negative loadings by default; engage does not, so a
 * negative loading means an item to reverse-key first).
 *
 * **Example**:
 * ```
 * auto o = engage::omega_from_correlation(r);   // o.omega_total, o.loadings
 * ```
 */
inline omega_result omega_from_correlation(const Eigen::MatrixXd& r) {
  omega_result o{};
  o.fit = minres_one_factor(r);
  const Eigen::VectorXd& l = o.fit.loadings;
  const Eigen::Index k = l.size();
  const Eigen::VectorXd psi = Eigen::VectorXd::Ones(k) - l.cwiseAbs2();
  o.omega_total = 1.0 - psi.sum() / r.sum();
  o.omega_total_model = l.sum() * l.sum() / (l.sum() * l.sum() + psi.sum());
  o.explained_variance = l.squaredNorm();
  o.explained_variance_ratio = o.explained_variance / static_cast<double>(k);
  o.loadings.assign(l.data(), l.data() + k);
  o.uniquenesses.assign(psi.data(), psi.data() + k);
  o.heywood = (psi.array() < 0.0).any();
  o.n_items = static_cast<std::uint64_t>(k);
  o.correlation = r;
  return o;
}

/**
 * McDonald's omega_total of an n x k item matrix (NaN = missing). The correlation matrix is R's
 * cor(x, use = "pairwise") under pairwise deletion (pair-specific means and SDs, as psych::omega and psych::fa
 * use) or that of the complete rows under listwise deletion. Needs at least 3 items.
 *
 * **Example**:
 * ```
 * auto o = engage::omega(x, engage::missing_policy::pairwise);   // o.omega_total, o.loadings, o.uniquenesses
 * ```
 */
inline omega_result omega(const matrix_view& items, missing_policy missing = missing_policy::pairwise) {
  detail::alpha_check_shape(items, 3, "omega");
  const Eigen::Index k = items.cols();
  const bool listwise = missing == missing_policy::listwise;
  const auto m = detail::alpha_moments_of(items, listwise, detail::alpha_shift(items));
  const auto used = detail::alpha_rows_used(m, missing);
  const auto p = detail::alpha_combine(m);
  (void)detail::alpha_covariance(p, m.shift);  // the same checks as alpha: pairs of 2 rows, no constant item
  Eigen::MatrixXd r = Eigen::MatrixXd::Identity(k, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    for (Eigen::Index i = j + 1; i < k; ++i) {
      const double n = p.n(i, j);
      const double sij = p.cross(i, j) - p.sum(i, j) * p.sum(j, i) / n;
      const double sii = p.sum(k + 2 + i, j) - p.sum(i, j) * p.sum(i, j) / n;  // item i over rows answering j
      const double sjj = p.sum(k + 2 + j, i) - p.sum(j, i) * p.sum(j, i) / n;
      if (!(sii > 0.0 && sjj > 0.0)) {
        throw insufficient_data("items[:, " + std::to_string(j) + "] and items[:, " + std::to_string(i) +
                                "]: one of them is constant over the rows answering both; their correlation "
                                "is not defined");
      }
      r(i, j) = r(j, i) = sij / std::sqrt(sii * sjj);
    }
  }
  auto o = omega_from_correlation(r);
  o.n = used, o.missing = m.missing_cells, o.missing_data = missing;
  o.rows_dropped = listwise ? m.incomplete_rows + m.empty_rows : 0;
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// Alpha per group
// ---------------------------------------------------------------------------------------------------------------

/// Why a shown group's alpha (or part of it) is not defined.
enum class alpha_note : std::uint8_t {
  none = 0,
  too_few_rows = 1,          ///< fewer than 2 usable rows: nothing is defined
  pair_too_small = 2,        ///< pairwise: two items answered together in fewer than 2 rows: nothing is defined
  zero_total_variance = 3,   ///< the total score does not vary: nothing is defined
  constant_item = 4,         ///< an item does not vary: raw alpha, SE and Feldt are given, correlations are not
};

/// Text of a note ("", "fewer than 2 usable rows", ...), as the Python table shows it.
inline const char* to_string(alpha_note n) {
  switch (n) {
    case alpha_note::none: return "";
    case alpha_note::too_few_rows: return "fewer than 2 usable rows";
    case alpha_note::pair_too_small: return "two items answered together in fewer than 2 rows";
    case alpha_note::zero_total_variance: return "the total score does not vary";
    case alpha_note::constant_item: return "an item does not vary: standardized alpha and average_r undefined";
  }
  return "unknown";
}

/// Options of the grouped alpha table.
struct alpha_by_options {
  missing_policy missing = missing_policy::listwise;
  double confidence_level = 0.95;
  std::size_t min_group_size = 5;
  /// Parent partition of a group key for complementary suppression (see `enps_by_options`); unset = one partition.
  std::function<std::int64_t(std::int64_t)> parent_of{};
  /// Whether the respondent count of a hidden group is published (its figures never are).
  bool show_suppressed_n = false;
  /// The release the table is published in (default: a release of its own); `publish.measures` names the items.
  publication publish{};
};

/// One group of the alpha table. Hidden rows carry NaN figures and n = 0 (unless `show_suppressed_n`).
struct alpha_group_row {
  std::int64_t key;
  std::uint64_t n;             ///< rows behind the figures (listwise: complete rows; pairwise: rows with an answer)
  std::uint64_t rows_dropped;  ///< rows of the group not used (listwise: any answer missing; pairwise: no answer)
  double statistic, standardized, average_r, standard_error;
  interval ci;                 ///< Feldt, with the group's n
  suppression status;
  alpha_note note;
};


/**
 * Cronbach's alpha for every group in one pass over the rows, under the confidentiality engine. `keys` are integer
 * group keys (see `enps_count_by`); rows come out sorted by key. Per group: n, raw and standardized alpha,
 * average_r, the asymptotic SE and the Feldt interval with the group's n. Listwise (default) uses each group's
 * complete rows; pairwise uses pairwise covariances within the group, with n = the group's rows that answer at
 * least one item (psych would also count rows with no answer in n; engage does not, so that such rows never count
 * towards the confidentiality minimum). Groups where alpha is not defined are shown with NaN figures and a `note`.
 *
 * **Example**:
 * ```
 * auto rows = engage::cronbach_alpha_by(items, team_ids);   // listwise, min_group_size 5
 * for (auto& row : rows) if (row.status == engage::suppression::shown) use(row.key, row.statistic, row.ci);
 * ```
 */
inline std::vector<alpha_group_row> cronbach_alpha_by(const matrix_view& items, codes_view keys,
                                                      const alpha_by_options& options = {}) {
  detail::require_confidence_level(options.confidence_level);
  if (items.cols() < 2) {
    throw invalid_input("items has " + std::to_string(items.cols()) +
                        " column(s): Cronbach's alpha needs at least 2 items (one column per item)");
  }
  detail::require_same_length("items (rows)", static_cast<std::size_t>(items.rows()), "groups",
                              static_cast<std::size_t>(keys.size()));
  if (items.rows() == 0) throw insufficient_data("no rows: the grouped alpha needs respondents");
  const auto k = static_cast<std::size_t>(items.cols());
  const bool listwise = options.missing == missing_policy::listwise;
  // The single pass files each row under its group; each group's moments then come from the same blocked kernel
  // as the one-sample alpha, on the group's rows only (cache-friendly, and groups run in parallel).
  auto grouped = accumulate_by_key<std::vector<std::int64_t>>(
      keys, [](std::vector<std::int64_t>& rows_of, Eigen::Index i) { rows_of.push_back(i); },
      [](const std::vector<std::int64_t>& rows_of) { return !rows_of.empty(); });
  const std::size_t n_groups = grouped.keys.size();
  const double nan = detail::alpha_nan;
  std::vector<alpha_group_row> rows(n_groups);
  std::vector<std::size_t> sizes(n_groups);
  const auto ki = static_cast<Eigen::Index>(k);
  // Figures of every group (groups in parallel); hidden groups are blanked below, after suppression.
  detail::parallel_chunks(n_groups, 64, [&](std::size_t g0, std::size_t g1, std::size_t) {
    detail::alpha_moments m;
    detail::alpha_buffers buffers;
    Eigen::MatrixXd c(ki, ki);
    std::unordered_map<std::uint64_t, interval> quantiles;  // F quantiles depend on the group size only
    for (std::size_t g = g0; g < g1; ++g) {
      auto& idx = grouped.values[g];
      m.init(detail::alpha_shift(items, idx.data(), idx.size()));
      detail::alpha_accumulate(items, idx.data(), 0, idx.size(), listwise, m, &buffers);
      std::vector<std::int64_t>().swap(idx);  // the row list is no longer needed
      auto& row = rows[g];
      row.key = grouped.keys[g];
      row.note = alpha_note::none;
      row.statistic = row.standardized = row.average_r = row.standard_error = nan;
      row.ci = {nan, nan};
      row.n = sizes[g] = static_cast<std::size_t>(listwise ? static_cast<std::uint64_t>(m.complete) : m.rows - m.empty_rows);
      row.rows_dropped = listwise ? m.incomplete_rows + m.empty_rows : m.empty_rows;
      if (row.n < 2) {
        row.note = alpha_note::too_few_rows;
        continue;
      }
      const auto p = detail::alpha_combine(m);
      bool pair_ok = true;
      for (Eigen::Index j = 0; j < ki; ++j) {
        for (Eigen::Index i = j; i < ki; ++i) {
          pair_ok = pair_ok && p.n(i, j) >= 2.0;
          c(i, j) = c(j, i) = detail::alpha_cov(p, i, j);
        }
      }
      if (!pair_ok) {
        row.note = alpha_note::pair_too_small;
        continue;
      }
      if (!(c.sum() > 0.0)) {
        row.note = alpha_note::zero_total_variance;
        continue;
      }
      const bool constant = (c.diagonal().array() <= 0.0).any();
      const auto f = detail::alpha_figures_of(c, !constant, false);
      if (constant) row.note = alpha_note::constant_item;
      row.statistic = f.alpha, row.standardized = f.standardized, row.average_r = f.average_r;
      row.standard_error = std::sqrt(f.q / static_cast<double>(row.n));
      const auto [it, fresh] = quantiles.try_emplace(row.n);
      if (fresh) it->second = detail::feldt_quantiles(row.n, k, options.confidence_level);
      row.ci = {1.0 - (1.0 - f.alpha) * it->second.low, 1.0 - (1.0 - f.alpha) * it->second.high};
    }
  });

  std::uint64_t total = 0;
  for (const auto sz : sizes) total += sz;
  if (total == 0) {
    throw insufficient_data(!listwise ? "all values of items are missing"
                                      : "no complete row: listwise deletion drops every row (each has a missing "
                                        "answer); missing = 'pairwise' uses every answer");
  }
  // The figure is one statistic of the rows used (complete rows listwise, rows with an answer pairwise).
  const auto decision = detail::decide_groups(
      detail::single_measure(options.publish, "cronbach_alpha"), options.min_group_size, options.parent_of,
      {&grouped.keys, sizes, {}, {}}, static_cast<std::size_t>(items.rows()),
      [&](auto&& emit) { detail::emit_used_rows(items, keys, grouped.keys, listwise, emit); },
      "cronbach_alpha_by");
  const auto& status = decision.status;
  for (std::size_t g = 0; g < n_groups; ++g) {
    auto& row = rows[g];
    row.status = status[g];
    if (status[g] == suppression::shown) continue;
    row.statistic = row.standardized = row.average_r = row.standard_error = nan;
    row.ci = {nan, nan};
    row.note = alpha_note::none;
    if (!options.show_suppressed_n) row.n = 0, row.rows_dropped = 0;
  }
  return rows;
}

}  // namespace engage
