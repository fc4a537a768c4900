#pragma once
/// @file model_quality.hpp
/// How good is a churn-risk score: discrimination (ROC AUC with DeLong standard errors and the paired DeLong test;
/// Harrell's concordance index and the cumulative/dynamic time-dependent AUC at a horizon for time-to-exit data)
/// and calibration (Brier score; observed vs predicted rates by
/// risk bins with Wilson intervals).
///
/// Sign convention everywhere: a higher score means a higher risk (more likely to leave, sooner). This is
/// survival's `concordance(..., reverse = TRUE)` and pROC's `direction = "<"`, and the opposite of lifelines'
/// `concordance_index`, which expects higher = longer survival (pass -score there).
///
/// Missing data: pairwise within each call. Rows with NaN in any argument of the call are dropped and counted
/// (`missing`).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "config.hpp"
#include "errors.hpp"
#include "interval.hpp"

namespace engage {

namespace detail {

inline void require_binary(double v, std::string_view argument, std::size_t i) {
  if (v != 0.0 && v != 1.0) fail_at(argument, i, v, "must be 0 or 1 (NaN = missing)");
}

inline void require_not_inf(double v, std::string_view argument, std::size_t i) {
  if (std::isinf(v)) fail_at(argument, i, v, "values must be finite (NaN = missing)");
}

/// Per-observation DeLong placement values of one score: for a positive (y = 1) the share of negatives it
/// outranks (ties 1/2), for a negative the share of positives that outrank it. Tie groups come from one sort, so
/// the whole is O(n log n) (Sun & Xu 2014) instead of the O(n1 n0) comparison table.
struct auc_placements {
  double auc = 0.0;
  std::vector<double> placement;  ///< per observation in the order given
  std::size_t n_positive = 0, n_negative = 0;
};

inline auc_placements delong_placements(const std::vector<double>& y, const std::vector<double>& score) {
  const std::size_t n = y.size();
  auc_placements out;
  out.placement.assign(n, 0.0);
  for (double v : y) (v == 1.0 ? out.n_positive : out.n_negative) += 1;
  const double n1 = static_cast<double>(out.n_positive), n0 = static_cast<double>(out.n_negative);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  double below_pos = 0.0, below_neg = 0.0, sum_pos = 0.0;
  for (std::size_t start = 0; start < n;) {
    std::size_t stop = start;
    double c1 = 0.0, c0 = 0.0;
    while (stop < n && score[order[stop]] == score[order[start]]) (y[order[stop++]] == 1.0 ? c1 : c0) += 1.0;
    const double v10 = (below_neg + 0.5 * c0) / n0;              // positives in this tie group
    const double v01 = (n1 - below_pos - c1 + 0.5 * c1) / n1;    // negatives in this tie group
    for (std::size_t k = start; k < stop; ++k) out.placement[order[k]] = y[order[k]] == 1.0 ? v10 : v01;
    sum_pos += c1 * v10;
    below_pos += c1, below_neg += c0;
    start = stop;
  }
  out.auc = sum_pos / n1;
  return out;
}

/// S10 and S01 (covariances of the placement values of two scores over positives and negatives, n - 1 divisor).
inline std::pair<double, double> delong_covariances(const std::vector<double>& y, const auc_placements& a,
                                                    const auc_placements& b) {
  double s10 = 0.0, s01 = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double da = a.placement[i] - a.auc, db = b.placement[i] - b.auc;
    (y[i] == 1.0 ? s10 : s01) += da * db;
  }
  const double n1 = static_cast<double>(a.n_positive), n0 = static_cast<double>(a.n_negative);
  return {s10 / (n1 - 1.0), s01 / (n0 - 1.0)};
}

/// Complete (y, score...) rows: y binary, scores finite; NaN anywhere drops the row.
struct binary_scores {
  std::vector<double> y;
  std::vector<std::vector<double>> scores;
  std::size_t missing = 0;
};

inline binary_scores complete_binary(vector_view y, const std::vector<vector_view>& scores,
                                     const std::vector<std::string_view>& names) {
  binary_scores out;
  out.scores.resize(scores.size());
  for (std::size_t k = 0; k < scores.size(); ++k) {
    require_same_length("y", static_cast<std::size_t>(y.size()), names[k], static_cast<std::size_t>(scores[k].size()));
  }
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const auto ii = static_cast<std::size_t>(i);
    bool ok = !std::isnan(y[i]);
    if (ok) require_binary(y[i], "y", ii);
    for (std::size_t k = 0; k < scores.size(); ++k) {
      if (std::isnan(scores[k][i])) ok = false;
      else require_not_inf(scores[k][i], names[k], ii);
    }
    if (!ok) {
      ++out.missing;
      continue;
    }
    out.y.push_back(y[i]);
    for (std::size_t k = 0; k < scores.size(); ++k) out.scores[k].push_back(scores[k][i]);
  }
  return out;
}

/// Throws unless y has both outcomes (checked before any division by the class sizes).
inline void require_both_classes(const std::vector<double>& y, std::size_t missing) {
  const auto n1 = static_cast<std::size_t>(std::count(y.begin(), y.end(), 1.0)), n0 = y.size() - n1;
  if (n1 == 0 || n0 == 0) {
    throw insufficient_data("y has " + std::to_string(n1) + " positive (1) and " + std::to_string(n0) +
                            " negative (0) complete rows (" + std::to_string(missing) +
                            " dropped as missing); the AUC needs at least one of each");
  }
}

}  // namespace detail

/// ROC AUC of a score for a binary outcome.
struct roc_auc_result {
  double statistic;       ///< P(score_pos > score_neg) + P(tie) / 2 (Mann-Whitney U / (n1 n0))
  double standard_error;  ///< DeLong et al. (1988); NaN when n1 < 2 or n0 < 2
  std::size_t n, n_positive, n_negative, missing;
};

/**
 * ROC AUC (ties count 1/2) with the DeLong standard error, in O(n log n). Higher score = positive class (y = 1),
 * as pROC `roc(y, score, levels = c(0, 1), direction = "<")`; an AUC below 0.5 is reported as it is, not flipped.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd y(4), s(4); y << 0, 0, 1, 1; s << 0.1, 0.4, 0.35, 0.8;
 * auto r = engage::roc_auc(y, s);   // r.statistic == 0.75
 * ```
 */
inline roc_auc_result roc_auc(vector_view y, vector_view score) {
  const auto data = detail::complete_binary(y, {score}, {"score"});
  detail::require_both_classes(data.y, data.missing);
  const auto pl = detail::delong_placements(data.y, data.scores[0]);
  roc_auc_result r{};
  r.statistic = pl.auc;
  r.n = data.y.size(), r.n_positive = pl.n_positive, r.n_negative = pl.n_negative, r.missing = data.missing;
  if (pl.n_positive < 2 || pl.n_negative < 2) {
    r.standard_error = std::numeric_limits<double>::quiet_NaN();
  } else {
    const auto [s10, s01] = detail::delong_covariances(data.y, pl, pl);
    r.standard_error = std::sqrt(s10 / static_cast<double>(pl.n_positive) + s01 / static_cast<double>(pl.n_negative));
  }
  return r;
}

/// Interval methods for the AUC: DeLong on the AUC scale clipped to [0, 1] (pROC's `ci.auc` default), or on the
/// logit scale (back-transformed; stays inside (0, 1), better coverage near 1).
enum class auc_ci_method : std::uint8_t { delong, delong_logit };

/// Parses "delong", "delong-logit".
inline auc_ci_method parse_auc_ci_method(std::string_view name) {
  if (name == "delong") return auc_ci_method::delong;
  if (name == "delong-logit") return auc_ci_method::delong_logit;
  throw invalid_input("method = '" + std::string(name) + "': expected one of 'delong', 'delong-logit'");
}

/**
 * Confidence interval of the AUC. Logit scale: logit(AUC) ± z SE / (AUC (1 - AUC)); when the AUC is 0 or 1 (SE 0)
 * both methods give the degenerate interval [AUC, AUC].
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_interval(engage::roc_auc(y, s), 0.95, engage::auc_ci_method::delong);
 * ```
 */
inline interval confidence_interval(const roc_auc_result& r, double confidence_level = 0.95,
                                    auc_ci_method method = auc_ci_method::delong) {
  const double z = detail::normal_critical(confidence_level);
  const double a = r.statistic, se = r.standard_error;
  if (std::isnan(se)) return {se, se};
  if (method == auc_ci_method::delong || a <= 0.0 || a >= 1.0) {
    return {std::clamp(a - z * se, 0.0, 1.0), std::clamp(a + z * se, 0.0, 1.0)};
  }
  const double l = std::log(a / (1.0 - a)), h = z * se / (a * (1.0 - a));
  return {1.0 / (1.0 + std::exp(-(l - h))), 1.0 / (1.0 + std::exp(-(l + h)))};
}

/// Paired comparison of two AUCs on the same rows (DeLong test).
struct roc_auc_comparison {
  double statistic_a, statistic_b;
  double difference;      ///< statistic_a - statistic_b
  double standard_error;  ///< sqrt(Var a + Var b - 2 Cov(a, b)), DeLong
  double z, pvalue;       ///< two-sided
  double correlation;     ///< of the two AUC estimates
  std::size_t n, n_positive, n_negative, missing;
};

/**
 * DeLong, DeLong & Clarke-Pearson (1988) test of two correlated AUCs (two scores for the same people), as pROC
 * `roc.test(method = "delong", paired = TRUE)`. Rows with NaN in y or either score are dropped.
 *
 * **Example**:
 * ```
 * auto c = engage::roc_auc_compare(y, model_score, engagement_score);   // c.difference, c.pvalue
 * ```
 */
inline roc_auc_comparison roc_auc_compare(vector_view y, vector_view score_a, vector_view score_b) {
  const auto data = detail::complete_binary(y, {score_a, score_b}, {"score_a", "score_b"});
  detail::require_both_classes(data.y, data.missing);
  const auto pa = detail::delong_placements(data.y, data.scores[0]);
  const auto pb = detail::delong_placements(data.y, data.scores[1]);
  if (pa.n_positive < 2 || pa.n_negative < 2) {
    throw insufficient_data("the DeLong test needs at least 2 positive and 2 negative rows; got " +
                            std::to_string(pa.n_positive) + " and " + std::to_string(pa.n_negative));
  }
  const double n1 = static_cast<double>(pa.n_positive), n0 = static_cast<double>(pa.n_negative);
  const auto [aa10, aa01] = detail::delong_covariances(data.y, pa, pa);
  const auto [bb10, bb01] = detail::delong_covariances(data.y, pb, pb);
  const auto [ab10, ab01] = detail::delong_covariances(data.y, pa, pb);
  const double va = aa10 / n1 + aa01 / n0, vb = bb10 / n1 + bb01 / n0, cab = ab10 / n1 + ab01 / n0;
  roc_auc_comparison c{};
  c.statistic_a = pa.auc, c.statistic_b = pb.auc, c.difference = pa.auc - pb.auc;
  c.standard_error = std::sqrt(std::max(va + vb - 2.0 * cab, 0.0));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Scores that rank everyone identically have difference 0 and standard error 0: no test (NaN).
  c.z = c.standard_error > 0.0 ? c.difference / c.standard_error : nan;
  c.pvalue = detail::normal_two_sided_p(c.z);
  c.correlation = va > 0.0 && vb > 0.0 ? cab / std::sqrt(va * vb) : nan;
  c.n = data.y.size(), c.n_positive = pa.n_positive, c.n_negative = pa.n_negative, c.missing = data.missing;
  return c;
}

/**
 * Wald interval of the AUC difference: difference ± z * standard_error.
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_interval(engage::roc_auc_compare(y, a, b), 0.95);
 * ```
 */
inline interval confidence_interval(const roc_auc_comparison& c, double confidence_level = 0.95) {
  const double z = detail::normal_critical(confidence_level);
  return {c.difference - z * c.standard_error, c.difference + z * c.standard_error};
}

/// Harrell's concordance index with survival's counts.
struct concordance_result {
  double statistic;        ///< (concordant + tied_risk / 2) / (concordant + discordant + tied_risk)
  double standard_error;   ///< infinitesimal jackknife, as survival::concordance
  std::uint64_t concordant, discordant;
  std::uint64_t tied_risk;  ///< comparable pairs tied in score (survival's tied.x; count 1/2)
  std::uint64_t tied_time;  ///< pairs of events at the same time, not tied in score (tied.y; excluded)
  std::uint64_t tied_both;  ///< pairs of events at the same time and score (tied.xy; excluded)
  std::uint64_t comparable;  ///< concordant + discordant + tied_risk
  std::size_t n, events, missing;
};

namespace detail {

/// Fenwick tree of counts over score ranks 0..K-1, with the count at each rank kept separately for ties.
class rank_counter {
 public:
  explicit rank_counter(std::size_t k) : tree_(k + 1, 0), at_(k, 0) {}
  void add(std::size_t rank) {
    for (std::size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) ++tree_[i];
    ++at_[rank], ++total_;
  }
  /// Entries below, at and above rank r.
  struct split {
    std::uint64_t below, tied, above;
  };
  [[nodiscard]] split around(std::size_t r) const {
    std::uint64_t below = 0;
    for (std::size_t i = r; i > 0; i -= i & (~i + 1)) below += tree_[i];
    return {below, at_[r], total_ - below - at_[r]};
  }
  [[nodiscard]] std::uint64_t total() const { return total_; }

 private:
  std::vector<std::uint64_t> tree_, at_;
  std::uint64_t total_ = 0;
};

}  // namespace detail

/**
 * Harrell's C for time-to-event data, O(n log n), with survival's rules: a pair is comparable when the shorter
 * time is an event; a censored time equal to an event time counts as longer (still at risk); pairs of events at
 * the same time are excluded (counted in tied_time / tied_both); pairs tied in score count 1/2. Higher score =
 * higher risk = shorter time: equals `survival::concordance(Surv(time, event) ~ score, reverse = TRUE)`, counts
 * and variance. `event` may be null (every row an event). Rows with NaN in any argument are dropped.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd t(4), e(4), s(4); t << 1, 2, 3, 4; e << 1, 1, 0, 1; s << 0.9, 0.5, 0.7, 0.1;
 * auto c = engage::concordance_index(t, s, &e);   // c.concordant == 4, c.discordant == 1, c.statistic == 0.8
 * ```
 */
inline concordance_result concordance_index(vector_view time, vector_view score, const vector_view* event = nullptr) {
  const auto n_all = static_cast<std::size_t>(time.size());
  detail::require_same_length("time", n_all, "score", static_cast<std::size_t>(score.size()));
  if (event) detail::require_same_length("time", n_all, "event", static_cast<std::size_t>(event->size()));
  std::vector<double> t, s;
  std::vector<std::uint8_t> d;
  std::size_t missing = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    const double ti = time[ii], si = score[ii], ei = event ? (*event)[ii] : 1.0;
    if (std::isnan(ti) || std::isnan(si) || std::isnan(ei)) {
      ++missing;
      continue;
    }
    if (!std::isfinite(ti) || ti < 0.0) detail::fail_at("time", i, ti, "times must be finite and >= 0 (NaN = missing)");
    detail::require_not_inf(si, "score", i);
    detail::require_binary(ei, "event", i);
    t.push_back(ti), s.push_back(si), d.push_back(ei == 1.0 ? 1 : 0);
  }
  const std::size_t n = t.size();
  concordance_result c{};
  c.n = n, c.missing = missing;
  for (auto v : d) c.events += v;

  // Score ranks 0..K-1 (equal scores share a rank); sorting (value, index) pairs keeps the sort cache-friendly.
  std::vector<std::size_t> rank(n);
  std::size_t ranks = 0;
  {
    std::vector<std::pair<double, std::size_t>> by_score(n);
    for (std::size_t i = 0; i < n; ++i) by_score[i] = {s[i], i};
    std::sort(by_score.begin(), by_score.end());
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0 && by_score[i].first != by_score[i - 1].first) ++ranks;
      rank[by_score[i].second] = ranks;
    }
    if (n) ++ranks;
  }
  // Time order; within a time, events first (they are the "shorter" member of pairs with censored ties).
  std::vector<std::size_t> by_time(n);
  {
    std::vector<std::tuple<double, int, std::size_t>> keyed(n);
    for (std::size_t i = 0; i < n; ++i) keyed[i] = {t[i], -static_cast<int>(d[i]), i};
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t i = 0; i < n; ++i) by_time[i] = std::get<2>(keyed[i]);
  }

  // Per-row sums for the infinitesimal jackknife: pairs it is in, and its concordance credit in them.
  std::vector<double> credit(n, 0.0), pairs(n, 0.0);
  // Pass 1, descending time: each event against everyone with a longer time (or censored at its time).
  detail::rank_counter later(ranks);
  std::vector<std::size_t> r;  // ranks of the events at one time
  for (std::size_t hi = n; hi > 0;) {
    std::size_t lo = hi;
    while (lo > 0 && t[by_time[lo - 1]] == t[by_time[hi - 1]]) --lo;  // [lo, hi): one time
    std::size_t first_censored = lo;
    while (first_censored < hi && d[by_time[first_censored]] == 1) ++first_censored;
    for (std::size_t j = first_censored; j < hi; ++j) later.add(rank[by_time[j]]);
    for (std::size_t j = lo; j < first_censored; ++j) {
      const std::size_t i = by_time[j];
      const auto [below, tied, above] = later.around(rank[i]);
      c.concordant += below, c.discordant += above, c.tied_risk += tied;
      credit[i] += static_cast<double>(below) + 0.5 * static_cast<double>(tied);
      pairs[i] += static_cast<double>(later.total());
    }
    // Events at the same time: tied in time; tied in score too when their ranks agree.
    r.clear();
    for (std::size_t j = lo; j < first_censored; ++j) r.push_back(rank[by_time[j]]);
    std::sort(r.begin(), r.end());
    const std::uint64_t m = r.size();
    std::uint64_t both = 0;
    for (std::size_t a = 0; a < r.size();) {
      std::size_t b = a;
      while (b < r.size() && r[b] == r[a]) ++b;
      both += static_cast<std::uint64_t>(b - a) * (b - a - 1) / 2;
      a = b;
    }
    c.tied_both += both, c.tied_time += m * (m - 1) / 2 - both;
    for (std::size_t j = lo; j < first_censored; ++j) later.add(rank[by_time[j]]);
    hi = lo;
  }
  // Pass 2, ascending time: each row as the longer member against the events before it.
  detail::rank_counter earlier(ranks);
  for (std::size_t lo = 0; lo < n;) {
    std::size_t hi = lo;
    while (hi < n && t[by_time[hi]] == t[by_time[lo]]) ++hi;
    std::size_t first_censored = lo;
    while (first_censored < hi && d[by_time[first_censored]] == 1) ++first_censored;
    const auto as_longer = [&](std::size_t i) {
      const auto [below, tied, above] = earlier.around(rank[i]);
      credit[i] += static_cast<double>(above) + 0.5 * static_cast<double>(tied);  // earlier event scored higher
      pairs[i] += static_cast<double>(earlier.total());
    };
    for (std::size_t j = lo; j < first_censored; ++j) as_longer(by_time[j]);  // events: earlier times only
    for (std::size_t j = lo; j < first_censored; ++j) earlier.add(rank[by_time[j]]);
    for (std::size_t j = first_censored; j < hi; ++j) as_longer(by_time[j]);  // censored: events up to now
    lo = hi;
  }
  c.comparable = c.concordant + c.discordant + c.tied_risk;
  if (c.comparable == 0) {
    throw insufficient_data("no comparable pairs among " + std::to_string(n) + " complete rows (" +
                            std::to_string(c.events) + " events): a pair is comparable when the shorter time is an "
                            "event");
  }
  const double D = static_cast<double>(c.comparable);
  c.statistic = (static_cast<double>(c.concordant) + 0.5 * static_cast<double>(c.tied_risk)) / D;
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = credit[i] - c.statistic * pairs[i];
    ss += u * u;
  }
  c.standard_error = std::sqrt(ss) / D;
  return c;
}

/**
 * Normal interval of the concordance: statistic ± z * standard_error, clipped to [0, 1].
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_interval(engage::concordance_index(t, s, &e), 0.95);
 * ```
 */
inline interval confidence_interval(const concordance_result& c, double confidence_level = 0.95) {
  const double z = detail::normal_critical(confidence_level);
  return {std::clamp(c.statistic - z * c.standard_error, 0.0, 1.0),
          std::clamp(c.statistic + z * c.standard_error, 0.0, 1.0)};
}

/// Cumulative/dynamic time-dependent AUC of a risk score at one horizon.
struct time_dependent_auc_result {
  double statistic;       ///< IPCW-weighted P(score_case > score_control) + P(tie) / 2
  double horizon;
  std::size_t n;          ///< complete rows
  std::size_t cases;      ///< events at or before the horizon (time <= horizon, event = 1)
  std::size_t controls;   ///< rows still in follow-up after the horizon (time > horizon)
  std::size_t censored;   ///< censored at or before the horizon: neither case nor control (IPCW accounts for them)
  double weighted_cases;  ///< sum over cases of 1 / G(time_i), G the Kaplan-Meier curve of the censoring
  std::size_t missing;    ///< rows dropped for a NaN in time, event or score
};

/**
 * Cumulative/dynamic AUC(t) at `horizon` with inverse-probability-of-censoring weights (Uno, Cai, Tian & Wei
 * 2007; Hung & Chiang 2010), as scikit-survival's `cumulative_dynamic_auc`:
 *
 *     AUC(t) = sum_i sum_j w_i [I(s_i > s_j) + I(s_i = s_j) / 2] / (sum_i w_i * n_controls)
 *
 * over cases i (event at T_i <= t) and controls j (T_j > t), with w_i = 1 / G(T_i). G is the Kaplan-Meier
 * estimate of the censoring distribution computed from the same complete rows (censoring as the event; at a time
 * with both, events leave the risk set before censorings, and G is evaluated at T_i inclusive: scikit-survival's
 * `CensoringDistributionEstimator`). Ties in score count 1/2 (exact equality; scikit-survival treats scores within
 * 1e-8 as tied). Higher score = higher risk, for example a Cox linear predictor. No standard error. O(n log n).
 * Rows with NaN in any argument are dropped; errors: times < 0 or infinite, events other than 0/1, infinite
 * scores, a NaN or infinite horizon, no case or no control at the horizon.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd t(6), e(6), s(6); t << 1, 2, 3, 4, 5, 6; e << 1, 0, 1, 1, 0, 1; s << 6, 2, 3, 5, 1, 4;
 * auto r = engage::time_dependent_auc(t, e, s, 3.5);   // cases at 1 and 3, controls 4, 5, 6
 * ```
 */
inline time_dependent_auc_result time_dependent_auc(vector_view time, vector_view event, vector_view score,
                                                    double horizon) {
  const auto n_all = static_cast<std::size_t>(time.size());
  detail::require_same_length("time", n_all, "event", static_cast<std::size_t>(event.size()));
  detail::require_same_length("time", n_all, "score", static_cast<std::size_t>(score.size()));
  if (!std::isfinite(horizon)) {
    throw invalid_input("horizon = " + detail::format_value(horizon) + ": must be a finite time");
  }
  std::vector<double> t, s;
  std::vector<std::uint8_t> d;
  std::size_t missing = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    const double ti = time[ii], ei = event[ii], si = score[ii];
    if (std::isnan(ti) || std::isnan(ei) || std::isnan(si)) {
      ++missing;
      continue;
    }
    if (!std::isfinite(ti) || ti < 0.0) detail::fail_at("time", i, ti, "times must be finite and >= 0 (NaN = missing)");
    detail::require_binary(ei, "event", i);
    detail::require_not_inf(si, "score", i);
    t.push_back(ti), d.push_back(ei == 1.0 ? 1 : 0), s.push_back(si);
  }
  const std::size_t n = t.size();
  time_dependent_auc_result r{};
  r.horizon = horizon, r.n = n, r.missing = missing;
  for (std::size_t i = 0; i < n; ++i) {
    if (t[i] > horizon) ++r.controls;
    else if (d[i]) ++r.cases;
    else ++r.censored;
  }
  if (r.cases == 0 || r.controls == 0) {
    throw insufficient_data("horizon = " + detail::format_value(horizon) + ": " + std::to_string(r.cases) +
                            " events at or before it and " + std::to_string(r.controls) +
                            " rows followed beyond it among " + std::to_string(n) + " complete rows (" +
                            std::to_string(missing) + " dropped as missing); the AUC needs at least one of each");
  }
  // Kaplan-Meier of the censoring distribution, evaluated at each case's time (inclusive).
  std::vector<std::size_t> by_time(n);
  std::iota(by_time.begin(), by_time.end(), std::size_t{0});
  std::sort(by_time.begin(), by_time.end(), [&](std::size_t a, std::size_t b) { return t[a] < t[b]; });
  std::vector<double> weight(n, 0.0);
  double g = 1.0;
  for (std::size_t lo = 0; lo < n;) {
    std::size_t hi = lo, events = 0;
    while (hi < n && t[by_time[hi]] == t[by_time[lo]]) events += d[by_time[hi++]];
    const std::size_t at_risk = n - lo, censored = hi - lo - events;
    if (censored > 0) g *= 1.0 - static_cast<double>(censored) / static_cast<double>(at_risk - events);
    if (t[by_time[lo]] > horizon) break;
    for (std::size_t k = lo; k < hi; ++k) {
      const std::size_t i = by_time[k];
      if (!d[i]) continue;
      if (!(g > 0.0)) {
        throw insufficient_data("the censoring survival curve is 0 at time " + detail::format_value(t[i]) +
                                " (everyone still followed is censored there), so the case weights are undefined");
      }
      weight[i] = 1.0 / g;
    }
    lo = hi;
  }
  // Sweep the cases and controls in increasing score; tie groups share half the credit.
  std::vector<std::pair<double, std::size_t>> by_score;
  by_score.reserve(r.cases + r.controls);
  for (std::size_t i = 0; i < n; ++i)
    if (t[i] > horizon || d[i]) by_score.emplace_back(s[i], i);
  std::sort(by_score.begin(), by_score.end());
  double numerator = 0.0, controls_below = 0.0;
  for (std::size_t lo = 0; lo < by_score.size();) {
    std::size_t hi = lo;
    double case_weight = 0.0, controls = 0.0;
    for (; hi < by_score.size() && by_score[hi].first == by_score[lo].first; ++hi) {
      const std::size_t i = by_score[hi].second;
      if (t[i] > horizon) controls += 1.0;
      else case_weight += weight[i];
    }
    numerator += case_weight * (controls_below + 0.5 * controls);
    r.weighted_cases += case_weight;
    controls_below += controls;
    lo = hi;
  }
  r.statistic = numerator / (r.weighted_cases * static_cast<double>(r.controls));
  return r;
}

/// Brier score of predicted probabilities.
struct brier_result {
  double statistic;  ///< mean (p - y)^2
  double reference;  ///< Brier score of predicting the observed rate for everyone: ybar (1 - ybar)
  double skill;      ///< 1 - statistic / reference (NaN when y has no variation)
  std::size_t n, missing;
};

namespace detail {

struct binary_probabilities {
  std::vector<double> y, p;
  std::size_t missing = 0;
};

inline binary_probabilities complete_probabilities(vector_view y, vector_view p) {
  require_same_length("y", static_cast<std::size_t>(y.size()), "p", static_cast<std::size_t>(p.size()));
  binary_probabilities out;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const auto ii = static_cast<std::size_t>(i);
    if (std::isnan(y[i]) || std::isnan(p[i])) {
      ++out.missing;
      continue;
    }
    require_binary(y[i], "y", ii);
    if (!(p[i] >= 0.0 && p[i] <= 1.0)) fail_at("p", ii, p[i], "probabilities must lie in [0, 1] (NaN = missing)");
    out.y.push_back(y[i]), out.p.push_back(p[i]);
  }
  if (out.y.empty()) {
    throw insufficient_data("no complete (y, p) pairs: all " + std::to_string(out.missing) + " rows have a NaN");
  }
  return out;
}

}  // namespace detail

/**
 * Brier score mean((p - y)^2) with its reference (the base rate predicted for everyone) and the skill score.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd y(4), p(4); y << 0, 1, 1, 0; p << 0.1, 0.8, 0.6, 0.3;
 * auto b = engage::brier_score(y, p);   // b.statistic == 0.075
 * ```
 */
inline brier_result brier_score(vector_view y, vector_view p) {
  const auto data = detail::complete_probabilities(y, p);
  const double n = static_cast<double>(data.y.size());
  double ss = 0.0, events = 0.0;
  for (std::size_t i = 0; i < data.y.size(); ++i) {
    ss += (data.p[i] - data.y[i]) * (data.p[i] - data.y[i]);
    events += data.y[i];
  }
  brier_result b{};
  b.statistic = ss / n;
  const double ybar = events / n;
  b.reference = ybar * (1.0 - ybar);
  b.skill = b.reference > 0.0 ? 1.0 - b.statistic / b.reference : std::numeric_limits<double>::quiet_NaN();
  b.n = data.y.size(), b.missing = data.missing;
  return b;
}

/// One risk bin of a calibration table.
struct calibration_bin {
  double low, high;           ///< bin edges: (low, high], the first bin [low, high]
  std::size_t n, events;
  double mean_predicted;      ///< mean p in the bin
  double observed_rate;       ///< events / n
  double observed_low, observed_high;  ///< Wilson score interval for the observed rate
};

/// A calibration table: the non-empty bins in increasing risk.
struct calibration_result {
  std::vector<calibration_bin> bins;
  std::size_t n, missing;
};

namespace detail {

/// Wilson score interval for x successes out of n (R `prop.test(x, n, correct = FALSE)$conf.int`).
inline interval wilson_score_interval(double x, double n, double z) {
  const double p = x / n, z2 = z * z, denom = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace detail

/// Largest number of calibration bins.
inline constexpr std::size_t max_calibration_bins = 1'000'000;

/**
 * Calibration by risk bins ("deciles of risk" for bins = 10): edges are the type-7 quantiles of p at k / bins
 * (duplicates merged), bins right-closed with the lowest edge included, exactly R's
 * `cut(p, unique(quantile(p, 0:bins / bins)), include.lowest = TRUE)`; ties in p therefore stay in one bin and
 * bins can hold unequal counts. Empty bins are left out. Per bin: n, events, mean predicted, observed rate and
 * its Wilson interval.
 *
 * **Example**:
 * ```
 * auto t = engage::calibration_table(y, p, 10, 0.95);   // t.bins[k].mean_predicted vs t.bins[k].observed_rate
 * ```
 */
inline calibration_result calibration_table(vector_view y, vector_view p, std::size_t bins = 10,
                                            double confidence_level = 0.95) {
  if (bins < 1) throw invalid_input("bins = 0: must be at least 1");
  const double z = detail::normal_critical(confidence_level);
  // One quantile per bin edge: 10^9 bins would take minutes and gigabytes for edges that mostly repeat.
  if (bins > max_calibration_bins)
    throw invalid_input("bins = " + std::to_string(bins) + ": at most " + std::to_string(max_calibration_bins) +
                        " (10 is usual)");
  const auto data = detail::complete_probabilities(y, p);
  std::vector<double> sorted = data.p;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> edges;
  for (std::size_t k = 0; k <= bins; ++k) {
    const double e = detail::sorted_quantile(sorted, static_cast<double>(k) / static_cast<double>(bins));
    if (edges.empty() || e != edges.back()) edges.push_back(e);
  }
  const std::size_t m = std::max<std::size_t>(edges.size(), 2) - 1;  // all p equal: one bin [p, p]
  if (edges.size() == 1) edges.push_back(edges[0]);
  std::vector<std::size_t> count(m, 0);
  std::vector<double> events(m, 0.0), sum_p(m, 0.0);
  for (std::size_t i = 0; i < data.p.size(); ++i) {
    // Bin j covers (edges[j], edges[j + 1]]; the first also its lower edge.
    const auto it = std::lower_bound(edges.begin() + 1, edges.end() - 1, data.p[i]);
    const auto j = static_cast<std::size_t>(it - (edges.begin() + 1));
    ++count[j], events[j] += data.y[i], sum_p[j] += data.p[i];
  }
  calibration_result out{};
  out.n = data.p.size(), out.missing = data.missing;
  for (std::size_t j = 0; j < m; ++j) {
    if (count[j] == 0) continue;
    const double nj = static_cast<double>(count[j]);
    const auto w = detail::wilson_score_interval(events[j], nj, z);
    out.bins.push_back({edges[j], edges[j + 1], count[j], static_cast<std::size_t>(events[j]), sum_p[j] / nj,
                        events[j] / nj, w.low, w.high});
  }
  return out;
}

}  // namespace engage
