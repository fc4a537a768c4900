#pragma once
/// @file logistic.hpp
/// Logistic regression for churn (attrition) risk, fitted by Newton-Raphson (= IRLS / Fisher scoring for the
/// canonical logit link) with step halving, optional ridge (L2) penalty, inference (Wald standard errors, z,
/// p-values, intervals), and detection of separation.
///
/// Formulas (METHODS.md section 7): mu = 1/(1 + exp(-X beta)), W = diag(mu (1 - mu)),
/// beta+ = beta + (X'WX + P)^{-1} (X'(y - mu) - P beta), Cov(beta) = (X'WX + P)^{-1} at the estimate;
/// deviance = -2 loglik (binary outcomes: the saturated log-likelihood is 0).
///
/// Numerical design:
/// - The columns are centred (when there is an intercept) and scaled to unit SD internally, and the results are
///   transformed back exactly (Newton's method is affine-invariant), so unscaled data (salaries in currency units
///   next to 1-5 item scores) converge as fast as scaled data. This is where scikit-learn's lbfgs stops early.
/// - Each iteration is one pass over the rows in blocks: X'WX by a symmetric rank-k update per block, partial sums
///   over fixed blocks of 2^15 rows reduced in order, so results do not depend on the number of threads.
/// - Convergence: R's criterion |D - D_old| / (|D| + 0.1) < tol on the (penalised) deviance D, with tol = 1e-10
///   by default instead of R's 1e-8: Newton converges quadratically, so one more step costs little and leaves the
///   estimates and the covariance (taken at the final estimate, where R uses the weights of the step before) good
///   to ~1e-12; R's default stops a step earlier, with standard errors off by ~1e-5 (tests/data/logistic_reference.R).
///
/// Missing data: listwise. Rows with NaN in y or in any column of X are dropped and counted (`missing`).

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"

namespace engage {

/// The outcome is perfectly predicted by a combination of the columns (complete or quasi-complete separation):
/// the maximum-likelihood estimates do not exist. A `convergence_error`; Python's `engage.SeparationError`.
struct separation_error : convergence_error {
  using convergence_error::convergence_error;
};

/// What `logistic_regression` does on separation: throw `separation_error` (default), or return the diverged fit
/// with `separation = true` (its estimates are points on the way to infinity, not estimates of anything).
enum class separation_policy : std::uint8_t { raise, flag };

/// Parses "raise", "flag".
inline separation_policy parse_separation_policy(std::string_view name) {
  if (name == "raise") return separation_policy::raise;
  if (name == "flag") return separation_policy::flag;
  throw invalid_input("separation = '" + std::string(name) + "': expected one of 'raise', 'flag'");
}

/// Settings of `logistic_regression`.
struct logistic_options {
  /// Ridge penalty lambda >= 0: maximises loglik(beta) - 0.5 * lambda * sum_j beta_j^2 over the slopes (on the
  /// scale of the columns as given; the intercept is not penalised). scikit-learn's C is 1 / lambda; glmnet's
  /// lambda (alpha = 0, standardize = FALSE) is lambda / n.
  double penalizer = 0.0;
  bool fit_intercept = true;
  std::size_t max_iter = 100;
  /// Relative change of the (penalised) deviance below which the iterations stop (R: 1e-8; see the file comment).
  double tol = 1e-10;
  separation_policy separation = separation_policy::raise;
  /// Names of the columns of X, used in results and error messages; default "x0", "x1", ...
  std::vector<std::string> column_names{};
};

/// A fitted logistic regression. Vectors have one entry per parameter, the intercept first when fitted.
struct logistic_result {
  std::vector<std::string> names;  ///< "intercept" (when fitted), then the column names
  Eigen::VectorXd params;
  Eigen::VectorXd standard_errors;  ///< from the inverse (penalised) Hessian at the estimate
  Eigen::VectorXd z;                ///< params / standard_errors
  Eigen::VectorXd pvalues;          ///< two-sided, standard normal
  Eigen::MatrixXd covariance;       ///< (X'WX + P)^{-1} (entries can under/overflow for columns in units like 1e200)
  double deviance = 0.0;            ///< -2 loglik at the estimate (without the penalty)
  double null_deviance = 0.0;       ///< intercept-only model (with an intercept), else mu = 1/2 for every row
  double log_likelihood = 0.0;
  double aic = 0.0;                 ///< deviance + 2 * effective_df
  double effective_df = 0.0;        ///< parameters; with a penalty trace((X'WX + P)^{-1} X'WX) (Gray 1992)
  double penalizer = 0.0;
  double relative_change = 0.0;     ///< last |D - D_old| / (|D| + 0.1)
  std::size_t n = 0;                ///< complete rows used
  std::size_t events = 0;           ///< rows with y = 1
  std::size_t missing = 0;          ///< rows dropped for a NaN in y or X
  std::size_t n_iter = 0;           ///< Newton steps taken
  std::size_t df_residual = 0;      ///< n - parameters
  bool fit_intercept = true;
  bool converged = false;
  bool penalized = false;           ///< standard errors come from the penalised Hessian (approximate inference)
  bool separation = false;          ///< only with separation_policy::flag
  std::size_t perfectly_predicted = 0;          ///< rows the separating direction fits perfectly (separation only)
  std::vector<std::string> separating_columns;  ///< columns of the separating direction (separation only)
};

namespace detail {

/// |eta| above which a fitted probability is within 1e-6 of 0 or 1.
inline constexpr double logistic_extreme_eta = 13.815510557964274;

/// Sums over the rows at one parameter vector (internal standardised scale).
struct logistic_sums {
  double log_likelihood = 0.0;
  Eigen::VectorXd gradient;  ///< Z'(y - mu)
  Eigen::MatrixXd hessian;   ///< Z'WZ (lower triangle while accumulating)
  std::size_t extreme = 0;   ///< rows fitted within 1e-6 of their observed outcome
  double s_max = -std::numeric_limits<double>::infinity();  ///< direction pass: max (2y - 1) z'd
  double s_min = std::numeric_limits<double>::infinity();
  std::size_t s_positive = 0;  ///< direction pass: rows with (2y - 1) z'd > 1e-4 * threshold

  logistic_sums& operator+=(const logistic_sums& o) {
    log_likelihood += o.log_likelihood;
    if (gradient.size()) gradient += o.gradient;
    if (hessian.size()) hessian += o.hessian;
    extreme += o.extreme;
    s_max = std::max(s_max, o.s_max), s_min = std::min(s_min, o.s_min);
    s_positive += o.s_positive;
    return *this;
  }
};

/// The standardised design Z = [1, (X - centre) / scale] over the complete rows, never materialised: each pass
/// builds it block by block from the caller's memory.
class logistic_design {
 public:
  /// One block of rows of Z, row-major so that it is filled in the order the caller's rows are read.
  using block_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  logistic_design(const Eigen::Ref<const row_matrix>& X, vector_view y, const logistic_options& o)
      : X_(X), y_(y), intercept_(o.fit_intercept) {
    require_same_length("X (rows)", static_cast<std::size_t>(X.rows()), "y", static_cast<std::size_t>(y.size()));
    p_ = X.cols();
    off_ = intercept_ ? 1 : 0;
    q_ = p_ + off_;
    if (q_ == 0) throw invalid_input("X has no columns and fit_intercept is false: the model has no parameters");
    names_ = o.column_names;
    if (names_.empty()) {
      for (Eigen::Index j = 0; j < p_; ++j) names_.push_back("x" + std::to_string(j));
    } else if (static_cast<Eigen::Index>(names_.size()) != p_) {
      throw invalid_input("column_names has " + std::to_string(names_.size()) + " names but X has " +
                          std::to_string(p_) + " columns");
    }
    find_complete_rows();
    standardise();
  }

  [[nodiscard]] Eigen::Index parameters() const { return q_; }
  [[nodiscard]] Eigen::Index offset() const { return off_; }
  [[nodiscard]] std::size_t n() const { return n_; }
  [[nodiscard]] std::size_t missing() const { return missing_; }
  [[nodiscard]] std::size_t events() const { return events_; }
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  [[nodiscard]] const Eigen::VectorXd& centre() const { return centre_; }
  [[nodiscard]] const Eigen::VectorXd& inv_scale() const { return inv_scale_; }

  /// Log-likelihood, gradient and (optionally) Hessian at a; with `direction`, also the sign statistics
  /// s_i = (2 y_i - 1) z_i'd of the separation check (`threshold` sets what counts as positive).
  [[nodiscard]] logistic_sums pass(const Eigen::VectorXd& a, bool hessian, const Eigen::VectorXd* direction = nullptr,
                                   double threshold = 0.0) const {
    logistic_sums init;
    init.gradient = Eigen::VectorXd::Zero(q_);
    if (hessian) init.hessian = Eigen::MatrixXd::Zero(q_, q_);
    constexpr std::size_t super = std::size_t{1} << 15;  // rows per partial sum (fixed: thread-count independent)
    constexpr Eigen::Index block = 256;
    const std::size_t n_super = (n_ + super - 1) / super;
    std::vector<logistic_sums> part(n_super, init);
    parallel_chunks(n_super, 1, [&](std::size_t s_begin, std::size_t s_end, std::size_t) {
      block_matrix Z(block, q_), Zw(block, q_);
      Eigen::VectorXd yb(block), eta(block), resid(block), sw(block), s(block);
      for (std::size_t sb = s_begin; sb < s_end; ++sb) {
        auto& acc = part[sb];
        const std::size_t stop = std::min(n_, (sb + 1) * super);
        for (std::size_t start = sb * super; start < stop; start += block) {
          const auto m = static_cast<Eigen::Index>(std::min<std::size_t>(block, stop - start));
          fill(start, m, Z, yb);
          const auto Zm = Z.topRows(m);
          eta.head(m).noalias() = Zm * a;
          for (Eigen::Index r = 0; r < m; ++r) {
            const double e = eta[r], yi = yb[r];
            const double ex = std::exp(-std::fabs(e));                       // in (0, 1]: no overflow
            acc.log_likelihood += yi * e - (std::max(e, 0.0) + std::log1p(ex));  // y e - log(1 + e^e)
            const double mu = e >= 0.0 ? 1.0 / (1.0 + ex) : ex / (1.0 + ex);
            resid[r] = yi - mu;
            sw[r] = std::sqrt(ex) / (1.0 + ex);  // sqrt(mu (1 - mu)) without cancellation
            if ((yi == 1.0 && e > logistic_extreme_eta) || (yi == 0.0 && e < -logistic_extreme_eta)) ++acc.extreme;
          }
          acc.gradient.noalias() += Zm.transpose() * resid.head(m);
          if (hessian) {
            Zw.topRows(m) = sw.head(m).asDiagonal() * Zm;
            acc.hessian.selfadjointView<Eigen::Lower>().rankUpdate(Zw.topRows(m).transpose());
          }
          if (direction) {
            s.head(m).noalias() = Zm * *direction;
            for (Eigen::Index r = 0; r < m; ++r) {
              const double v = yb[r] == 1.0 ? s[r] : -s[r];
              acc.s_max = std::max(acc.s_max, v), acc.s_min = std::min(acc.s_min, v);
              if (v > threshold) ++acc.s_positive;
            }
          }
        }
      }
    });
    logistic_sums total = std::move(part[0]);
    for (std::size_t sb = 1; sb < n_super; ++sb) total += part[sb];
    if (hessian) total.hessian.triangularView<Eigen::StrictlyUpper>() = total.hessian.transpose();
    return total;
  }

 private:
  [[nodiscard]] const double* row(std::size_t i) const {
    const auto r = rows_.empty() ? static_cast<Eigen::Index>(i) : rows_[i];
    return X_.data() + r * X_.outerStride();
  }
  [[nodiscard]] double y_at(std::size_t i) const {
    return y_[rows_.empty() ? static_cast<Eigen::Index>(i) : rows_[i]];
  }

  void fill(std::size_t start, Eigen::Index m, block_matrix& Z, Eigen::VectorXd& yb) const {
    for (Eigen::Index r = 0; r < m; ++r) {
      const std::size_t i = start + static_cast<std::size_t>(r);
      const double* x = row(i);
      if (intercept_) Z(r, 0) = 1.0;
      for (Eigen::Index j = 0; j < p_; ++j) Z(r, off_ + j) = (x[j] - centre_[j]) * inv_scale_[j];
      yb[r] = y_at(i);
    }
  }

  void find_complete_rows() {
    const auto rows = static_cast<std::size_t>(X_.rows());
    std::vector<Eigen::Index> complete;
    for (std::size_t i = 0; i < rows; ++i) {
      const auto r = static_cast<Eigen::Index>(i);
      const double yi = y_[r];
      bool ok = !std::isnan(yi);
      if (ok && yi != 0.0 && yi != 1.0) fail_at("y", i, yi, "outcomes must be 0 or 1 (NaN = missing)");
      const double* x = X_.data() + r * X_.outerStride();
      for (Eigen::Index j = 0; j < p_; ++j) {
        if (std::isnan(x[j])) {
          ok = false;
        } else if (!std::isfinite(x[j])) {
          throw invalid_input("X[" + std::to_string(i) + ", " + std::to_string(j) + "] = " + format_value(x[j]) +
                              " (column '" + names_[static_cast<std::size_t>(j)] +
                              "'): values must be finite (NaN = missing)");
        }
      }
      if (ok) {
        complete.push_back(r);
        if (yi == 1.0) ++events_;
      }
    }
    n_ = complete.size();
    missing_ = rows - n_;
    if (missing_ > 0) rows_ = std::move(complete);
    if (n_ == 0) {
      throw insufficient_data(rows == 0 ? std::string("X and y have no rows")
                                        : "no complete rows: each of the " + std::to_string(rows) +
                                              " rows has a missing value (NaN) in y or X");
    }
    if (events_ == 0 || events_ == n_) {
      throw insufficient_data("y has no variation: all " + std::to_string(n_) + " complete rows are " +
                              (events_ == 0 ? "0" : "1") + "; a logistic model needs both outcomes");
    }
    if (n_ <= static_cast<std::size_t>(q_)) {
      throw insufficient_data(std::to_string(n_) + " complete rows for " + std::to_string(q_) +
                              " parameters: need more rows than parameters");
    }
  }

  // Centre (with an intercept) and scale each column; a constant column cannot be told from the intercept.
  // Three row-wise passes reading the caller's rows contiguously: the largest |x| of each column, then the mean
  // and the squares about it of x / max|x|, so that neither the sums nor the squares overflow or underflow
  // (columns in units of 1e-200 or 1e200 are standardised like any other).
  void standardise() {
    centre_ = Eigen::VectorXd::Zero(p_);
    inv_scale_ = Eigen::VectorXd::Ones(p_);
    if (p_ == 0) return;
    const double nn = static_cast<double>(n_);
    Eigen::VectorXd big = Eigen::VectorXd::Zero(p_);
    for (std::size_t i = 0; i < n_; ++i) big = big.cwiseMax(Eigen::Map<const Eigen::VectorXd>(row(i), p_).cwiseAbs());
    const Eigen::VectorXd inv_big = big.unaryExpr([](double b) { return b > 0.0 ? 1.0 / b : 1.0; });
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(p_);  // of x / max|x|
    if (intercept_) {
      for (std::size_t i = 0; i < n_; ++i) mean += Eigen::Map<const Eigen::VectorXd>(row(i), p_).cwiseProduct(inv_big);
      mean /= nn;
    }
    Eigen::VectorXd ss = Eigen::VectorXd::Zero(p_);
    for (std::size_t i = 0; i < n_; ++i)
      ss += (Eigen::Map<const Eigen::VectorXd>(row(i), p_).cwiseProduct(inv_big) - mean).cwiseAbs2();
    for (Eigen::Index j = 0; j < p_; ++j) {
      const double sd = std::sqrt(ss[j] / nn);  // root mean square about the centre, of x / max|x|
      const std::string& name = names_[static_cast<std::size_t>(j)];
      if (!(big[j] > 0.0)) {
        throw invalid_input("X column '" + name + "' is all zero" +
                            (intercept_ ? std::string(" (constant, so collinear with the intercept)") : "") +
                            "; drop it");
      }
      if (intercept_ && !(sd > 1e-12 * std::fabs(mean[j]))) {
        const double first = row(0)[j];
        bool literal = true;
        for (std::size_t i = 1; i < n_ && literal; ++i) literal = row(i)[j] == first;
        if (literal) {
          throw invalid_input("X column '" + name + "' is constant (every complete row is " + format_value(first) +
                              "), so it is collinear with the intercept; drop it");
        }
        throw invalid_input("X column '" + name + "' is numerically constant: its standard deviation is " +
                            format_value(sd / std::fabs(mean[j])) + " of its mean " +
                            format_value(mean[j] * big[j]) +
                            " (it varies only beyond the 12th significant digit), so it cannot be told from the "
                            "intercept; drop it, or subtract a value close to its mean first if that variation "
                            "is real");
      }
      centre_[j] = mean[j] * big[j];
      inv_scale_[j] = inv_big[j] / sd;
    }
  }

  Eigen::Ref<const row_matrix> X_;
  vector_view y_;
  bool intercept_;
  Eigen::Index p_ = 0, q_ = 0, off_ = 0;
  std::vector<std::string> names_;
  std::vector<Eigen::Index> rows_;  // complete rows; empty when every row is complete
  std::size_t n_ = 0, missing_ = 0, events_ = 0;
  Eigen::VectorXd centre_, inv_scale_;
};

/// Exact or near collinearity: eigenvalues of the correlation-scaled Z'Z (the Hessian at the start, where every
/// weight is equal) below 1e-10 of the largest. The columns with weight in those eigenvectors are named.
inline void check_collinearity(const Eigen::MatrixXd& h0, const logistic_design& d) {
  const Eigen::VectorXd inv_sd = h0.diagonal().cwiseSqrt().cwiseInverse();
  const Eigen::MatrixXd c = inv_sd.asDiagonal() * h0 * inv_sd.asDiagonal();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c);
  const Eigen::VectorXd& ev = eig.eigenvalues();  // ascending
  const double top = ev[ev.size() - 1];
  std::vector<bool> involved(static_cast<std::size_t>(c.rows()), false);
  bool any = false;
  for (Eigen::Index k = 0; k < ev.size() && ev[k] < 1e-10 * top; ++k) {
    const Eigen::VectorXd v = eig.eigenvectors().col(k);
    const double big = v.cwiseAbs().maxCoeff();
    for (Eigen::Index j = d.offset(); j < v.size(); ++j)
      if (std::fabs(v[j]) > 0.05 * big) involved[static_cast<std::size_t>(j)] = any = true;
  }
  if (!any) return;
  std::string list;
  for (Eigen::Index j = d.offset(); j < c.rows(); ++j) {
    if (!involved[static_cast<std::size_t>(j)]) continue;
    list += (list.empty() ? "'" : ", '") + d.names()[static_cast<std::size_t>(j - d.offset())] + "'";
  }
  throw invalid_input("X columns " + list + " are (almost) exactly linearly dependent (collinear) in the " +
                      std::to_string(d.n()) + " complete rows" +
                      (d.offset() ? " (possibly together with the intercept, as one dummy per category is)" : "") +
                      "; drop one of them");
}

inline double relative_change(double now, double before) { return std::fabs(now - before) / (std::fabs(now) + 0.1); }

}  // namespace detail

/**
 * Logistic regression of a 0/1 outcome on the columns of X by Newton-Raphson (IRLS) with step halving.
 *
 * Rows with NaN in y or X are dropped (counted in `missing`). Errors: y values other than 0/1, infinite values,
 * constant or collinear columns (named), no variation in y, no more rows than parameters (`invalid_input`,
 * `insufficient_data`); no convergence in `max_iter` steps (`convergence_error`); separation (`separation_error`,
 * or a flagged result with `separation_policy::flag`), detected as follows: when some rows are fitted within 1e-6
 * of their outcome, the last Newton step d is tested as a direction of unbounded improvement. With
 * s_i = (2 y_i - 1) x_i'd and T = 50 / max s_i, separation is reported when the log-likelihood at beta + T d is
 * not lower than at beta (to 1e-6 relative): every row then moves towards its outcome or not at all, which is
 * possible only when the data are separated (for a finite MLE the step d is ~0 and moving far along it loses).
 * A penalised fit (penalizer > 0) always has a finite solution and skips the check.
 *
 * **Example**:
 * ```
 * engage::row_matrix X(6, 1); X << 1, 2, 3, 4, 5, 6;
 * Eigen::VectorXd y(6); y << 0, 0, 1, 0, 1, 1;
 * auto fit = engage::logistic_regression(X, y);   // fit.params = (intercept, slope), fit.standard_errors, ...
 * ```
 */
inline logistic_result logistic_regression(const Eigen::Ref<const row_matrix>& X, vector_view y,
                                           const logistic_options& o = {}) {
  if (!(std::isfinite(o.penalizer) && o.penalizer >= 0.0)) {
    throw invalid_input("penalizer = " + detail::format_value(o.penalizer) + ": must be finite and >= 0");
  }
  if (o.max_iter < 1) throw invalid_input("max_iter = 0: must be at least 1");
  if (!(o.tol > 0.0 && o.tol < 1.0)) {
    throw invalid_input("tol = " + detail::format_value(o.tol) + ": must be in (0, 1), for example 1e-10");
  }
  const detail::logistic_design d(X, y, o);
  const Eigen::Index q = d.parameters(), off = d.offset();
  const double nn = static_cast<double>(d.n()), ybar = static_cast<double>(d.events()) / nn;

  // Penalty on the internal scale: beta_j = a_j / sd_j, so 0.5 lambda beta_j^2 = 0.5 (lambda / sd_j^2) a_j^2.
  Eigen::VectorXd pen = Eigen::VectorXd::Zero(q);
  for (Eigen::Index j = off; j < q; ++j) pen[j] = o.penalizer * d.inv_scale()[j - off] * d.inv_scale()[j - off];
  const bool penalized = o.penalizer > 0.0;
  const auto objective = [&](const detail::logistic_sums& s, const Eigen::VectorXd& a) {
    return -2.0 * s.log_likelihood + a.dot(pen.cwiseProduct(a));  // penalised deviance
  };

  Eigen::VectorXd a = Eigen::VectorXd::Zero(q);
  if (off) a[0] = std::log(ybar / (1.0 - ybar));
  detail::logistic_sums cur = d.pass(a, true);
  detail::check_collinearity(cur.hessian, d);
  double dev = objective(cur, a);

  logistic_result r;
  Eigen::VectorXd last_step;
  bool converged = false;
  std::size_t it = 0;
  double change = std::numeric_limits<double>::infinity();
  while (it < o.max_iter) {
    const Eigen::VectorXd g = cur.gradient - pen.cwiseProduct(a);
    const Eigen::MatrixXd h = cur.hessian + Eigen::MatrixXd(pen.asDiagonal());
    const Eigen::LLT<Eigen::MatrixXd> llt(h);
    if (llt.info() != Eigen::Success) break;  // weights underflowed (separation); judged below
    Eigen::VectorXd step = llt.solve(g);
    if (!step.allFinite()) break;
    ++it;
    // Step halving: the (penalised) log-likelihood is concave, so a short enough Newton step always improves it.
    bool accepted = false;
    detail::logistic_sums next;
    double dev_next = dev;
    for (int halving = 0; halving < 60; ++halving) {
      next = d.pass(a + step, true);
      dev_next = objective(next, a + step);
      if (std::isfinite(dev_next) && dev_next <= dev + 64 * std::numeric_limits<double>::epsilon() * (std::fabs(dev) + 1)) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // No representable improvement: at the optimum to machine precision when the Newton decrement is negligible.
      converged = g.dot(llt.solve(g)) < 1e-8 * (std::fabs(dev) + 0.1);
      change = 0.0;
      break;
    }
    a += step;
    last_step = step;
    change = detail::relative_change(dev_next, dev);
    cur = std::move(next);
    dev = dev_next;
    if (change < o.tol) {
      converged = true;
      break;
    }
  }

  // Separation check (unpenalised fits with some rows fitted within 1e-6 of their outcome).
  if (!penalized && cur.extreme > 0 && last_step.size() == q && last_step.cwiseAbs().maxCoeff() > 0.0) {
    const detail::logistic_sums probe = d.pass(a, false, &last_step, 0.0);
    if (probe.s_max > 0.0) {
      const double t = 50.0 / probe.s_max;
      const Eigen::VectorXd far = a + t * last_step;
      const detail::logistic_sums there = d.pass(far, false, &last_step, 1e-4 * probe.s_max);
      if (there.log_likelihood >= cur.log_likelihood - 1e-6 * (1.0 + std::fabs(cur.log_likelihood))) {
        r.separation = true;
        r.perfectly_predicted = there.s_positive;
        const double big = last_step.tail(q - off).cwiseAbs().maxCoeff();
        for (Eigen::Index j = off; j < q; ++j)
          if (std::fabs(last_step[j]) > 1e-3 * big) r.separating_columns.push_back(d.names()[static_cast<std::size_t>(j - off)]);
        if (o.separation == separation_policy::raise) {
          std::string cols;
          for (const auto& c : r.separating_columns) cols += (cols.empty() ? "'" : ", '") + c + "'";
          const bool complete = there.s_positive == d.n();
          throw separation_error(
              "separation: the outcome is perfectly predicted for " + std::to_string(there.s_positive) + " of " +
              std::to_string(d.n()) + " rows (" + (complete ? "complete" : "quasi-complete") +
              " separation) by column(s) " + cols +
              ", so the maximum-likelihood estimates do not exist (the coefficients grow without bound). Remove or "
              "merge the column(s) (for example a category in which everyone, or no one, left), or fit with "
              "penalizer > 0, which has a finite solution");
        }
      }
    }
  }
  if (!converged && !r.separation) {
    throw convergence_error("logistic_regression did not converge in " + std::to_string(it) +
                            " iterations (max_iter = " + std::to_string(o.max_iter) +
                            "; last relative deviance change " + detail::format_value(change) + ", tol " +
                            detail::format_value(o.tol) + ")");
  }

  // Covariance on the internal scale, then back to the columns as given: beta = M a.
  const Eigen::MatrixXd hp = cur.hessian + Eigen::MatrixXd(pen.asDiagonal());
  Eigen::MatrixXd v(q, q);
  const Eigen::LLT<Eigen::MatrixXd> llt(hp);
  if (llt.info() == Eigen::Success) {
    v = llt.solve(Eigen::MatrixXd::Identity(q, q));
  } else {
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(hp);
    v = lu.isInvertible() ? Eigen::MatrixXd(lu.inverse())
                          : Eigen::MatrixXd::Constant(q, q, std::numeric_limits<double>::quiet_NaN());
  }
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(q, q);
  if (off) M(0, 0) = 1.0;
  for (Eigen::Index j = off; j < q; ++j) {
    M(j, j) = d.inv_scale()[j - off];
    if (off) M(0, j) = -d.centre()[j - off] * d.inv_scale()[j - off];
  }
  r.params = M * a;
  r.covariance = M * v * M.transpose();
  // Standard errors from each row of M scaled to max 1 first: a column in units of 1e200 has a variance of order
  // 1e-400, which a double cannot hold (the covariance entry underflows), while its standard error is fine.
  r.standard_errors.resize(q);
  for (Eigen::Index j = 0; j < q; ++j) {
    const double size = M.row(j).cwiseAbs().maxCoeff();
    const Eigen::RowVectorXd m = M.row(j) / size;
    r.standard_errors[j] = std::sqrt((m * v * m.transpose())(0, 0)) * size;
  }
  r.z = r.params.cwiseQuotient(r.standard_errors);
  r.pvalues.resize(q);
  for (Eigen::Index j = 0; j < q; ++j) r.pvalues[j] = detail::normal_two_sided_p(r.z[j]);
  if (off) r.names.emplace_back("intercept");
  r.names.insert(r.names.end(), d.names().begin(), d.names().end());
  r.deviance = -2.0 * cur.log_likelihood;
  r.log_likelihood = cur.log_likelihood;
  r.null_deviance = off ? -2.0 * nn * (ybar * std::log(ybar) + (1.0 - ybar) * std::log1p(-ybar))
                        : 2.0 * nn * std::log(2.0);
  r.effective_df = penalized ? (v * cur.hessian).trace() : static_cast<double>(q);
  r.aic = r.deviance + 2.0 * r.effective_df;
  r.penalizer = o.penalizer;
  r.relative_change = change;
  r.n = d.n(), r.events = d.events(), r.missing = d.missing();
  r.n_iter = it;
  r.df_residual = d.n() - static_cast<std::size_t>(q);
  r.fit_intercept = off == 1;
  r.converged = converged;
  r.penalized = penalized;
  return r;
}

/**
 * Wald intervals params ± z * standard_errors (R `confint.default`), one per parameter.
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_intervals(fit, 0.95);   // ci[j].low, ci[j].high
 * ```
 */
inline std::vector<interval> confidence_intervals(const logistic_result& r, double confidence_level = 0.95) {
  const double z = detail::normal_critical(confidence_level);
  std::vector<interval> out(static_cast<std::size_t>(r.params.size()));
  for (Eigen::Index j = 0; j < r.params.size(); ++j) {
    out[static_cast<std::size_t>(j)] = {r.params[j] - z * r.standard_errors[j], r.params[j] + z * r.standard_errors[j]};
  }
  return out;
}

/**
 * Linear predictor (log-odds) for new rows: intercept + X beta; NaN in a row gives NaN.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd eta = engage::logistic_linear_predictor(fit, X_new);
 * ```
 */
inline Eigen::VectorXd logistic_linear_predictor(const logistic_result& r, const Eigen::Ref<const row_matrix>& X) {
  const Eigen::Index off = r.fit_intercept ? 1 : 0;
  if (X.cols() != r.params.size() - off) {
    throw invalid_input("X has " + std::to_string(X.cols()) + " columns but the model was fitted on " +
                        std::to_string(r.params.size() - off));
  }
  Eigen::VectorXd eta = X * r.params.tail(X.cols());
  if (off) eta.array() += r.params[0];
  return eta;
}

/**
 * Predicted probabilities P(y = 1) for new rows (NaN in a row gives NaN).
 *
 * **Example**:
 * ```
 * Eigen::VectorXd p = engage::logistic_predict(fit, X_new);
 * ```
 */
inline Eigen::VectorXd logistic_predict(const logistic_result& r, const Eigen::Ref<const row_matrix>& X) {
  Eigen::VectorXd eta = logistic_linear_predictor(r, X);
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    const double e = eta[i], ex = std::exp(-std::fabs(e));
    eta[i] = e >= 0.0 ? 1.0 / (1.0 + ex) : ex / (1.0 + ex);
  }
  return eta;
}

}  // namespace engage
