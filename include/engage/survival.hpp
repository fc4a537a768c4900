#pragma once
/// @file survival.hpp
/// Survival analysis for churn: the Kaplan-Meier curve with Greenwood standard errors, its median and interval,
/// the log-rank test between groups, Harrell's concordance, and the Cox proportional-hazards model (Efron or
/// Breslow ties, optional L2 penalty) with predictions of survival and churn probability.
///
/// Formulas: METHODS.md section 7. Reference: R `survival` (survfit, quantile.survfit, survdiff, coxph,
/// survfit.coxph, concordance); the tests compare with values computed by tests/data/survival_reference.R.
///
/// Conventions shared by every function here:
/// - `duration` is the follow-up time (>= 0; tenure at exit or at the end of observation), `event` is 1 when the
///   employee left (the event) and 0 when still employed (censored). R's survival status coding 1/2 must be
///   converted (event = status == 2).
/// - Times are compared exactly: unlike R's `timefix`, near-equal times from floating-point arithmetic are not
///   merged into ties.
/// - Missing data: NaN in any used column is an error naming the argument and row (`nan_policy::raise`, the
///   default) or drops the row (`nan_policy::omit`, listwise); dropped rows are counted in `dropped`.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "confidentiality.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"

namespace engage {

/// Missing-data policy of the survival functions: raise an error naming the row, or drop the row (listwise).
enum class survival_nan_policy : std::uint8_t { raise, omit };

/// Parses "raise" / "omit" (scipy's `nan_policy` vocabulary).
inline survival_nan_policy parse_survival_nan_policy(std::string_view name) {
  if (name == "raise") return survival_nan_policy::raise;
  if (name == "omit") return survival_nan_policy::omit;
  throw invalid_input("nan_policy = '" + std::string(name) + "': expected 'raise' or 'omit'");
}

/// Pointwise confidence interval of a survival curve (R survfit's `conf.type`).
enum class survival_ci_type : std::uint8_t {
  log,      ///< S exp(+/- z sigma), upper end capped at 1 (R's default)
  log_log,  ///< S^exp(+/- z sigma / log S) (lifelines' "exponential Greenwood")
  plain,    ///< S +/- z S sigma, clipped to [0, 1]
};

/// Parses "log" / "log-log" / "plain".
inline survival_ci_type parse_survival_ci_type(std::string_view name) {
  if (name == "log") return survival_ci_type::log;
  if (name == "log-log") return survival_ci_type::log_log;
  if (name == "plain") return survival_ci_type::plain;
  throw invalid_input("conf_type = '" + std::string(name) + "': expected 'log', 'log-log' or 'plain'");
}

/// Text of a confidence-interval type ("log", "log-log", "plain").
inline const char* to_string(survival_ci_type t) {
  switch (t) {
    case survival_ci_type::log: return "log";
    case survival_ci_type::log_log: return "log-log";
    case survival_ci_type::plain: return "plain";
  }
  return "unknown";
}

/// A chi-squared test: statistic, degrees of freedom and upper-tail p-value.
struct chi2_test {
  double statistic;
  std::size_t df;
  double pvalue;
};

// ---------------------------------------------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------------------------------------------

namespace detail::surv {

inline constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

/// Upper-tail chi-squared p-value (NaN statistic or df = 0 -> NaN).
inline double chi2_upper(double statistic, std::size_t df) {
  if (std::isnan(statistic) || df == 0) return nan_value;
  const boost::math::chi_squared_distribution<double, math_policy> dist(static_cast<double>(df));
  return boost::math::cdf(boost::math::complement(dist, std::max(statistic, 0.0)));
}

/// Whether row i is usable: a valid duration and event. NaN is missing (dropped under `omit`); any other invalid
/// value is an error naming the argument, the row and the value.
inline bool check_row(double t, double e, std::size_t i, survival_nan_policy policy) {
  const bool missing = std::isnan(t) || std::isnan(e);
  if (!std::isnan(t) && !(t >= 0.0 && std::isfinite(t))) {
    fail_at("duration", i, t, "durations must be finite and non-negative");
  }
  if (!std::isnan(e) && e != 0.0 && e != 1.0) {
    fail_at("event", i, e,
            e == 2.0 ? "events must be 0 (censored) or 1 (event); R's survival status coding 1/2 must be converted "
                       "(event = status == 2)"
                     : "events must be 0 (censored) or 1 (event)");
  }
  if (missing && policy == survival_nan_policy::raise) {
    if (std::isnan(t)) fail_at("duration", i, t, "missing duration (use nan_policy 'omit' to drop such rows)");
    fail_at("event", i, e, "missing event indicator (use nan_policy 'omit' to drop such rows)");
  }
  return !missing;
}

/// One observation: follow-up time and whether it ended in the event.
struct observation {
  double time;
  bool event;
};

/// Validated observations in ascending time (events before censorings at equal times), and the dropped count.
struct observations {
  std::vector<observation> rows;
  std::uint64_t dropped = 0;
};

inline void sort_by_time(std::vector<observation>& rows) {
  std::sort(rows.begin(), rows.end(), [](const observation& a, const observation& b) {
    return a.time < b.time || (a.time == b.time && a.event > b.event);
  });
}

inline observations collect(vector_view duration, vector_view event, survival_nan_policy policy) {
  require_same_length("duration", static_cast<std::size_t>(duration.size()), "event",
                      static_cast<std::size_t>(event.size()));
  observations out;
  out.rows.reserve(static_cast<std::size_t>(duration.size()));
  for (Eigen::Index i = 0; i < duration.size(); ++i) {
    if (check_row(duration[i], event[i], static_cast<std::size_t>(i), policy)) {
      out.rows.push_back({duration[i], event[i] == 1.0});
    } else {
      ++out.dropped;
    }
  }
  sort_by_time(out.rows);
  return out;
}

}  // namespace detail::surv

// ---------------------------------------------------------------------------------------------------------------
// Kaplan-Meier
// ---------------------------------------------------------------------------------------------------------------

/// Options of the Kaplan-Meier estimate.
struct kaplan_meier_options {
  double confidence_level = 0.95;
  survival_ci_type conf_type = survival_ci_type::log;
  survival_nan_policy nan_policy = survival_nan_policy::raise;
};

/**
 * A Kaplan-Meier curve, one entry per distinct observed time (events or censorings), as R's
 * `summary(survfit(...), censored = TRUE)`.
 *
 * `standard_error` is Greenwood's SE of S(t), S(t) sqrt(sum d/(n(n-d))) (R's `summary(fit)$std.err`); it is NaN
 * where S(t) = 0, as are the interval ends there. At observed times before the first event S = 1 with SE 0 and
 * interval [1, 1] (NaN for log-log, whose transform is undefined at S = 1, as in R).
 *
 * The median follows R's quantile.survfit: the first time at which S(t) <= 0.5; when S(t) equals 0.5 (within
 * sqrt(machine epsilon)) over a horizontal stretch, the midpoint of that stretch (to the next time the curve
 * drops, or to the last observed time). Its interval applies the same rule to the pointwise bands: `median_low`
 * where the lower band reaches 0.5, `median_high` where the upper band does. A value the curve or band never
 * reaches is NaN (`median_defined` is false when the curve itself never falls to 0.5, e.g. without events).
 */
struct survival_curve {
  std::vector<double> time;
  std::vector<std::uint64_t> at_risk, events, censored;
  std::vector<double> survival, standard_error, low, high;
  std::uint64_t n = 0;         ///< observations used
  std::uint64_t n_events = 0;  ///< events among them
  std::uint64_t dropped = 0;   ///< rows dropped for missing values (nan_policy omit)
  double median = detail::surv::nan_value, median_low = detail::surv::nan_value, median_high = detail::surv::nan_value;
  bool median_defined = false;
  double confidence_level = 0.95;
  survival_ci_type conf_type = survival_ci_type::log;
};

namespace detail::surv {

/// Pointwise interval of S with Greenwood sum g = sum d/(n(n-d)).
inline interval survival_band(double s, double g, double z, survival_ci_type type) {
  if (!(s > 0.0) || !std::isfinite(g)) return {nan_value, nan_value};
  // No event yet: the log and plain bands are [1, 1]; log(-log 1) is undefined, so R's log-log band is NA.
  if (g == 0.0) return type == survival_ci_type::log_log ? interval{nan_value, nan_value} : interval{s, s};
  const double sigma = std::sqrt(g);
  switch (type) {
    case survival_ci_type::log:
      return {s * std::exp(-z * sigma), std::min(1.0, s * std::exp(z * sigma))};
    case survival_ci_type::log_log: {
      const double a = z * sigma / std::log(s);  // log s < 0 here (s < 1 once g > 0)
      return {std::pow(s, std::exp(-a)), std::pow(s, std::exp(a))};
    }
    case survival_ci_type::plain:
      return {std::max(0.0, s - z * s * sigma), std::min(1.0, s + z * s * sigma)};
  }
  return {nan_value, nan_value};
}

/// quantile.survfit's rule on a non-increasing step curve y over `time`: first time y <= p; a horizontal stretch
/// at exactly p (within tol) gives the midpoint of the stretch. NaN if y never reaches p.
inline double step_quantile(const std::vector<double>& time, const std::vector<double>& y, double p) {
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  const std::size_t m = time.size();
  for (std::size_t k = 0; k < m; ++k) {
    if (!(y[k] <= p + tol)) continue;  // NaN never qualifies
    if (std::fabs(y[k] - p) > tol) return time[k];
    std::size_t end = k + 1;
    while (end < m && std::fabs(y[end] - p) <= tol) ++end;
    return 0.5 * (time[k] + time[end < m ? end : m - 1]);
  }
  return nan_value;
}

/// Fills survival, SE, bands and the median from time / at_risk / events / censored.
inline void finish_curve(survival_curve& c) {
  const double z = normal_critical(c.confidence_level);
  const std::size_t m = c.time.size();
  c.survival.resize(m), c.standard_error.resize(m), c.low.resize(m), c.high.resize(m);
  double s = 1.0, g = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    const auto n = static_cast<double>(c.at_risk[k]), d = static_cast<double>(c.events[k]);
    if (d > 0.0) {
      s *= 1.0 - d / n;
      g += n > d ? d / (n * (n - d)) : std::numeric_limits<double>::infinity();
    }
    c.survival[k] = s;
    c.standard_error[k] = s > 0.0 ? s * std::sqrt(g) : nan_value;
    const interval band = survival_band(s, g, z, c.conf_type);
    c.low[k] = band.low, c.high[k] = band.high;
  }
  c.median = step_quantile(c.time, c.survival, 0.5);
  c.median_defined = !std::isnan(c.median);
  c.median_low = step_quantile(c.time, c.low, 0.5);
  c.median_high = step_quantile(c.time, c.high, 0.5);
}

/// The curve of observations sorted by time.
inline survival_curve curve_of_sorted(const std::vector<observation>& rows, const kaplan_meier_options& o) {
  survival_curve c;
  c.confidence_level = o.confidence_level, c.conf_type = o.conf_type;
  c.n = rows.size();
  std::uint64_t remaining = rows.size();
  for (std::size_t i = 0; i < rows.size();) {
    const double t = rows[i].time;
    std::uint64_t d = 0, cens = 0;
    for (; i < rows.size() && rows[i].time == t; ++i) (rows[i].event ? d : cens) += 1;
    c.time.push_back(t), c.at_risk.push_back(remaining), c.events.push_back(d), c.censored.push_back(cens);
    remaining -= d + cens;
    c.n_events += d;
  }
  finish_curve(c);
  return c;
}

}  // namespace detail::surv

/**
 * Kaplan-Meier estimate of the survival (retention) curve with Greenwood standard errors, pointwise intervals
 * (`conf_type`) and the median with its interval. Matches R `survfit(Surv(duration, event) ~ 1, conf.type,
 * conf.int)`. No events is valid: the curve stays at 1 and the median is undefined (NaN, `median_defined`
 * false).
 *
 * **Example**:
 * ```
 * Eigen::VectorXd t(5), e(5); t << 2, 3, 3, 5, 8; e << 1, 1, 0, 1, 0;
 * auto km = engage::kaplan_meier(t, e);   // km.survival == {0.8, 0.6, 0.3, 0.3}, km.median == 5
 * ```
 */
inline survival_curve kaplan_meier(vector_view duration, vector_view event, const kaplan_meier_options& options = {}) {
  detail::require_confidence_level(options.confidence_level);
  auto obs = detail::surv::collect(duration, event, options.nan_policy);
  if (obs.rows.empty()) {
    throw insufficient_data(duration.size() == 0 ? std::string("kaplan_meier: no observations")
                                                 : "kaplan_meier: all " + std::to_string(obs.dropped) +
                                                       " rows have a missing duration or event");
  }
  auto c = detail::surv::curve_of_sorted(obs.rows, options);
  c.dropped = obs.dropped;
  return c;
}

/**
 * The same curve with its intervals (and the median's) recomputed for another confidence level or type; the
 * estimate itself does not change.
 *
 * **Example**:
 * ```
 * auto km90 = engage::with_confidence(km, 0.90, engage::survival_ci_type::log_log);
 * ```
 */
inline survival_curve with_confidence(survival_curve curve, double confidence_level, survival_ci_type conf_type) {
  detail::require_confidence_level(confidence_level);
  curve.confidence_level = confidence_level, curve.conf_type = conf_type;
  detail::surv::finish_curve(curve);
  return curve;
}

/// A survival curve read at given times, as R's `summary(fit, times = )`.
struct survival_points {
  std::vector<double> time;
  std::vector<std::uint64_t> at_risk;   ///< still under observation at t (duration >= t)
  std::vector<std::uint64_t> events;    ///< events in (previous requested time, t]; the first in [0, t]
  std::vector<std::uint64_t> censored;  ///< censorings in the same interval
  std::vector<double> survival, standard_error, low, high;
};

/**
 * Reads the curve at `times` (non-decreasing, >= 0). Before the first observed time S = 1 (SE 0). Beyond the
 * last observed time the estimate is not defined and every figure is NaN (R's summary drops such times unless
 * `extend = TRUE`), except that a curve that has reached 0 stays 0.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd at(2); at << 1, 4;
 * auto p = engage::survival_at(km, at);   // p.survival == {1, 0.6}
 * ```
 */
inline survival_points survival_at(const survival_curve& curve, vector_view times) {
  survival_points out;
  const auto m = static_cast<std::size_t>(times.size());
  out.time.resize(m), out.at_risk.resize(m), out.events.resize(m), out.censored.resize(m);
  out.survival.resize(m), out.standard_error.resize(m), out.low.resize(m), out.high.resize(m);
  const std::size_t k_end = curve.time.size();
  const double last = k_end ? curve.time.back() : 0.0;
  std::size_t k = 0;  // curve entries with time <= t
  std::uint64_t d_before = 0, c_before = 0, d_cum = 0, c_cum = 0;
  for (std::size_t j = 0; j < m; ++j) {
    const double t = times[static_cast<Eigen::Index>(j)];
    if (!(t >= 0.0) || std::isinf(t)) detail::fail_at("times", j, t, "times must be finite and non-negative");
    if (j > 0 && t < out.time[j - 1]) detail::fail_at("times", j, t, "times must be in non-decreasing order");
    out.time[j] = t;
    while (k < k_end && curve.time[k] <= t) d_cum += curve.events[k], c_cum += curve.censored[k], ++k;
    out.events[j] = d_cum - d_before, out.censored[j] = c_cum - c_before;
    d_before = d_cum, c_before = c_cum;
    out.at_risk[j] = curve.n - d_cum - c_cum + (k > 0 && curve.time[k - 1] == t ? curve.events[k - 1] + curve.censored[k - 1] : 0);
    if (k == 0) {
      out.survival[j] = 1.0, out.standard_error[j] = 0.0, out.low[j] = 1.0, out.high[j] = 1.0;
    } else if (t > last && curve.survival[k - 1] > 0.0) {
      out.survival[j] = out.standard_error[j] = out.low[j] = out.high[j] = detail::surv::nan_value;
    } else {
      out.survival[j] = curve.survival[k - 1], out.standard_error[j] = curve.standard_error[k - 1];
      out.low[j] = curve.low[k - 1], out.high[j] = curve.high[k - 1];
    }
  }
  return out;
}

namespace detail::surv {
/// The rows behind a grouped survival table, for the release: a usable (duration, event) is an answer, any other
/// row of the group a member without one.
template <class Emit>
void emit_rows(vector_view duration, vector_view event, codes_view keys, const std::vector<std::int64_t>& groups,
               survival_nan_policy policy, Emit&& emit) {
  const auto group = detail::group_of_rows(keys, groups);
  for (std::size_t i = 0; i < group.size(); ++i)
    emit(i, group[i], check_row(duration[Eigen::Index(i)], event[Eigen::Index(i)], i, policy) ? 0 : no_answer, -1);
}
}  // namespace detail::surv

/// Options of the grouped Kaplan-Meier curves.
struct kaplan_meier_by_options {
  kaplan_meier_options curve{};
  std::size_t min_group_size = 5;
  /// Parent partition of a group key for complementary suppression; unset = one partition.
  std::function<std::int64_t(std::int64_t)> parent_of{};
  /// The release the curves are published in (default: a release of its own).
  publication publish{};
};

/// One group's curve. Hidden groups carry an empty curve (n = 0, NaN medians): nothing of them is published.
struct survival_curve_group {
  std::int64_t key;
  survival_curve curve;
  suppression status;
};

/**
 * One Kaplan-Meier curve per group (integer group keys), from one pass over the rows, under the
 * confidentiality engine: a group with fewer than `min_group_size` observations is hidden (and complementary
 * groups with it). Rows come out sorted by key.
 *
 * **Example**:
 * ```
 * auto curves = engage::kaplan_meier_by(tenure, left, team_ids);
 * for (auto& g : curves) if (g.status == engage::suppression::shown) use(g.key, g.curve.median);
 * ```
 */
inline std::vector<survival_curve_group> kaplan_meier_by(vector_view duration, vector_view event, codes_view keys,
                                                        const kaplan_meier_by_options& options = {}) {
  detail::require_confidence_level(options.curve.confidence_level);
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "event",
                              static_cast<std::size_t>(event.size()));
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "groups",
                              static_cast<std::size_t>(keys.size()));
  if (duration.size() == 0) throw insufficient_data("kaplan_meier: no observations");
  struct acc {
    std::vector<detail::surv::observation> rows;
    std::uint64_t dropped = 0;
  };
  auto grouped = accumulate_by_key<acc>(keys, [&](acc& a, Eigen::Index i) {
    if (detail::surv::check_row(duration[i], event[i], static_cast<std::size_t>(i), options.curve.nan_policy)) {
      a.rows.push_back({duration[i], event[i] == 1.0});
    } else {
      ++a.dropped;
    }
  });
  const std::size_t g = grouped.keys.size();
  std::vector<std::size_t> sizes(g);
  std::size_t used = 0;
  for (std::size_t j = 0; j < g; ++j) sizes[j] = grouped.values[j].rows.size(), used += sizes[j];
  if (used == 0) throw insufficient_data("kaplan_meier: all rows have a missing duration or event");
  const auto decision = detail::decide_groups(
      detail::single_measure(options.publish, "survival"), options.min_group_size, options.parent_of,
      {&grouped.keys, sizes, {}, {}}, static_cast<std::size_t>(keys.size()),
      [&](auto&& emit) { detail::surv::emit_rows(duration, event, keys, grouped.keys, options.curve.nan_policy, emit); },
      "kaplan_meier_by");
  const auto& status = decision.status;
  std::vector<survival_curve_group> out(g);
  for (std::size_t j = 0; j < g; ++j) {
    out[j].key = grouped.keys[j];
    out[j].status = status[j];
    if (status[j] != suppression::shown) {
      out[j].curve.confidence_level = options.curve.confidence_level;
      out[j].curve.conf_type = options.curve.conf_type;
      continue;
    }
    auto& rows = grouped.values[j].rows;
    detail::surv::sort_by_time(rows);
    out[j].curve = detail::surv::curve_of_sorted(rows, options.curve);
    out[j].curve.dropped = grouped.values[j].dropped;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Log-rank test
// ---------------------------------------------------------------------------------------------------------------

/// Options of the log-rank test.
struct logrank_options {
  std::size_t min_group_size = 5;
  std::function<std::int64_t(std::int64_t)> parent_of{};
  /// The release the per-group table is published in (default: a release of its own).
  publication publish{};
  survival_nan_policy nan_policy = survival_nan_policy::raise;
};

/// One group of the log-rank table. Hidden groups carry NaN observed/expected and n = 0.
struct logrank_group {
  std::int64_t key;
  std::uint64_t n;
  double observed, expected;
  suppression status;
};

/// The log-rank test (R `survdiff`, rho = 0).
struct logrank_result {
  double statistic;  ///< chi-squared: (O - E)' V^- (O - E)
  std::size_t df;    ///< rank of V (number of groups - 1 unless a group is never at risk at an event time)
  double pvalue;
  std::uint64_t n, n_events, dropped;
  std::vector<logrank_group> groups;  ///< sorted by key
};

/// Most groups `logrank_test` compares: two G x G matrices (64 MB at 2000) and an eigendecomposition of G^3
/// (about 6 s at 2000 on one core); beyond it a clear error instead of minutes and then running out of memory.
inline constexpr std::size_t max_logrank_groups = 2000;

/**
 * Log-rank test that the survival curves of the groups are equal. At each event time t with d events among n
 * at risk, group g expects d n_g / n events; V_gh = sum d (n - d)/(n - 1) (n_g/n)(delta_gh - n_h/n). The
 * statistic uses the Moore-Penrose inverse of V, so df is its rank (R survdiff). One pass over the rows groups
 * them, one sweep over the sorted times accumulates O - E and V in O(n G). Every group enters the test; the
 * per-group table goes through the confidentiality engine (`min_group_size`).
 *
 * **Example**:
 * ```
 * auto lr = engage::logrank_test(tenure, left, department_ids);   // lr.statistic, lr.df, lr.pvalue
 * ```
 */
inline logrank_result logrank_test(vector_view duration, vector_view event, codes_view keys,
                                   const logrank_options& options = {}) {
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "event",
                              static_cast<std::size_t>(event.size()));
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "groups",
                              static_cast<std::size_t>(keys.size()));
  if (duration.size() == 0) throw insufficient_data("logrank_test: no observations");
  struct acc {
    std::vector<detail::surv::observation> rows;
  };
  std::uint64_t dropped = 0;
  auto grouped = accumulate_by_key<acc>(keys, [&](acc& a, Eigen::Index i) {
    if (detail::surv::check_row(duration[i], event[i], static_cast<std::size_t>(i), options.nan_policy)) {
      a.rows.push_back({duration[i], event[i] == 1.0});
    } else {
      ++dropped;
    }
  });
  const std::size_t G = grouped.keys.size();
  struct row {
    double time;
    bool event;
    std::uint32_t group;
  };
  std::vector<row> rows;
  std::vector<double> n_at_risk(G), observed(G, 0.0);
  for (std::size_t g = 0; g < G; ++g) {
    for (const auto& o : grouped.values[g].rows) {
      rows.push_back({o.time, o.event, static_cast<std::uint32_t>(g)});
      observed[g] += o.event ? 1.0 : 0.0;
    }
    n_at_risk[g] = static_cast<double>(grouped.values[g].rows.size());
  }
  std::size_t present = 0;
  for (std::size_t g = 0; g < G; ++g) present += n_at_risk[g] > 0 ? 1 : 0;
  if (present < 2) {
    throw insufficient_data("logrank_test needs at least 2 groups with observations; found " +
                            std::to_string(present));
  }
  if (G > max_logrank_groups) {
    throw invalid_input("groups: " + std::to_string(G) + " groups; the log-rank test compares at most " +
                        std::to_string(max_logrank_groups) +
                        " (its covariance is G x G and its inverse costs G^3): test a coarser grouping");
  }
  std::sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.time < b.time; });
  logrank_result r{};
  r.n = rows.size(), r.dropped = dropped;
  for (const auto& x : rows) r.n_events += x.event ? 1 : 0;
  if (r.n_events == 0) throw insufficient_data("logrank_test: no events (every observation is censored)");

  // n_g(t) is a step function that only changes when rows of g leave the risk set, so E and V are integrated
  // lazily: running totals A = sum d/n, B = sum c/n, C = sum c/n^2 (c = d(n-d)/(n-1)) are charged to a group
  // (or pair of groups) only when its at-risk count changes. O(G) per change, O(n G) overall.
  std::vector<double> expected(G, 0.0), last_a(G, 0.0), last_b(G, 0.0);
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(G), static_cast<Eigen::Index>(G));
  Eigen::MatrixXd last_c = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(G), static_cast<Eigen::Index>(G));
  double A = 0.0, B = 0.0, C = 0.0, n_total = static_cast<double>(rows.size());
  auto flush = [&](std::size_t g) {
    const auto gi = static_cast<Eigen::Index>(g);
    const double ng = n_at_risk[g];
    expected[g] += ng * (A - last_a[g]);
    v(gi, gi) += ng * (B - last_b[g]);
    last_a[g] = A, last_b[g] = B;
    for (std::size_t h = 0; h < G; ++h) {
      const auto hi = static_cast<Eigen::Index>(h);
      const double dc = C - last_c(gi, hi);
      if (dc != 0.0) {
        const double term = ng * n_at_risk[h] * dc;
        v(gi, hi) -= term;
        if (h != g) v(hi, gi) -= term;
      }
      last_c(gi, hi) = last_c(hi, gi) = C;
    }
  };
  std::vector<std::uint8_t> touched(G, 0);
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < rows.size();) {
    const double t = rows[i].time;
    std::size_t j = i;
    double d = 0.0;
    for (; j < rows.size() && rows[j].time == t; ++j) d += rows[j].event ? 1.0 : 0.0;
    if (d > 0.0) {
      A += d / n_total;
      if (n_total > 1.0) {
        const double c = d * (n_total - d) / (n_total - 1.0);
        B += c / n_total, C += c / (n_total * n_total);
      }
    }
    changed.clear();
    for (std::size_t k = i; k < j; ++k) {
      const std::uint32_t g = rows[k].group;
      if (!touched[g]) touched[g] = 1, changed.push_back(g), flush(g);
    }
    for (std::size_t k = i; k < j; ++k) n_at_risk[rows[k].group] -= 1.0;
    for (const auto g : changed) touched[g] = 0;
    n_total -= static_cast<double>(j - i);
    i = j;
  }
  // Every group has left the risk set by the end, so every contribution has been charged.

  Eigen::VectorXd diff(static_cast<Eigen::Index>(G));
  for (std::size_t g = 0; g < G; ++g) diff[static_cast<Eigen::Index>(g)] = observed[g] - expected[g];
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(v);
  const double top = std::max(eig.eigenvalues().cwiseAbs().maxCoeff(), 1e-300);
  double chi2 = 0.0;
  std::size_t rank = 0;
  for (Eigen::Index k = 0; k < eig.eigenvalues().size(); ++k) {
    const double lambda = eig.eigenvalues()[k];
    if (lambda > 1e-10 * top) {
      const double proj = eig.eigenvectors().col(k).dot(diff);
      chi2 += proj * proj / lambda;
      ++rank;
    }
  }
  r.statistic = chi2, r.df = rank, r.pvalue = detail::surv::chi2_upper(chi2, rank);

  std::vector<std::size_t> sizes(G);
  for (std::size_t g = 0; g < G; ++g) sizes[g] = grouped.values[g].rows.size();
  const auto decision = detail::decide_groups(
      detail::single_measure(options.publish, "survival"), options.min_group_size, options.parent_of,
      {&grouped.keys, sizes, {}, {}}, static_cast<std::size_t>(keys.size()),
      [&](auto&& emit) { detail::surv::emit_rows(duration, event, keys, grouped.keys, options.nan_policy, emit); },
      "logrank_test");
  const auto& status = decision.status;
  r.groups.resize(G);
  for (std::size_t g = 0; g < G; ++g) {
    const bool shown = status[g] == suppression::shown;
    r.groups[g] = {grouped.keys[g], shown ? static_cast<std::uint64_t>(sizes[g]) : 0,
                   shown ? observed[g] : detail::surv::nan_value, shown ? expected[g] : detail::surv::nan_value, status[g]};
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// Concordance
// ---------------------------------------------------------------------------------------------------------------

/// Harrell's concordance with R's counts and its infinitesimal-jackknife standard error.
struct survival_concordance {
  std::uint64_t concordant = 0;  ///< comparable pairs where the shorter time has the higher risk score
  std::uint64_t discordant = 0;
  std::uint64_t tied_risk = 0;   ///< comparable pairs with equal scores (R: tied.x)
  std::uint64_t tied_time = 0;   ///< pairs of events at the same time with different scores (R: tied.y)
  std::uint64_t tied_both = 0;   ///< pairs of events at the same time with equal scores (R: tied.xy)
  double statistic = detail::surv::nan_value;  ///< (concordant + tied_risk / 2) / (concordant + discordant + tied_risk)
  double standard_error = detail::surv::nan_value;
};

namespace detail::surv {

/// Sorts (key, position) pairs by key, equal keys keeping their order, which is the order of (key, position)
/// when the positions were filled in increasing order (as every caller here does). A least-significant-digit
/// radix sort on the keys' order-preserving 64-bit images: stable passes of 11 bits (skipped where every key
/// has the same digit), O(n), several times faster than std::sort for the 10^5-row tables of survival analysis.
/// Keys must not be NaN.
inline void sort_by_key(std::vector<std::pair<double, std::size_t>>& v) {
  const std::size_t n = v.size();
  if (n < 2048) {
    std::sort(v.begin(), v.end());
    return;
  }
  std::vector<std::uint64_t> key(n), key_tmp(n);
  std::vector<std::pair<double, std::size_t>> tmp(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t b;
    const double x = v[i].first + 0.0;  // -0.0 becomes +0.0: equal keys, as std::sort sees them
    std::memcpy(&b, &x, sizeof b);
    key[i] = (b >> 63) ? ~b : (b | (std::uint64_t{1} << 63));
  }
  constexpr int bits = 11;
  constexpr std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  std::vector<std::size_t> count(mask + 1);
  for (int shift = 0; shift < 64; shift += bits) {
    std::fill(count.begin(), count.end(), 0);
    for (std::size_t i = 0; i < n; ++i) ++count[(key[i] >> shift) & mask];
    if (count[(key[0] >> shift) & mask] == n) continue;  // one digit value: the pass would not move anything
    std::size_t sum = 0;
    for (auto& c : count) {
      const std::size_t k = c;
      c = sum, sum += k;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = count[(key[i] >> shift) & mask]++;
      tmp[to] = v[i], key_tmp[to] = key[i];
    }
    v.swap(tmp), key.swap(key_tmp);
  }
}

/// Fenwick tree of counts over dense ranks 0..m-1.
class fenwick {
 public:
  explicit fenwick(std::size_t m) : tree_(m + 1, 0) {}
  void add(std::size_t rank) {
    for (std::size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) ++tree_[i];
    ++total_;
  }
  /// Count of ranks < rank.
  [[nodiscard]] std::uint64_t below(std::size_t rank) const {
    std::uint64_t s = 0;
    for (std::size_t i = rank; i > 0; i -= i & (~i + 1)) s += tree_[i];
    return s;
  }
  [[nodiscard]] std::uint64_t total() const { return total_; }

 private:
  std::vector<std::uint64_t> tree_;
  std::uint64_t total_ = 0;
};

/// Concordance of rows already sorted by ascending time (`time`, `event`) with risk scores `score`.
inline survival_concordance concordance_sorted(const std::vector<double>& time, const std::vector<std::uint8_t>& event,
                                               const std::vector<double>& score) {
  survival_concordance out;
  const std::size_t n = time.size();
  // Dense ranks of the scores (exact ties share a rank).
  std::vector<std::pair<double, std::size_t>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {score[i], i};
  sort_by_key(sorted);
  std::vector<std::size_t> rank(n);
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && sorted[i].first != sorted[i - 1].first) ++m;
    rank[sorted[i].second] = m;
  }
  const std::size_t n_ranks = n ? m + 1 : 0;
  // Per-observation numerator (concordant + tied/2) and denominator (comparable pairs) for the jackknife.
  std::vector<double> num(n, 0.0), den(n, 0.0);
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < n; ++i)
    if (i == 0 || time[i] != time[i - 1]) starts.push_back(i);
  starts.push_back(n);
  const std::size_t n_times = starts.size() - 1;

  // The event member of each comparable pair: compared with everyone who outlived it (later times, and
  // censorings at its own time).
  fenwick later(n_ranks);
  std::vector<std::size_t> counts(n_ranks, 0);
  for (std::size_t b = n_times; b-- > 0;) {
    const std::size_t lo = starts[b], hi = starts[b + 1];
    for (std::size_t i = lo; i < hi; ++i)
      if (!event[i]) later.add(rank[i]), ++counts[rank[i]];
    std::vector<std::size_t> tied_events;
    for (std::size_t i = lo; i < hi; ++i) {
      if (!event[i]) continue;
      const std::uint64_t less = later.below(rank[i]);
      const std::uint64_t equal = counts[rank[i]];
      const std::uint64_t greater = later.total() - less - equal;
      out.concordant += less, out.discordant += greater, out.tied_risk += equal;
      num[i] += static_cast<double>(less) + 0.5 * static_cast<double>(equal);
      den[i] += static_cast<double>(less + equal + greater);
      tied_events.push_back(rank[i]);
    }
    if (tied_events.size() > 1) {
      const std::uint64_t d = tied_events.size();
      std::sort(tied_events.begin(), tied_events.end());
      std::uint64_t both = 0;
      for (std::size_t a = 0; a < tied_events.size();) {
        std::size_t e = a;
        while (e < tied_events.size() && tied_events[e] == tied_events[a]) ++e;
        both += (e - a) * (e - a - 1) / 2;
        a = e;
      }
      out.tied_both += both;
      out.tied_time += d * (d - 1) / 2 - both;
    }
    for (std::size_t i = lo; i < hi; ++i)
      if (event[i]) later.add(rank[i]), ++counts[rank[i]];
  }
  // The longer-lived member: compared with every event before it (and at its own time when it is censored).
  fenwick earlier(n_ranks);
  std::fill(counts.begin(), counts.end(), 0);
  auto charge = [&](std::size_t j) {
    const std::uint64_t less_equal = earlier.below(rank[j] + 1);
    const std::uint64_t equal = counts[rank[j]];
    const std::uint64_t greater = earlier.total() - less_equal;
    num[j] += static_cast<double>(greater) + 0.5 * static_cast<double>(equal);
    den[j] += static_cast<double>(earlier.total());
  };
  for (std::size_t b = 0; b < n_times; ++b) {
    const std::size_t lo = starts[b], hi = starts[b + 1];
    for (std::size_t i = lo; i < hi; ++i)
      if (event[i]) charge(i);
    for (std::size_t i = lo; i < hi; ++i)
      if (event[i]) earlier.add(rank[i]), ++counts[rank[i]];
    for (std::size_t i = lo; i < hi; ++i)
      if (!event[i]) charge(i);
  }
  const double N = static_cast<double>(out.concordant) + 0.5 * static_cast<double>(out.tied_risk);
  const double D = static_cast<double>(out.concordant + out.discordant + out.tied_risk);
  if (D > 0.0) {
    out.statistic = N / D;
    // Infinitesimal jackknife: derivative of C = N(w)/D(w) with respect to each case weight, at w = 1.
    double var = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      const double dk = (num[k] * D - N * den[k]) / (D * D);
      var += dk * dk;
    }
    out.standard_error = std::sqrt(var);
  }
  return out;
}

}  // namespace detail::surv

/**
 * Harrell's C of a risk score against survival: the share of comparable pairs in which the employee who left
 * first had the higher score (higher score = higher risk, as a Cox linear predictor; R `concordance(...,
 * reverse = TRUE)`). A pair is comparable when the shorter time is an event; an event and a censoring at the
 * same time are comparable (the censored one outlived the event), two events at the same time are not (counted
 * in `tied_time` / `tied_both`); equal scores count 1/2 (`tied_risk`). The standard error is R's infinitesimal
 * jackknife. O(n log n). NaN when there is no comparable pair.
 *
 * **Example**:
 * ```
 * auto c = engage::harrell_concordance(tenure, left, risk);   // c.statistic, c.standard_error
 * ```
 */
inline survival_concordance harrell_concordance(vector_view duration, vector_view event, vector_view risk,
                                                survival_nan_policy nan_policy = survival_nan_policy::raise) {
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "event",
                              static_cast<std::size_t>(event.size()));
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "risk",
                              static_cast<std::size_t>(risk.size()));
  struct item {
    double time;
    bool event;
    double score;
  };
  std::vector<item> rows;
  rows.reserve(static_cast<std::size_t>(duration.size()));
  for (Eigen::Index i = 0; i < duration.size(); ++i) {
    const auto row = static_cast<std::size_t>(i);
    const bool ok = detail::surv::check_row(duration[i], event[i], row, nan_policy);
    if (std::isinf(risk[i])) detail::fail_at("risk", row, risk[i], "risk scores must be finite");
    if (std::isnan(risk[i])) {
      if (nan_policy == survival_nan_policy::raise)
        detail::fail_at("risk", row, risk[i], "missing risk score (use nan_policy 'omit' to drop such rows)");
      continue;
    }
    if (ok) rows.push_back({duration[i], event[i] == 1.0, risk[i]});
  }
  if (rows.empty()) throw insufficient_data("harrell_concordance: no complete observations");
  std::sort(rows.begin(), rows.end(), [](const item& a, const item& b) { return a.time < b.time; });
  std::vector<double> t(rows.size()), s(rows.size());
  std::vector<std::uint8_t> e(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) t[i] = rows[i].time, e[i] = rows[i].event, s[i] = rows[i].score;
  return detail::surv::concordance_sorted(t, e, s);
}

// ---------------------------------------------------------------------------------------------------------------
// Cox proportional hazards
// ---------------------------------------------------------------------------------------------------------------

/// Handling of tied event times in the Cox partial likelihood.
enum class cox_ties : std::uint8_t { efron, breslow };

/// Parses "efron" / "breslow".
inline cox_ties parse_cox_ties(std::string_view name) {
  if (name == "efron") return cox_ties::efron;
  if (name == "breslow") return cox_ties::breslow;
  throw invalid_input("ties = '" + std::string(name) + "': expected 'efron' or 'breslow'");
}

/// Options of the Cox fit.
struct cox_options {
  cox_ties ties = cox_ties::efron;
  /// L2 penalty lambda: the fit maximises l(beta) - 0.5 * lambda * n * sum_j (beta_j * sd_j)^2, i.e. a ridge
  /// penalty on the coefficients of standardised covariates relative to the mean log partial likelihood
  /// (lifelines' `penalizer`; R `ridge(..., theta = n * lambda, scale = TRUE)`). 0 = none.
  double penalizer = 0.0;
  /// Convergence: relative change of the (penalised) log partial likelihood below eps (R coxph.control(eps)).
  double eps = 1e-9;
  int max_iter = 20;  ///< Newton-Raphson iterations (R iter.max)
  double confidence_level = 0.95;
  survival_nan_policy nan_policy = survival_nan_policy::raise;
  /// Covariate names for results and messages; empty = "x0", "x1", ...
  std::vector<std::string> names{};
};

/// A fitted Cox model. Coefficient-level vectors are in covariate order.
struct cox_result {
  std::vector<std::string> names;
  Eigen::VectorXd params;           ///< log hazard ratios
  Eigen::VectorXd standard_errors;  ///< sqrt of the diagonal of `covariance`
  Eigen::VectorXd z, pvalues;       ///< Wald z and two-sided normal p-values
  Eigen::VectorXd hazard_ratios;    ///< exp(params)
  Eigen::VectorXd low, high;        ///< interval of params at `confidence_level` (exp for hazard ratios)
  Eigen::MatrixXd covariance;       ///< inverse of the (penalised) information matrix at the estimate
  double log_likelihood;            ///< log partial likelihood at the estimate (without the penalty)
  double log_likelihood_null;       ///< at beta = 0
  double penalty;                   ///< 0.5 * lambda * n * sum (beta_j sd_j)^2 at the estimate
  chi2_test likelihood_ratio;       ///< 2 (l(beta) - l(0)), df = p
  chi2_test wald;                   ///< beta' I(beta) beta
  chi2_test score;                  ///< U(0)' I(0)^-1 U(0) (the log-rank test for one binary covariate)
  survival_concordance concordance;  ///< of the linear predictor on the fitted rows
  std::uint64_t n, n_events, dropped;
  int iterations;
  double confidence_level;
  cox_ties ties;
  double penalizer;
  Eigen::VectorXd means;   ///< covariate means: partial hazards and the baseline are centred here
  Eigen::VectorXd scales;  ///< covariate standard deviations (divisor n - 1), used for the penalty
  std::vector<double> baseline_time;               ///< distinct event times
  std::vector<double> baseline_cumulative_hazard;  ///< H0(t) at the means (Breslow, Efron-adjusted for efron)
  double max_time;  ///< longest follow-up: predictions beyond it are not defined
};

namespace detail::surv {

/// Rows sorted by descending time with standardised covariates; tied-time blocks.
struct cox_data {
  Eigen::Index n = 0, p = 0;
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  row_matrix z;                      ///< (x - mean) / sd, rows in sorted order
  std::vector<std::size_t> blocks;  ///< start of each block of equal times (descending), plus n
};

struct cox_eval {
  double loglik = 0.0;
  Eigen::VectorXd u;     ///< score
  Eigen::MatrixXd info;  ///< observed information (negative Hessian)
};

/// Log partial likelihood, score and information at beta (standardised scale), in one O(n p) pass from the
/// longest time down plus two matrix products.
///
/// The pass accumulates the risk-set sums S0 = sum w and S1 = sum w z (w = exp(z' beta)); within a block of d
/// tied event times Efron's r-th term (r = 0..d-1) uses phi_r = S0 - (r/d) D0 and a_r = (S1 - (r/d) D1) / phi_r,
/// where D are the sums over the d dying subjects (Breslow: the r = 0 term d times). The information
///   I = sum_terms [(S2 - f D2) / phi - a a'],   S2 = sum_{risk set} w z z',
/// is regrouped by subject: subject i enters with weight w_i c_i, where c_i sums 1/phi over the terms whose risk
/// set contains i, minus f/phi over the terms of its own death; so I = Z' diag(w c) Z - A' A with A stacking the
/// a_r, and the O(n p^2) work is two (vectorised) matrix products.
/// Buffers of `evaluate`, allocated once per fit and reused by every Newton step (large fresh allocations cost
/// page faults that would otherwise take as long as the arithmetic).
struct cox_workspace {
  Eigen::VectorXd eta, w, v;
  row_matrix weighted;
  std::vector<double> at_risk_weight, dying_weight;
  std::vector<double> terms;
  std::vector<Eigen::MatrixXd> partial;  ///< the information's lower triangle from each half of the rows
};

inline cox_eval evaluate(const cox_data& data, const Eigen::VectorXd& beta, cox_ties ties, cox_workspace& ws) {
  const Eigen::Index n = data.n, p = data.p;
  cox_eval ev;
  ev.u = Eigen::VectorXd::Zero(p);
  ws.eta.noalias() = data.z * beta;
  const Eigen::VectorXd& eta = ws.eta;
  // Weights are exp(eta - max eta): the shift cancels in every ratio and is added back to the log terms.
  const double shift = n ? eta.maxCoeff() : 0.0;
  ws.w = (eta.array() - shift).exp().matrix();
  const Eigen::VectorXd& w = ws.w;
  const std::size_t n_blocks = data.blocks.size() - 1;
  // Per block: sum of 1/phi over its terms (every subject at risk) and of f/phi (its dying subjects).
  ws.at_risk_weight.assign(n_blocks, 0.0);
  ws.dying_weight.assign(n_blocks, 0.0);
  auto& at_risk_weight = ws.at_risk_weight;
  auto& dying_weight = ws.dying_weight;
  auto& terms = ws.terms;  // the a_r, p per term, scaled by sqrt(multiplicity) (d for Breslow, 1 for Efron)
  terms.clear();
  terms.reserve(static_cast<std::size_t>(n * p));
  Eigen::VectorXd S1 = Eigen::VectorXd::Zero(p), D1(p), a(p);
  double S0 = 0.0;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    const std::size_t lo = data.blocks[b], hi = data.blocks[b + 1];
    double D0 = 0.0, eta_dead = 0.0;
    std::size_t d = 0;
    D1.setZero();
    for (std::size_t i = lo; i < hi; ++i) {
      const auto row = static_cast<Eigen::Index>(i);
      const double wi = w[row];
      S0 += wi;
      S1.noalias() += wi * data.z.row(row).transpose();
      if (data.event[i]) {
        ++d;
        D0 += wi, eta_dead += eta[row];
        D1.noalias() += wi * data.z.row(row).transpose();
        ev.u.noalias() += data.z.row(row).transpose();
      }
    }
    if (d == 0) continue;
    ev.loglik += eta_dead;
    const bool efron = ties == cox_ties::efron && d > 1;
    const std::size_t n_terms = efron ? d : 1;
    const double repeat = efron ? 1.0 : static_cast<double>(d);
    for (std::size_t r = 0; r < n_terms; ++r) {
      const double f = efron ? static_cast<double>(r) / static_cast<double>(d) : 0.0;
      const double phi = S0 - f * D0;
      ev.loglik -= repeat * (std::log(phi) + shift);
      a = (S1 - f * D1) / phi;
      ev.u.noalias() -= repeat * a;
      at_risk_weight[b] += repeat / phi;
      dying_weight[b] += repeat * f / phi;
      const double root = std::sqrt(repeat);
      for (Eigen::Index j = 0; j < p; ++j) terms.push_back(root * a[j]);
    }
  }
  // c_i: subjects of block b are at risk in blocks b, b+1, ... (equal or shorter times).
  ws.v.resize(n);
  Eigen::VectorXd& v = ws.v;
  double cumulative = 0.0;
  for (std::size_t b = n_blocks; b-- > 0;) {
    cumulative += at_risk_weight[b];
    for (std::size_t i = data.blocks[b]; i < data.blocks[b + 1]; ++i) {
      const auto row = static_cast<Eigen::Index>(i);
      v[row] = w[row] * (cumulative - (data.event[i] ? dying_weight[b] : 0.0));
    }
  }
  // info = Z' diag(v) Z - A'A (A: the terms' a_r), both symmetric: rank-k updates of the lower triangle (half the
  // work of general products). v >= 0 (each block's dying weight is below its at-risk weight), so
  // Z' diag(v) Z = B'B with B = sqrt(v) Z. Large fits split both sums into two halves on two threads; the split
  // depends on n only and the halves are added in order, so the thread count does not change the result.
  ws.weighted.resize(n, p);
  ws.weighted.array() = data.z.array().colwise() * v.array().max(0.0).sqrt();
  const auto n_terms = static_cast<Eigen::Index>(terms.size()) / p;
  const Eigen::Map<const row_matrix> A(terms.data(), n_terms, p);
  const int halves = n >= 32768 ? 2 : 1;
  ws.partial.resize(static_cast<std::size_t>(halves));
  parallel_chunks(static_cast<std::size_t>(halves), 1, [&](std::size_t h0, std::size_t h1, std::size_t) {
    for (std::size_t h = h0; h < h1; ++h) {
      const auto k = static_cast<Eigen::Index>(h);
      const Eigen::Index b0 = n * k / halves, b1 = n * (k + 1) / halves;
      const Eigen::Index a0 = n_terms * k / halves, a1 = n_terms * (k + 1) / halves;
      Eigen::MatrixXd& part = ws.partial[h];
      part.setZero(p, p);
      part.selfadjointView<Eigen::Lower>().rankUpdate(ws.weighted.middleRows(b0, b1 - b0).transpose(), 1.0);
      part.selfadjointView<Eigen::Lower>().rankUpdate(A.middleRows(a0, a1 - a0).transpose(), -1.0);
    }
  });
  ev.info = ws.partial[0];
  for (std::size_t h = 1; h < ws.partial.size(); ++h) ev.info += ws.partial[h];
  ev.info = ev.info.selfadjointView<Eigen::Lower>();
  return ev;
}

/// Quoted, comma-separated names of the columns flagged in `which`.
inline std::string name_list(const std::vector<std::string>& names, const std::vector<std::size_t>& which) {
  std::string s;
  for (std::size_t k = 0; k < which.size(); ++k) s += (k ? ", '" : "'") + names[which[k]] + "'";
  return s;
}

/// Columns involved in the (near) null space of a symmetric positive semi-definite matrix scaled to unit
/// diagonal: those with a noticeable loading on an eigenvector whose eigenvalue is below `tol`.
inline std::vector<std::size_t> null_space_columns(const Eigen::MatrixXd& m, double tol) {
  const Eigen::VectorXd d = m.diagonal().cwiseMax(1e-300).cwiseSqrt().cwiseInverse();
  const Eigen::MatrixXd scaled = d.asDiagonal() * m * d.asDiagonal();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(scaled);
  std::vector<std::size_t> cols;
  for (Eigen::Index k = 0; k < eig.eigenvalues().size(); ++k) {
    if (eig.eigenvalues()[k] >= tol) continue;
    for (Eigen::Index j = 0; j < scaled.rows(); ++j)
      if (std::fabs(eig.eigenvectors()(j, k)) > 1e-3) cols.push_back(static_cast<std::size_t>(j));
  }
  std::sort(cols.begin(), cols.end());
  cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
  return cols;
}

/// Whether an LDLT factorisation is of a (numerically) positive definite matrix.
inline bool positive_definite(const Eigen::LDLT<Eigen::MatrixXd>& ldlt, const Eigen::MatrixXd& m) {
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive()) return false;
  const double scale = std::max(m.diagonal().cwiseAbs().maxCoeff(), 1e-300);
  return ldlt.vectorD().minCoeff() > 1e-12 * scale;
}

}  // namespace detail::surv

/**
 * Fits the Cox proportional-hazards model h(t | x) = h0(t) exp(x' beta) by Newton-Raphson with step halving,
 * from beta = 0, as R `coxph(ties = , control = coxph.control(eps, iter.max))`: iteration stops when the
 * relative change of the (penalised) log partial likelihood is at most `eps`. Covariates are centred and scaled
 * internally (Newton's method is invariant to this, so the iterates are R's); results are on the original scale.
 * Each Newton step is one O(n p^2) pass over the rows sorted by time.
 *
 * Errors: `invalid_input` for a constant covariate, collinear covariates (naming them), NaN or infinite
 * covariates (naming column and row; NaN rows are dropped under `nan_policy::omit`), bad durations or events;
 * `insufficient_data` without events; `convergence_error` when `max_iter` iterations do not converge, or when
 * the likelihood is monotone (a coefficient diverges to +/- infinity, e.g. a covariate that perfectly orders the
 * exits): the message names the covariate; a penalizer > 0 gives finite estimates.
 *
 * **Example**:
 * ```
 * engage::cox_options o; o.names = {"age", "engagement"};
 * auto fit = engage::cox_ph(X, tenure, left, o);   // fit.params, fit.standard_errors, fit.concordance
 * ```
 */
inline cox_result cox_ph(Eigen::Ref<const row_matrix> covariates, vector_view duration, vector_view event,
                         const cox_options& options = {}) {
  using detail::surv::nan_value;
  const Eigen::Index p = covariates.cols();
  detail::require_confidence_level(options.confidence_level);
  if (!(options.penalizer >= 0.0 && std::isfinite(options.penalizer))) {
    throw invalid_input("penalizer = " + detail::format_value(options.penalizer) + ": must be finite and >= 0");
  }
  if (!(options.eps > 0.0 && options.eps < 1.0)) {
    throw invalid_input("eps = " + detail::format_value(options.eps) + ": must be in (0, 1), for example 1e-9");
  }
  if (options.max_iter < 1) {
    throw invalid_input("max_iter = " + std::to_string(options.max_iter) + ": must be at least 1");
  }
  if (p == 0) throw invalid_input("covariates: at least one covariate column is needed");
  std::vector<std::string> names = options.names;
  if (names.empty()) {
    for (Eigen::Index j = 0; j < p; ++j) names.push_back("x" + std::to_string(j));
  } else if (names.size() != static_cast<std::size_t>(p)) {
    throw invalid_input("names has " + std::to_string(names.size()) + " entries but covariates has " +
                        std::to_string(p) + " columns");
  }
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "covariates (rows)",
                              static_cast<std::size_t>(covariates.rows()));

  // Validate and keep complete rows.
  std::vector<std::size_t> keep;
  keep.reserve(static_cast<std::size_t>(duration.size()));
  std::uint64_t dropped = 0;
  detail::require_same_length("duration", static_cast<std::size_t>(duration.size()), "event",
                              static_cast<std::size_t>(event.size()));
  for (Eigen::Index i = 0; i < duration.size(); ++i) {
    const auto row = static_cast<std::size_t>(i);
    bool ok = detail::surv::check_row(duration[i], event[i], row, options.nan_policy);
    for (Eigen::Index j = 0; j < p; ++j) {
      const double x = covariates(i, j);
      if (std::isinf(x)) {
        throw invalid_input("covariate '" + names[static_cast<std::size_t>(j)] + "' is " + detail::format_value(x) +
                            " in row " + std::to_string(row) + ": covariates must be finite");
      }
      if (std::isnan(x)) {
        if (options.nan_policy == survival_nan_policy::raise) {
          throw invalid_input("covariate '" + names[static_cast<std::size_t>(j)] + "' is missing (NaN) in row " +
                              std::to_string(row) + ": drop or impute such rows, or use nan_policy 'omit'");
        }
        ok = false;
      }
    }
    if (ok) keep.push_back(row);
    else ++dropped;
  }
  const auto n = static_cast<Eigen::Index>(keep.size());
  if (n == 0) throw insufficient_data("cox_ph: no complete observations");
  std::uint64_t n_events = 0;
  for (const auto i : keep) n_events += event[static_cast<Eigen::Index>(i)] == 1.0 ? 1 : 0;
  if (n_events == 0) {
    throw insufficient_data("cox_ph: no events among the " + std::to_string(n) +
                            " observations (every one is censored); hazard ratios cannot be estimated");
  }
  if (n < 2) throw insufficient_data("cox_ph: needs at least 2 observations");

  // Means and standard deviations (two-pass), then the constant-column check.
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(p), sd = Eigen::VectorXd::Zero(p);
  for (const auto i : keep) mean += covariates.row(static_cast<Eigen::Index>(i)).transpose();
  mean /= static_cast<double>(n);
  for (const auto i : keep) sd += (covariates.row(static_cast<Eigen::Index>(i)).transpose() - mean).cwiseAbs2();
  sd = (sd / static_cast<double>(n - 1)).cwiseSqrt();
  for (Eigen::Index j = 0; j < p; ++j) {
    const double magnitude = std::max(std::fabs(mean[j]), 1e-300);
    if (!(sd[j] > 1e-13 * magnitude)) {
      throw invalid_input("covariate '" + names[static_cast<std::size_t>(j)] + "' is constant (every used row is " +
                          detail::format_value(covariates(static_cast<Eigen::Index>(keep[0]), j)) +
                          "): it carries no information about the hazard; drop it");
    }
  }

  // Rows sorted by descending time, standardised.
  // (Ties keep the input order, so the result does not depend on the sort algorithm.)
  std::vector<std::pair<double, std::size_t>> order(keep.size());
  for (std::size_t r = 0; r < keep.size(); ++r) order[r] = {-duration[static_cast<Eigen::Index>(keep[r])], keep[r]};
  detail::surv::sort_by_key(order);
  detail::surv::cox_data data;
  data.n = n, data.p = p;
  data.time.resize(keep.size()), data.event.resize(keep.size());
  data.z.resize(n, p);
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto src = static_cast<Eigen::Index>(order[r].second);
    data.time[r] = duration[src];
    data.event[r] = event[src] == 1.0;
    data.z.row(static_cast<Eigen::Index>(r)) = (covariates.row(src) - mean.transpose()).cwiseQuotient(sd.transpose());
    if (r == 0 || data.time[r] != data.time[r - 1]) data.blocks.push_back(r);
  }
  data.blocks.push_back(keep.size());

  // Collinearity: the correlation matrix of the covariates must be non-singular.
  {
    Eigen::MatrixXd corr = Eigen::MatrixXd::Zero(p, p);
    corr.selfadjointView<Eigen::Lower>().rankUpdate(data.z.transpose(), 1.0 / static_cast<double>(n - 1));
    corr = corr.selfadjointView<Eigen::Lower>();
    const auto cols = detail::surv::null_space_columns(corr, 1e-10);
    if (!cols.empty()) {
      throw invalid_input("covariates " + detail::surv::name_list(names, cols) +
                          " are collinear (one is a linear combination of the others, so the information matrix "
                          "is singular): drop one of them");
    }
  }

  const double lambda = options.penalizer * static_cast<double>(n);  // penalty weight on the total log likelihood
  auto penalised = [&](const detail::surv::cox_eval& ev, const Eigen::VectorXd& b) {
    return ev.loglik - 0.5 * lambda * b.squaredNorm();
  };
  auto singular = [&](const Eigen::MatrixXd& info, const std::string& where) -> std::string {
    auto cols = detail::surv::null_space_columns(info, 1e-10);
    if (cols.empty()) {
      for (Eigen::Index j = 0; j < p; ++j) cols.push_back(static_cast<std::size_t>(j));
    }
    return "the information matrix is singular " + where + " (covariates " + detail::surv::name_list(names, cols) +
           " cannot be separated at the event times)";
  };

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  detail::surv::cox_workspace workspace;
  auto ev = detail::surv::evaluate(data, beta, options.ties, workspace);
  const double loglik_null = ev.loglik;
  // Score test at beta = 0 (unpenalised information).
  chi2_test score{};
  {
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(ev.info);
    if (!detail::surv::positive_definite(ldlt, ev.info)) {
      if (lambda == 0.0) throw invalid_input(singular(ev.info, "at beta = 0"));
      score = {nan_value, static_cast<std::size_t>(p), nan_value};
    } else {
      const double s = ev.u.dot(ldlt.solve(ev.u));
      score = {s, static_cast<std::size_t>(p), detail::surv::chi2_upper(s, static_cast<std::size_t>(p))};
    }
  }
  const Eigen::MatrixXd ridge = lambda * Eigen::MatrixXd::Identity(p, p);
  double current = penalised(ev, beta);
  int iterations = 0;
  bool converged = false;
  Eigen::LDLT<Eigen::MatrixXd> ldlt;
  // A coefficient diverges (monotone likelihood) when, at the end, Newton still pushes it outward by a step that
  // is not small relative to its size, with the coefficient already large on the standardised scale.
  auto diverging = [&](const Eigen::VectorXd& step, const Eigen::VectorXd& b) {
    std::vector<std::size_t> cols;
    for (Eigen::Index j = 0; j < p; ++j) {
      const bool outward = step[j] * b[j] > 0.0;
      if (outward && std::fabs(b[j]) > 2.0 && std::fabs(step[j]) > std::sqrt(options.eps) * std::fabs(b[j]))
        cols.push_back(static_cast<std::size_t>(j));
    }
    return cols;
  };
  auto monotone_error = [&](const std::vector<std::size_t>& cols, const Eigen::VectorXd& b) {
    std::ostringstream s;
    s << "monotone likelihood: the coefficient of " << detail::surv::name_list(names, cols)
      << " diverges to " << (b[static_cast<Eigen::Index>(cols[0])] > 0 ? "+" : "-")
      << "infinity (the covariate orders the events almost perfectly, so the partial likelihood has no maximum); "
         "use a penalizer > 0, or drop or merge the covariate";
    return convergence_error(s.str());
  };
  while (iterations < options.max_iter) {
    const Eigen::MatrixXd info = ev.info + ridge;
    ldlt.compute(info);
    if (!detail::surv::positive_definite(ldlt, info)) {
      // Information vanishing along a coefficient that keeps growing is the signature of a monotone likelihood.
      std::vector<std::size_t> cols;
      for (Eigen::Index j = 0; j < p; ++j)
        if (std::fabs(beta[j]) > 5.0) cols.push_back(static_cast<std::size_t>(j));
      if (!cols.empty()) throw monotone_error(cols, beta);
      throw invalid_input(singular(info, "during the fit"));
    }
    const Eigen::VectorXd step = ldlt.solve(ev.u - lambda * beta);
    Eigen::VectorXd next = beta + step;
    auto ev_next = detail::surv::evaluate(data, next, options.ties, workspace);
    double value = penalised(ev_next, next);
    ++iterations;
    if (value < current && current - value <= options.eps * std::fabs(current)) {
      converged = true;  // already at the maximum: the full step only moved within rounding error
      break;
    }
    // Step halving while the likelihood got worse (or overflowed).
    for (int halving = 0; !(value >= current) && halving < 60; ++halving) {
      next = 0.5 * (beta + next);
      ev_next = detail::surv::evaluate(data, next, options.ties, workspace);
      value = penalised(ev_next, next);
    }
    if (!(value >= current)) break;
    const bool done = std::fabs(value - current) <= options.eps * std::fabs(value);
    beta = std::move(next), ev = std::move(ev_next), current = value;
    if (done) {
      converged = true;
      break;
    }
  }
  const Eigen::MatrixXd info = ev.info + ridge;
  ldlt.compute(info);
  if (!detail::surv::positive_definite(ldlt, info)) {
    std::vector<std::size_t> cols;
    for (Eigen::Index j = 0; j < p; ++j)
      if (std::fabs(beta[j]) > 5.0) cols.push_back(static_cast<std::size_t>(j));
    if (!cols.empty()) throw monotone_error(cols, beta);
    throw invalid_input(singular(info, "at the estimate"));
  }
  {
    const Eigen::VectorXd step = ldlt.solve(ev.u - lambda * beta);
    const auto cols = diverging(step, beta);
    if (!cols.empty()) throw monotone_error(cols, beta);
  }
  if (!converged) {
    throw convergence_error("cox_ph did not converge in " + std::to_string(options.max_iter) +
                            " Newton-Raphson iterations (relative change of the log partial likelihood still above "
                            "eps = " + detail::format_value(options.eps) + "); raise max_iter");
  }

  cox_result r;
  r.names = names;
  r.n = static_cast<std::uint64_t>(n), r.n_events = n_events, r.dropped = dropped;
  r.iterations = iterations;
  r.confidence_level = options.confidence_level, r.ties = options.ties, r.penalizer = options.penalizer;
  r.means = mean, r.scales = sd;
  const Eigen::VectorXd inv_sd = sd.cwiseInverse();
  const Eigen::MatrixXd cov_std = ldlt.solve(Eigen::MatrixXd::Identity(p, p));
  r.params = beta.cwiseProduct(inv_sd);
  r.covariance = inv_sd.asDiagonal() * cov_std * inv_sd.asDiagonal();
  r.covariance = 0.5 * (r.covariance + r.covariance.transpose()).eval();
  r.standard_errors = r.covariance.diagonal().cwiseSqrt();
  r.z = r.params.cwiseQuotient(r.standard_errors);
  r.pvalues.resize(p);
  for (Eigen::Index j = 0; j < p; ++j) r.pvalues[j] = detail::normal_two_sided_p(r.z[j]);
  r.hazard_ratios = r.params.array().exp();
  const double zc = detail::normal_critical(options.confidence_level);
  r.low = r.params - zc * r.standard_errors;
  r.high = r.params + zc * r.standard_errors;
  r.log_likelihood = ev.loglik;
  r.log_likelihood_null = loglik_null;
  r.penalty = 0.5 * lambda * beta.squaredNorm();
  const auto df = static_cast<std::size_t>(p);
  const double lr = 2.0 * (ev.loglik - loglik_null);
  r.likelihood_ratio = {lr, df, detail::surv::chi2_upper(lr, df)};
  const double wald = beta.dot(info * beta);
  r.wald = {wald, df, detail::surv::chi2_upper(wald, df)};
  r.score = score;

  // Linear predictor (centred), concordance and the baseline cumulative hazard at the means.
  const Eigen::VectorXd eta = data.z * beta;
  {
    std::vector<double> t(data.time.rbegin(), data.time.rend());
    std::vector<std::uint8_t> e(data.event.rbegin(), data.event.rend());
    std::vector<double> s(eta.data(), eta.data() + n);
    std::reverse(s.begin(), s.end());
    r.concordance = detail::surv::concordance_sorted(t, e, s);
  }
  {
    const double shift = eta.maxCoeff();
    double S0 = 0.0;
    std::vector<double> times, increments;
    for (std::size_t b = 0; b + 1 < data.blocks.size(); ++b) {
      double D0 = 0.0;
      std::size_t d = 0;
      for (std::size_t i = data.blocks[b]; i < data.blocks[b + 1]; ++i) {
        const double w = std::exp(eta[static_cast<Eigen::Index>(i)] - shift);
        S0 += w;
        if (data.event[i]) ++d, D0 += w;
      }
      if (d == 0) continue;
      double h = 0.0;
      if (options.ties == cox_ties::efron) {
        for (std::size_t k = 0; k < d; ++k) h += 1.0 / (S0 - static_cast<double>(k) / static_cast<double>(d) * D0);
      } else {
        h = static_cast<double>(d) / S0;
      }
      times.push_back(data.time[data.blocks[b]]);
      increments.push_back(h * std::exp(-shift));
    }
    r.baseline_time.assign(times.rbegin(), times.rend());
    r.baseline_cumulative_hazard.resize(increments.size());
    double H = 0.0;
    for (std::size_t k = 0; k < increments.size(); ++k) {
      H += increments[increments.size() - 1 - k];
      r.baseline_cumulative_hazard[k] = H;
    }
  }
  r.max_time = data.time.front();
  return r;
}

namespace detail::surv {

inline void check_prediction_columns(const cox_result& fit, Eigen::Index cols) {
  if (cols != static_cast<Eigen::Index>(fit.names.size())) {
    throw invalid_input("covariates has " + std::to_string(cols) + " columns but the model was fitted on " +
                        std::to_string(fit.names.size()));
  }
}

/// H0(t): the baseline cumulative hazard at the last event time <= t (0 before the first event).
inline double baseline_at(const cox_result& fit, double t) {
  const auto it = std::upper_bound(fit.baseline_time.begin(), fit.baseline_time.end(), t);
  if (it == fit.baseline_time.begin()) return 0.0;
  return fit.baseline_cumulative_hazard[static_cast<std::size_t>(it - fit.baseline_time.begin()) - 1];
}

}  // namespace detail::surv

/**
 * Partial hazards exp((x - means)' beta), relative to an employee with average covariates (R
 * `predict(fit, type = "risk")`, lifelines `predict_partial_hazard`). A row with a missing covariate gets NaN.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd risk = engage::cox_partial_hazard(fit, X_new);
 * ```
 */
inline Eigen::VectorXd cox_partial_hazard(const cox_result& fit, Eigen::Ref<const row_matrix> covariates) {
  detail::surv::check_prediction_columns(fit, covariates.cols());
  const Eigen::VectorXd eta = covariates * fit.params;
  return (eta.array() - fit.means.dot(fit.params)).exp().matrix();
}

/**
 * Predicted survival S(t | x) = exp(-H0(t) exp((x - means)' beta)), one row per covariate row and one column per
 * time, with H0 the Breslow baseline (Efron-adjusted at tied event times when the fit used Efron ties), as R
 * `survfit(fit, newdata)` with its defaults (ctype follows ties, stype = 2). Times must be >= 0; beyond the
 * longest follow-up the prediction is not defined and is NaN. A row with a missing covariate gets NaN.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd t(2); t << 365, 730;
 * engage::row_matrix s = engage::cox_survival(fit, X_new, t);   // s(i, k) = S(t_k | row i)
 * ```
 */
inline row_matrix cox_survival(const cox_result& fit, Eigen::Ref<const row_matrix> covariates, vector_view times) {
  const Eigen::VectorXd risk = cox_partial_hazard(fit, covariates);
  Eigen::VectorXd H(times.size());
  for (Eigen::Index k = 0; k < times.size(); ++k) {
    const double t = times[k];
    if (!(t >= 0.0) || std::isinf(t)) detail::fail_at("times", static_cast<std::size_t>(k), t, "times must be finite and non-negative");
    H[k] = t > fit.max_time ? detail::surv::nan_value : detail::surv::baseline_at(fit, t);
  }
  row_matrix out(covariates.rows(), times.size());
  for (Eigen::Index i = 0; i < covariates.rows(); ++i)
    for (Eigen::Index k = 0; k < times.size(); ++k) out(i, k) = std::exp(-H[k] * risk[i]);
  return out;
}

/**
 * Churn probability within `horizon`: 1 - S(horizon | x) (see `cox_survival`). The horizon must lie within the
 * follow-up of the fitted data (0 <= horizon <= longest observed duration).
 *
 * **Example**:
 * ```
 * Eigen::VectorXd p = engage::cox_churn_probability(fit, X_new, 365.0);   // leave within a year
 * ```
 */
inline Eigen::VectorXd cox_churn_probability(const cox_result& fit, Eigen::Ref<const row_matrix> covariates,
                                             double horizon) {
  if (!(horizon >= 0.0 && horizon <= fit.max_time)) {
    throw invalid_input("horizon = " + detail::format_value(horizon) + ": must lie in [0, " +
                        detail::format_value(fit.max_time) +
                        "], the follow-up of the fitted data (survival beyond it is not estimated)");
  }
  const Eigen::VectorXd risk = cox_partial_hazard(fit, covariates);
  const double H = detail::surv::baseline_at(fit, horizon);
  return (1.0 - (-H * risk.array()).exp()).matrix();
}

// ---------------------------------------------------------------------------------------------------------------
// Expected leavers per group
// ---------------------------------------------------------------------------------------------------------------

/// Options of `expected_events_by`.
struct expected_events_options {
  double confidence_level = 0.95;
  std::size_t min_group_size = 5;
  /// Parent partition of a group key for complementary suppression; unset = one partition.
  std::function<std::int64_t(std::int64_t)> parent_of{};
  /// The release the table is published in (default: a release of its own).
  publication publish{};
  /// Groups up to this size get the exact Poisson-binomial interval (O(n^2) per group); larger ones the normal
  /// approximation (their count is then close to normal anyway).
  std::size_t exact_up_to = 5000;
};

/// Expected number of leavers in one group. Hidden groups carry n = 0 and NaN figures.
struct expected_events_group {
  std::int64_t key;
  std::uint64_t n;          ///< people in the group
  double expected;          ///< sum of the probabilities
  double standard_error;    ///< sqrt(sum p (1 - p)), the Poisson-binomial standard deviation
  double low, high;         ///< prediction interval of the count
  double observed;          ///< sum of `observed` over the group (NaN when no outcomes were given)
  suppression status;
};

namespace detail::surv {

/// Equal-tailed interval of a Poisson-binomial count: the alpha/2 and 1 - alpha/2 quantiles (smallest k with
/// P(X <= k) >= q), exact by the O(n^2) convolution recursion.
inline interval poisson_binomial_interval(const std::vector<double>& p, double confidence_level) {
  const std::size_t n = p.size();
  std::vector<double> pmf(n + 1, 0.0);
  pmf[0] = 1.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = i + 1; k > 0; --k) pmf[k] = pmf[k] * (1.0 - p[i]) + pmf[k - 1] * p[i];
    pmf[0] *= 1.0 - p[i];
  }
  const double alpha = 1.0 - confidence_level;
  auto quantile = [&](double q) {
    double cum = 0.0;
    for (std::size_t k = 0; k <= n; ++k) {
      cum += pmf[k];
      if (cum >= q * (1.0 - 1e-12)) return static_cast<double>(k);
    }
    return static_cast<double>(n);
  };
  return {quantile(0.5 * alpha), quantile(1.0 - 0.5 * alpha)};
}

}  // namespace detail::surv

/**
 * Expected number of leavers per group over a horizon, from each person's probability of leaving within it
 * (for example `cox_churn_probability`), in one pass over the rows, under the confidentiality engine.
 *
 * Treating people as leaving independently with probabilities p_i, a group's count of leavers is
 * Poisson-binomial: mean sum p_i, variance sum p_i (1 - p_i). The interval is the equal-tailed prediction
 * interval of that count (its alpha/2 and 1 - alpha/2 quantiles; exact up to `exact_up_to` people, normal
 * approximation rounded outward and clipped to [0, n] above). It describes the randomness of who leaves given the
 * probabilities, not the uncertainty of the fitted model, which widens it further.
 *
 * `observed` (optional, 0/1 per row, same length) is summed per group for a held-out comparison. Probabilities
 * must lie in [0, 1]; a NaN probability or outcome is an error naming the row. Groups with fewer than
 * `min_group_size` people are hidden (and complementary groups with them).
 *
 * **Example**:
 * ```
 * Eigen::VectorXd p = engage::cox_churn_probability(fit, X, 365.0);
 * auto teams = engage::expected_events_by(p, team_ids);   // teams[g].expected, .low, .high
 * ```
 */
inline std::vector<expected_events_group> expected_events_by(vector_view probability, codes_view keys,
                                                            const expected_events_options& options = {},
                                                            const vector_view* observed = nullptr) {
  detail::require_confidence_level(options.confidence_level);
  detail::require_same_length("probability", static_cast<std::size_t>(probability.size()), "groups",
                              static_cast<std::size_t>(keys.size()));
  if (observed != nullptr) {
    detail::require_same_length("probability", static_cast<std::size_t>(probability.size()), "observed",
                                static_cast<std::size_t>(observed->size()));
  }
  if (probability.size() == 0) throw insufficient_data("expected_events_by: no rows");
  for (Eigen::Index i = 0; i < probability.size(); ++i) {
    const double v = probability[i];
    if (!(v >= 0.0 && v <= 1.0)) {
      detail::fail_at("probability", static_cast<std::size_t>(i), v, "probabilities must lie in [0, 1]");
    }
    if (observed != nullptr) {
      const double o = (*observed)[i];
      if (o != 0.0 && o != 1.0) detail::fail_at("observed", static_cast<std::size_t>(i), o, "outcomes must be 0 or 1");
    }
  }
  struct acc {
    std::vector<double> p;
    double observed = 0.0;
  };
  auto grouped = accumulate_by_key<acc>(keys, [&](acc& a, Eigen::Index i) {
    a.p.push_back(probability[i]);
    if (observed != nullptr) a.observed += (*observed)[i];
  });
  const std::size_t G = grouped.keys.size();
  std::vector<std::size_t> sizes(G);
  for (std::size_t g = 0; g < G; ++g) sizes[g] = grouped.values[g].p.size();
  const auto decision = detail::decide_groups(
      detail::single_measure(options.publish, "expected_events"), options.min_group_size, options.parent_of,
      {&grouped.keys, sizes, {}, {}}, static_cast<std::size_t>(keys.size()),
      [&](auto&& emit) {
        const auto group = detail::group_of_rows(keys, grouped.keys);
        for (std::size_t i = 0; i < group.size(); ++i) emit(i, group[i], 0, -1);
      },
      "expected_events_by");
  const auto& status = decision.status;
  const double z = detail::normal_critical(options.confidence_level);
  using detail::surv::nan_value;
  std::vector<expected_events_group> out(G);
  for (std::size_t g = 0; g < G; ++g) {
    auto& o = out[g];
    o.key = grouped.keys[g], o.status = status[g];
    if (status[g] != suppression::shown) {
      o.n = 0, o.expected = o.standard_error = o.low = o.high = o.observed = nan_value;
      continue;
    }
    const auto& p = grouped.values[g].p;
    double mean = 0.0, var = 0.0;
    for (const double v : p) mean += v, var += v * (1.0 - v);
    o.n = p.size(), o.expected = mean, o.standard_error = std::sqrt(var);
    o.observed = observed != nullptr ? grouped.values[g].observed : nan_value;
    if (p.size() <= options.exact_up_to) {
      const interval ci = detail::surv::poisson_binomial_interval(p, options.confidence_level);
      o.low = ci.low, o.high = ci.high;
    } else {
      const double n = static_cast<double>(p.size());
      o.low = std::clamp(std::floor(mean - z * o.standard_error), 0.0, n);
      o.high = std::clamp(std::ceil(mean + z * o.standard_error), 0.0, n);
    }
  }
  return out;
}

}  // namespace engage
