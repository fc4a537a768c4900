#pragma once
/// @file enps.hpp
/// Employee Net Promoter Score: counts, the score in points (-100..100), its standard error, interval
/// estimators (Wald, adjusted Wald, Tango score, bootstrap), survey weights with linearised variance and the
/// Kish effective n, finite-population correction, grouped tables under the confidentiality engine, and
/// comparisons (independent, paired waves, each group against the rest).
///
/// Formulas: METHODS.md section 1 (Rocks 2016; Tango 1998; Zou & Donner 2008 MOVER).
/// Missing-data policy: NaN scores are missing; they are counted (`missing`) and excluded from n.

#include <array>
#include <boost/math/tools/toms748_solve.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "confidentiality.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"
#include "multiplicity.hpp"

namespace engage {

/// Cut-points of the eNPS item. Scores are integers in [low, high]; detractors are <= detractor_max,
/// passives <= passive_max, promoters above. Default 0-6 / 7-8 / 9-10; CultureIQ's 0-5 / 6-8 / 9-10 is
/// `{0, 5, 8, 10}`.
struct enps_breaks {
  int low = 0;
  int detractor_max = 6;
  int passive_max = 8;
  int high = 10;
};

/// The category of one respondent.
enum class enps_category : std::uint8_t { detractor = 0, passive = 1, promoter = 2 };

/// Options shared by every eNPS entry point.
struct enps_options {
  enps_breaks breaks{};
  /// Size of the surveyed population, for the finite-population correction (census surveys); nullopt = none.
  std::optional<double> population_size{};
};

/**
 * Mergeable partial result: counts per category and, for weights, sums of w and w^2 per category.
 * Chunks of data give `enps_counts` that add up (`+=`) to exactly the one-pass result, the basis for
 * streaming and distributed runs; `-=` gives "the rest of the company" from a total and one group.
 */
struct enps_counts {
  std::uint64_t detractors = 0, passives = 0, promoters = 0, missing = 0;
  std::array<double, 3> sum_w{};   ///< sum of weights by category (detractor, passive, promoter)
  std::array<double, 3> sum_w2{};  ///< sum of squared weights by category
  bool weighted = false;

  [[nodiscard]] std::uint64_t n() const { return detractors + passives + promoters; }

  enps_counts& operator+=(const enps_counts& o) {
    detractors += o.detractors, passives += o.passives, promoters += o.promoters, missing += o.missing;
    for (int c = 0; c < 3; ++c) sum_w[c] += o.sum_w[c], sum_w2[c] += o.sum_w2[c];
    weighted = weighted || o.weighted;
    return *this;
  }
  enps_counts& operator-=(const enps_counts& o) {
    detractors -= o.detractors, passives -= o.passives, promoters -= o.promoters, missing -= o.missing;
    for (int c = 0; c < 3; ++c) sum_w[c] -= o.sum_w[c], sum_w2[c] -= o.sum_w2[c];
    return *this;
  }
  friend enps_counts operator+(enps_counts a, const enps_counts& b) { return a += b; }
  friend enps_counts operator-(enps_counts a, const enps_counts& b) { return a -= b; }
};

namespace detail {

inline void check_breaks(const enps_breaks& b) {
  if (!(b.low <= b.detractor_max && b.detractor_max <= b.passive_max && b.passive_max < b.high)) {
    throw invalid_input("breaks = {low " + std::to_string(b.low) + ", detractor_max " +
                        std::to_string(b.detractor_max) + ", passive_max " + std::to_string(b.passive_max) +
                        ", high " + std::to_string(b.high) +
                        "}: need low <= detractor_max <= passive_max < high");
  }
}

/// Category of a non-missing score; throws naming the position for non-integers and out-of-range values.
inline enps_category classify(double s, std::size_t i, const enps_breaks& b, std::string_view argument) {
  if (!std::isfinite(s) || s != std::floor(s)) fail_at(argument, i, s, "eNPS scores must be whole numbers");
  if (s < b.low || s > b.high) {
    fail_at(argument, i, s,
            "eNPS scores must lie in [" + std::to_string(b.low) + ", " + std::to_string(b.high) + "]");
  }
  if (s <= b.detractor_max) return enps_category::detractor;
  if (s <= b.passive_max) return enps_category::passive;
  return enps_category::promoter;
}

/// Hot-loop classification: 0 detractor, 1 passive, 2 promoter, 3 missing. The common case (a whole number on
/// the scale) is a range check, a conversion and a table look-up, with no data-dependent branch (random
/// scores would defeat the branch predictor); anything else goes to `classify` for its error.
class classifier {
 public:
  /// Longest scale the look-up table covers (an eNPS item has 11 points; the NPS package tests use 16).
  static constexpr int max_points = 128;

  explicit classifier(const enps_breaks& b) : b_(b) {
    check_breaks(b);
    if (b.high - b.low >= max_points) {
      throw invalid_input("breaks: a scale of " + std::to_string(b.high - b.low + 1) + " points is longer than the " +
                          std::to_string(max_points) + " supported");
    }
    for (int k = b.low; k <= b.high; ++k) {
      table_[static_cast<std::size_t>(k - b.low)] = k <= b.detractor_max ? 0 : (k <= b.passive_max ? 1 : 2);
    }
  }
  [[nodiscard]] std::size_t operator()(double s, std::size_t i, std::string_view argument = "scores") const {
    if (s >= b_.low && s <= b_.high) [[likely]] {  // false for NaN
      const int k = static_cast<int>(s);
      if (k == s) [[likely]] return table_[static_cast<std::size_t>(k - b_.low)];
    }
    return slow(s, i, b_, argument);
  }
  /// Whole-number scores (an int64 column): the range check and the look-up, nothing to convert.
  [[nodiscard]] std::size_t operator()(std::int64_t s, std::size_t i, std::string_view argument = "scores") const {
    if (s >= b_.low && s <= b_.high) [[likely]] return table_[static_cast<std::size_t>(s - b_.low)];
    return slow(static_cast<double>(s), i, b_, argument);
  }

 private:
  // Kept out of line so the hot loop stays small: missing values and errors only.
  [[gnu::noinline, gnu::cold]] static std::size_t slow(double s, std::size_t i, const enps_breaks& b,
                                                       std::string_view argument) {
    if (std::isnan(s)) return 3;
    return static_cast<std::size_t>(classify(s, i, b, argument));  // throws
  }

  enps_breaks b_;
  std::array<std::uint8_t, max_points> table_{};
};

/// Unweighted counts in the hot loop: detractors, passives, promoters, missing.
using raw_counts = std::array<std::uint64_t, 4>;
template <class Raw>
inline enps_counts from_raw(const Raw& r) {
  enps_counts c;
  c.detractors = r[0], c.passives = r[1], c.promoters = r[2], c.missing = r[3];
  return c;
}

/// Largest survey weight taken: the variance sums w^2, which overflows near 1e154; eNPS does not depend on the
/// weights' scale, so larger weights are refused with the advice to rescale rather than giving NaN.
inline constexpr double max_weight = 1e150;

inline void check_weight(double w, std::size_t i) {
  if (!(std::isfinite(w) && w >= 0.0)) fail_at("weights", i, w, "weights must be finite and non-negative");
  if (w > max_weight) fail_at("weights", i, w, "too large (at most 1e150; eNPS does not depend on the weights' scale, so rescale them)");
}

/// Weighted rows add to the weight sums too. A missing score's weight is ignored (the row is dropped).
template <class Score>
void add_weighted(enps_counts& c, Score s, double w, std::size_t i, const classifier& category) {
  check_weight(w, i);
  const std::size_t k = category(s, i);
  if (k == 3) {
    ++c.missing;
    return;
  }
  if (k == 0) ++c.detractors;
  else if (k == 1) ++c.passives;
  else ++c.promoters;
  c.sum_w[k] += w;
  c.sum_w2[k] += w * w;
}

/**
 * The grouped counting kernel. The three category counts of a group share one 64-bit word (21 bits each), so
 * a group costs 8 bytes in the hot loop, as a plain bincount does, and 10^5 groups stay in cache. Every
 * 2^21 - 1 rows the packed words are flushed into 64-bit counters, so no field can overflow; missing scores,
 * rare, are counted in their own array.
 */
template <class Score>
keyed<enps_counts> packed_count_by(const Score* x, codes_view keys, const classifier& category) {
  keyed<enps_counts> out;
  const auto n = static_cast<std::size_t>(keys.size());
  if (n == 0) return out;
  const std::int64_t* k = keys.data();
  // Not a structured binding: lambdas below capture `lo`, which clang before 16 does not allow for bindings.
  const auto range = min_max(keys);
  const std::int64_t lo = range.first, hi = range.second;
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span > 4 * static_cast<std::uint64_t>(n) + 1024) {
    // Sparse keys: factorize, then count through the general pass.
    auto raw = accumulate_by_key<raw_counts>(keys, [&](raw_counts& c, Eigen::Index i) {
      ++c[category(x[i], static_cast<std::size_t>(i))];
    });
    out.keys = std::move(raw.keys);
    for (const auto& r : raw.values) out.values.push_back(from_raw(r));
    return out;
  }
  constexpr int bits = 21;
  constexpr std::uint64_t field = (std::uint64_t{1} << bits) - 1;
  constexpr std::size_t block = (std::size_t{1} << bits) - 1;
  constexpr std::array<std::uint64_t, 4> unit{1, std::uint64_t{1} << bits, std::uint64_t{1} << (2 * bits), 0};
  const auto slots = static_cast<std::size_t>(span) + 1;
  // Rows are split into chunks counted on separate threads; their counts merge exactly (mergeable counts).
  constexpr std::size_t min_chunk = std::size_t{1} << 20;
  std::vector<std::vector<raw_counts>> partial(chunk_count(n, min_chunk));
  parallel_chunks(n, min_chunk, [&](std::size_t begin, std::size_t end, std::size_t chunk) {
    std::vector<std::uint64_t> packed(slots, 0);
    auto& wide = partial[chunk];
    wide.assign(slots, raw_counts{});
    for (std::size_t start = begin; start < end; start += block) {
      const std::size_t stop = std::min(end, start + block);
      for (std::size_t i = start; i < stop; ++i) {
        const auto slot = static_cast<std::size_t>(static_cast<std::uint64_t>(k[i]) - static_cast<std::uint64_t>(lo));
        const std::size_t c = category(x[i], i);
        packed[slot] += unit[c];
        if (c == 3) ++wide[slot][3];
      }
      for (std::size_t s = 0; s < slots; ++s) {  // flush before any 21-bit field can overflow
        const std::uint64_t v = packed[s];
        if (v == 0) continue;
        wide[s][0] += v & field, wide[s][1] += (v >> bits) & field, wide[s][2] += v >> (2 * bits);
        packed[s] = 0;
      }
    }
  });
  auto& wide = partial[0];
  for (std::size_t c = 1; c < partial.size(); ++c)
    for (std::size_t s = 0; s < slots; ++s)
      for (std::size_t f = 0; f < 4; ++f) wide[s][f] += partial[c][s][f];
  out.keys.reserve(std::min(slots, n)), out.values.reserve(std::min(slots, n));
  for (std::size_t s = 0; s < slots; ++s) {
    const auto& w = wide[s];
    if ((w[0] | w[1] | w[2] | w[3]) == 0) continue;
    out.keys.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + s));
    out.values.push_back(from_raw(w));
  }
  return out;
}

}  // namespace detail

/**
 * Counts of one sample (one pass). Weights, when given, must have the scores' length.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd s(4); s << 10, 9, 3, NAN;
 * auto c = engage::enps_count(s);   // promoters 2, detractors 1, missing 1
 * ```
 */
inline enps_counts enps_count(vector_view scores, const enps_breaks& breaks = {},
                              const double* weights = nullptr) {
  const detail::classifier category(breaks);
  const auto n = static_cast<std::size_t>(scores.size());
  const double* x = scores.data();
  if (weights) {
    enps_counts c;
    c.weighted = true;
    for (std::size_t i = 0; i < n; ++i) detail::add_weighted(c, x[i], weights[i], i, category);
    return c;
  }
  detail::raw_counts r{};
  for (std::size_t i = 0; i < n; ++i) ++r[category(x[i], i)];
  return detail::from_raw(r);
}

/**
 * Counts for every group in one pass, O(n + groups): `keys` are any integer group keys (team ids, or several
 * key columns combined into one integer); the result lists the keys present, sorted, with their counts.
 *
 * **Example**:
 * ```
 * auto by_team = engage::enps_count_by(scores, team_ids);   // by_team.keys, by_team.values
 * ```
 */
namespace detail {
template <class Score>
keyed<enps_counts> count_by(const Score* x, std::size_t n, codes_view keys, const enps_breaks& breaks,
                            const double* weights) {
  const classifier category(breaks);
  require_same_length("scores", n, "groups", static_cast<std::size_t>(keys.size()));
  if (weights) {
    auto out = accumulate_by_key<enps_counts>(keys, [&](enps_counts& c, Eigen::Index i) {
      add_weighted(c, x[i], weights[i], static_cast<std::size_t>(i), category);
    });
    for (auto& c : out.values) c.weighted = true;
    return out;
  }
  return packed_count_by(x, keys, category);
}
}  // namespace detail

inline keyed<enps_counts> enps_count_by(vector_view scores, codes_view keys, const enps_breaks& breaks = {},
                                        const double* weights = nullptr) {
  return detail::count_by(scores.data(), static_cast<std::size_t>(scores.size()), keys, breaks, weights);
}

/// eNPS of one sample. All figures in points (-100..100) except proportions (0..1).
struct enps_result {
  double statistic;       ///< eNPS in points: 100 (p_promoters - p_detractors)
  std::uint64_t n;        ///< respondents with a score
  std::uint64_t promoters, passives, detractors, missing;
  double proportion_promoters, proportion_passives, proportion_detractors;  ///< weighted when weighted
  double standard_error;  ///< in points; multinomial (unweighted) or linearised (weighted), with the FPC
  double effective_n;     ///< Kish (sum w)^2 / sum w^2; equals n without weights
  double fpc;             ///< variance multiplier of the finite-population correction (1 = none)
  bool weighted;
  enps_counts counts;     ///< the mergeable counts behind the figures
};

/**
 * Turns counts into the eNPS result. Unweighted SE = sqrt(V/n), V = (p_R + p_D) - (p_R - p_D)^2
 * (Rocks 2016). Weighted SE is the Taylor-linearised SE of the weighted mean of s in {-1, 0, 1}, equal to
 * R `survey::svymean(~s, svydesign(ids = ~1, weights = ~w))`. With a population size N the variance is
 * multiplied by (N - n)/(N - 1) (unweighted, the hypergeometric correction) or 1 - n/N (weighted, as
 * `svydesign(fpc = )`).
 *
 * **Example**:
 * ```
 * engage::enps_counts c; c.detractors = 20; c.passives = 30; c.promoters = 50;
 * auto r = engage::enps_from_counts(c);   // r.statistic == 30, r.standard_error == 7.8102...
 * ```
 */
inline enps_result enps_from_counts(const enps_counts& c, std::optional<double> population_size = std::nullopt) {
  enps_result r{};
  r.counts = c;
  r.n = c.n();
  r.promoters = c.promoters, r.passives = c.passives, r.detractors = c.detractors, r.missing = c.missing;
  r.weighted = c.weighted;
  if (r.n == 0) {
    throw insufficient_data("no eNPS scores: all " + std::to_string(c.missing) +
                            " values are missing (need at least one)");
  }
  const double n = static_cast<double>(r.n);
  r.fpc = 1.0;
  if (population_size) {
    const double N = *population_size;
    if (!(std::isfinite(N) && N >= n)) {
      throw invalid_input("population_size = " + detail::format_value(N) + ": must be at least the " +
                          std::to_string(r.n) + " respondents");
    }
    r.fpc = c.weighted ? 1.0 - n / N : (N > 1.0 ? (N - n) / (N - 1.0) : 0.0);
  }
  if (!c.weighted) {
    const double pd = c.detractors / n, pp = c.passives / n, pr = c.promoters / n;
    r.proportion_detractors = pd, r.proportion_passives = pp, r.proportion_promoters = pr;
    const double v = (pr + pd) - (pr - pd) * (pr - pd);
    r.statistic = 100.0 * (pr - pd);
    r.standard_error = 100.0 * std::sqrt(std::max(v, 0.0) / n * r.fpc);
    r.effective_n = n;
    return r;
  }
  const double W = c.sum_w[0] + c.sum_w[1] + c.sum_w[2];
  const double W2 = c.sum_w2[0] + c.sum_w2[1] + c.sum_w2[2];
  if (!(W > 0.0)) throw insufficient_data("weights of the scored respondents sum to 0");
  if (!std::isfinite(W) || !std::isfinite(W2))
    throw invalid_input("weights: their sum overflows; rescale them (eNPS does not depend on the weights' scale)");
  const double pd = c.sum_w[0] / W, pp = c.sum_w[1] / W, pr = c.sum_w[2] / W;
  r.proportion_detractors = pd, r.proportion_passives = pp, r.proportion_promoters = pr;
  const double m = pr - pd;
  r.statistic = 100.0 * m;
  // sum w_i^2 (s_i - m)^2 grouped by category, s = -1, 0, +1.
  const double ss = c.sum_w2[0] * (1.0 + m) * (1.0 + m) + c.sum_w2[1] * m * m + c.sum_w2[2] * (1.0 - m) * (1.0 - m);
  const double var = r.n > 1 ? n / (n - 1.0) * ss / (W * W) : std::numeric_limits<double>::quiet_NaN();
  r.standard_error = 100.0 * std::sqrt(var * r.fpc);
  r.effective_n = W * W / W2;
  return r;
}

/**
 * eNPS of a sample of 0-10 scores (NaN = missing), optionally with survey weights.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd s(8); s << 10, 9, 7, 3, 10, 8, 6, 9;
 * auto r = engage::enps(s);                       // r.statistic == 25, r.n == 8
 * auto ci = engage::confidence_interval(r);       // Tango score interval, 95%
 * ```
 */
inline enps_result enps(vector_view scores, const enps_options& options = {}, const double* weights = nullptr) {
  return enps_from_counts(enps_count(scores, options.breaks, weights), options.population_size);
}

/// Interval estimators for eNPS (METHODS.md section 1).
enum class enps_ci_method { wald, adjusted_wald, tango, bootstrap };

/// Parses "wald", "adjusted-wald", "tango", "bootstrap".
inline enps_ci_method parse_enps_ci_method(std::string_view name) {
  if (name == "wald") return enps_ci_method::wald;
  if (name == "adjusted-wald") return enps_ci_method::adjusted_wald;
  if (name == "tango") return enps_ci_method::tango;
  if (name == "bootstrap") return enps_ci_method::bootstrap;
  throw invalid_input("method = '" + std::string(name) +
                      "': expected one of 'wald', 'adjusted-wald', 'tango', 'bootstrap'");
}

/// Settings of the bootstrap interval (percentile method, seeded so results repeat).
struct bootstrap_options {
  std::size_t n_resamples = 9999;
  std::uint64_t seed = 0;
};

namespace detail {

/// Detractor and promoter counts on which the score-type intervals work: the counts themselves, or, with
/// weights, the weighted proportions times the Kish effective n (effective-sample-size substitution).
struct effective_counts {
  double d, r, n;
};

inline effective_counts effective(const enps_result& r) {
  if (!r.weighted) return {double(r.detractors), double(r.promoters), double(r.n)};
  return {r.proportion_detractors * r.effective_n, r.proportion_promoters * r.effective_n, r.effective_n};
}

/// Tango (1998) score statistic for H0: p_R - p_D = delta, with the variance scaled by `fpc`.
inline double tango_z(double delta, double d, double r, double n, double fpc) {
  const double a = 2.0 * n;
  const double b = -d - r + (2.0 * n - r + d) * delta;
  const double c = -d * delta * (1.0 - delta);
  const double q = (std::sqrt(std::max(b * b - 4.0 * a * c, 0.0)) - b) / (2.0 * a);
  const double num = r - d - n * delta;
  const double var = n * (2.0 * q + delta * (1.0 - delta)) * fpc;
  if (!(var > 0.0)) return num > 0.0 ? std::numeric_limits<double>::infinity()
                                     : (num < 0.0 ? -std::numeric_limits<double>::infinity() : 0.0);
  return num / std::sqrt(var);
}

/// Solves Z(delta) = target for Z decreasing on [a, b] with TOMS 748, trying first the narrow bracket
/// [guess - h, guess + h] (the Wald end is usually within h of the root, which saves a third of the
/// evaluations) and falling back to [a, b]. The ends of [-1, 1] are nudged inwards because Z is infinite there.
inline double tango_root(double d, double r, double n, double fpc, double target, double a, double b, double guess,
                         double h) {
  auto f = [&](double delta) { return tango_z(delta, d, r, n, fpc) - target; };
  const double eps = 1e-13;
  a = std::max(a, -1.0 + eps), b = std::min(b, 1.0 - eps);
  auto solve = [&](double lo, double hi, double flo, double fhi) {
    std::uintmax_t iterations = 200;
    const auto [x0, x1] = boost::math::tools::toms748_solve(
        f, lo, hi, flo, fhi, boost::math::tools::eps_tolerance<double>(50), iterations, math_policy());
    return 0.5 * (x0 + x1);
  };
  if (h > 0.0) {
    const double lo = std::max(a, guess - h), hi = std::min(b, guess + h);
    if (lo < hi) {
      const double flo = f(lo), fhi = f(hi);
      if (flo > 0.0 && fhi < 0.0) return solve(lo, hi, flo, fhi);
    }
  }
  const double fa = f(a), fb = f(b);
  if (fa <= 0.0) return a;  // the root is within eps of the bound
  if (fb >= 0.0) return b;
  return solve(a, b, fa, fb);
}

inline interval tango_interval(double d, double r, double n, double fpc, double z) {
  const double est = (r - d) / n;
  const double pd = d / n, pr = r / n;
  const double wald = z * std::sqrt(std::max((pr + pd) - (pr - pd) * (pr - pd), 0.0) / n * fpc);
  interval ci{-1.0, 1.0};  // every respondent a detractor (promoter) puts the lower (upper) end at -1 (1)
  if (d < n) ci.low = tango_root(d, r, n, fpc, z, -1.0, est, est - wald, 0.25 * wald);
  if (r < n) ci.high = tango_root(d, r, n, fpc, -z, est, 1.0, est + wald, 0.25 * wald);
  return ci;
}

inline interval percentile_interval(std::vector<double>& draws, double level) {
  std::sort(draws.begin(), draws.end());
  const double tail = (1.0 - level) / 2.0;
  return {sorted_quantile(draws, tail), sorted_quantile(draws, 1.0 - tail)};
}

inline void check_bootstrap(const bootstrap_options& b) {
  detail::require_resamples(b.n_resamples, 9999);
}

}  // namespace detail

/**
 * Percentile bootstrap interval from counts: each resample is a multinomial draw of n respondents with the
 * observed proportions (identical in distribution to resampling the respondents, at O(1) per resample).
 * Unweighted results only; for weights use `enps_bootstrap_interval(scores, weights, ...)`.
 */
inline interval enps_bootstrap_interval(const enps_result& r, double confidence_level = 0.95,
                                        const bootstrap_options& boot = {}) {
  detail::require_confidence_level(confidence_level);
  detail::check_bootstrap(boot);
  if (r.weighted) {
    throw invalid_input("method = 'bootstrap' on a weighted result needs the data: call "
                        "enps_bootstrap_interval(scores, weights, ...)");
  }
  boost::random::mt19937_64 gen(boot.seed);
  const auto n = static_cast<long long>(r.n);
  const double pr = r.proportion_promoters;
  const double pd_given_not_r = pr < 1.0 ? r.proportion_detractors / (1.0 - pr) : 0.0;
  std::vector<double> draws(boot.n_resamples);
  for (auto& x : draws) {
    const long long nr = boost::random::binomial_distribution<long long, double>(n, pr)(gen);
    const long long nd = boost::random::binomial_distribution<long long, double>(n - nr, pd_given_not_r)(gen);
    x = 100.0 * static_cast<double>(nr - nd) / static_cast<double>(n);
  }
  return detail::percentile_interval(draws, confidence_level);
}

/// Percentile bootstrap interval of the weighted eNPS, resampling respondents (rows with NaN are dropped).
inline interval enps_bootstrap_interval(vector_view scores, vector_view weights, double confidence_level = 0.95,
                                        const bootstrap_options& boot = {}, const enps_breaks& breaks = {}) {
  detail::require_confidence_level(confidence_level);
  detail::check_bootstrap(boot);
  detail::require_same_length("scores", static_cast<std::size_t>(scores.size()), "weights",
                              static_cast<std::size_t>(weights.size()));
  detail::check_breaks(breaks);
  std::vector<double> s, w;
  for (Eigen::Index i = 0; i < scores.size(); ++i) {
    detail::check_weight(weights[i], static_cast<std::size_t>(i));
    if (std::isnan(scores[i])) continue;
    const auto k = detail::classify(scores[i], static_cast<std::size_t>(i), breaks, "scores");
    s.push_back(static_cast<double>(k) - 1.0);
    w.push_back(weights[i]);
  }
  if (s.empty()) throw insufficient_data("no eNPS scores: all values are missing");
  boost::random::mt19937_64 gen(boot.seed);
  boost::random::uniform_int_distribution<std::size_t> pick(0, s.size() - 1);
  std::vector<double> draws;
  draws.reserve(boot.n_resamples);
  for (std::size_t b = 0; b < boot.n_resamples; ++b) {
    double sw = 0.0, sws = 0.0;
    for (std::size_t j = 0; j < s.size(); ++j) {
      const std::size_t i = pick(gen);
      sw += w[i], sws += w[i] * s[i];
    }
    if (sw > 0.0) draws.push_back(100.0 * sws / sw);  // a resample of only zero weights has no estimate
  }
  if (draws.size() < 2) throw insufficient_data("bootstrap: fewer than 2 resamples had positive total weight");
  return detail::percentile_interval(draws, confidence_level);
}

/**
 * Confidence interval of an eNPS in points.
 * - `wald`: estimate +/- z SE; zero width when everyone is in one category, can leave [-100, 100].
 * - `adjusted_wald`: pseudo-counts 3/4, 3/2, 3/4 added (Rocks 2016), centred on the shrunk estimate.
 * - `tango`: the score interval (Tango 1998), always inside [-100, 100]; the default.
 * - `bootstrap`: percentile, seeded (unweighted results; see `enps_bootstrap_interval` for weights).
 * Weighted results use the Kish effective n for adjusted Wald and Tango; all methods apply the FPC.
 *
 * **Example**:
 * ```
 * engage::enps_counts c; c.detractors = 20; c.passives = 30; c.promoters = 50;
 * auto ci = engage::confidence_interval(engage::enps_from_counts(c));   // {13.955..., 44.339...}
 * ```
 */
inline interval confidence_interval(const enps_result& r, double confidence_level = 0.95,
                                    enps_ci_method method = enps_ci_method::tango,
                                    const bootstrap_options& boot = {});

namespace detail {

/// The interval with the critical value z already computed (a grouped table computes it once, not per group).
inline interval confidence_interval_z(const enps_result& r, double z, double confidence_level, enps_ci_method method,
                                      const bootstrap_options& boot) {
  switch (method) {
    case enps_ci_method::wald:
      return {r.statistic - z * r.standard_error, r.statistic + z * r.standard_error};
    case enps_ci_method::adjusted_wald: {
      const auto e = detail::effective(r);
      const double n = e.n + 3.0;
      const double pd = (e.d + 0.75) / n, pr = (e.r + 0.75) / n;
      const double est = (e.r - e.d) / n;
      const double se = std::sqrt(std::max((pr + pd) - (pr - pd) * (pr - pd), 0.0) / n * r.fpc);
      return {100.0 * (est - z * se), 100.0 * (est + z * se)};
    }
    case enps_ci_method::tango: {
      const auto e = detail::effective(r);
      const interval ci = detail::tango_interval(e.d, e.r, e.n, r.fpc, z);
      return {100.0 * ci.low, 100.0 * ci.high};
    }
    case enps_ci_method::bootstrap:
      return enps_bootstrap_interval(r, confidence_level, boot);
  }
  throw invalid_input("unknown interval method");
}

}  // namespace detail

inline interval confidence_interval(const enps_result& r, double confidence_level, enps_ci_method method,
                                    const bootstrap_options& boot) {
  return detail::confidence_interval_z(r, detail::normal_critical(confidence_level), confidence_level, method, boot);
}

/// Difference between two eNPS (a - b), in points, with its test.
struct enps_difference {
  double difference;      ///< statistic of a minus statistic of b (signed)
  double standard_error;  ///< in points
  double z;
  double pvalue;          ///< two-sided, normal
};

/**
 * Two independent samples: difference a - b with SE = sqrt(SE_a^2 + SE_b^2), z and the two-sided p-value.
 *
 * **Example**:
 * ```
 * auto d = engage::enps_compare(engage::enps(x), engage::enps(y));   // d.difference, d.pvalue
 * ```
 */
inline enps_difference enps_compare(const enps_result& a, const enps_result& b) {
  enps_difference d{};
  d.difference = a.statistic - b.statistic;
  d.standard_error = std::hypot(a.standard_error, b.standard_error);
  d.z = d.difference / d.standard_error;
  d.pvalue = std::isinf(d.z) ? 0.0 : detail::normal_two_sided_p(d.z);
  return d;
}

/// Interval methods for a difference of independent eNPS: Wald, or MOVER from the two Tango intervals.
enum class enps_difference_ci_method { wald, mover };

inline enps_difference_ci_method parse_enps_difference_ci_method(std::string_view name) {
  if (name == "wald") return enps_difference_ci_method::wald;
  if (name == "mover") return enps_difference_ci_method::mover;
  throw invalid_input("method = '" + std::string(name) + "': expected 'mover' or 'wald'");
}

/**
 * Interval for a - b. MOVER (Zou & Donner 2008) combines the Tango intervals (l_i, u_i) of each sample:
 * L = D - sqrt((N_a - l_a)^2 + (u_b - N_b)^2), U = D + sqrt((u_a - N_a)^2 + (N_b - l_b)^2).
 */
inline interval enps_compare_interval(const enps_result& a, const enps_result& b, double confidence_level = 0.95,
                                      enps_difference_ci_method method = enps_difference_ci_method::mover) {
  const double z = detail::normal_critical(confidence_level);
  const double diff = a.statistic - b.statistic;
  if (method == enps_difference_ci_method::wald) {
    const double se = std::hypot(a.standard_error, b.standard_error);
    return {diff - z * se, diff + z * se};
  }
  const interval ia = confidence_interval(a, confidence_level, enps_ci_method::tango);
  const interval ib = confidence_interval(b, confidence_level, enps_ci_method::tango);
  return {diff - std::hypot(a.statistic - ia.low, ib.high - b.statistic),
          diff + std::hypot(ia.high - a.statistic, b.statistic - ib.low)};
}

/// Two waves of the same respondents (paired), in points.
struct enps_paired_result {
  /// transitions[i][j]: respondents in category i (detractor, passive, promoter) in wave a and j in wave b.
  std::array<std::array<std::uint64_t, 3>, 3> transitions{};
  std::uint64_t n;        ///< pairs with both scores
  std::uint64_t missing;  ///< pairs dropped because either score is missing
  double statistic_a, statistic_b;
  double difference;      ///< statistic_a - statistic_b = mean of d_i = s_ia - s_ib
  double standard_error;  ///< sd(d) / sqrt(n), sd with divisor n - 1
  double z, pvalue;
};

/**
 * Paired comparison of two waves answered by the same people (row i of `a` and `b` is one respondent).
 * Pairs with a missing score in either wave are dropped and counted. Needs at least 2 complete pairs.
 *
 * **Example**:
 * ```
 * auto p = engage::enps_compare_paired(wave1, wave2);   // p.transitions, p.difference, p.pvalue
 * ```
 */
inline enps_paired_result enps_compare_paired(vector_view a, vector_view b, const enps_breaks& breaks = {}) {
  detail::check_breaks(breaks);
  detail::require_same_length("a", static_cast<std::size_t>(a.size()), "b", static_cast<std::size_t>(b.size()));
  enps_paired_result r{};
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const bool ma = std::isnan(a[i]), mb = std::isnan(b[i]);
    // Classify both first so an invalid score is reported even when its partner is missing.
    const auto ca = ma ? enps_category::passive : detail::classify(a[i], static_cast<std::size_t>(i), breaks, "a");
    const auto cb = mb ? enps_category::passive : detail::classify(b[i], static_cast<std::size_t>(i), breaks, "b");
    if (ma || mb) {
      ++r.missing;
      continue;
    }
    ++r.transitions[static_cast<std::size_t>(ca)][static_cast<std::size_t>(cb)];
  }
  double n = 0, sa = 0, sb = 0, sd = 0, sdd = 0;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      const double c = static_cast<double>(r.transitions[i][j]);
      const double d = static_cast<double>(i - j);  // s_a - s_b with s = category - 1
      n += c, sa += c * (i - 1), sb += c * (j - 1), sd += c * d, sdd += c * d * d;
    }
  }
  r.n = static_cast<std::uint64_t>(n);
  if (r.n < 2) {
    throw insufficient_data("paired eNPS needs at least 2 respondents with both scores; found " +
                            std::to_string(r.n) + " (" + std::to_string(r.missing) + " pairs incomplete)");
  }
  r.statistic_a = 100.0 * sa / n;
  r.statistic_b = 100.0 * sb / n;
  const double mean = sd / n;
  r.difference = 100.0 * mean;
  const double var = std::max((sdd - n * mean * mean) / (n - 1.0), 0.0);
  r.standard_error = 100.0 * std::sqrt(var / n);
  r.z = r.difference / r.standard_error;
  r.pvalue = std::isinf(r.z) ? 0.0 : detail::normal_two_sided_p(r.z);
  return r;
}

/// Options of the grouped eNPS table.
struct enps_by_options {
  enps_breaks breaks{};
  /// Population size of a group key for the finite-population correction (census surveys); unset = none.
  std::function<double(std::int64_t)> population_of{};
  double confidence_level = 0.95;
  enps_ci_method method = enps_ci_method::tango;
  bootstrap_options bootstrap{};
  std::size_t min_group_size = 5;
  /// Parent partition of a group key for complementary suppression (e.g. the department of a team whose key
  /// is department * stride + team); unset = one partition.
  std::function<std::int64_t(std::int64_t)> parent_of{};
  /// Also compare each group with the rest of the company (all other groups together).
  bool compare_rest = false;
  p_adjust_method p_adjust = p_adjust_method::holm;
  /// Whether the respondent count of a hidden group is published (its figures never are).
  bool show_suppressed_n = false;
  /// The release the table is published in (default: a release of its own, with `min_group_size`).
  publication publish{};
};

/// One row of the grouped table. Hidden rows carry NaN figures and zero counts (and n = 0 unless
/// `show_suppressed_n`), so nothing below the minimum can leak into any output built from them.
struct enps_group_row {
  std::int64_t key;
  enps_result result;
  interval ci;
  suppression status;
  bool unanimous;  ///< shown, and every answer in one category (each member's category is known)
  double difference_vs_rest, standard_error_vs_rest, z_vs_rest, pvalue_vs_rest, pvalue_adjusted;
};

namespace detail {
/// The grouped table from the groups' counts (the body of `enps_by`); `category_of(i)` is row i's category
/// (0 detractor, 1 passive, 2 promoter, 3 missing), read only when the table goes into a shared release.
template <class CategoryOf>
std::vector<enps_group_row> enps_table(const keyed<enps_counts>& grouped, codes_view keys,
                                       const enps_by_options& options, const double* weights,
                                       CategoryOf&& category_of) {
  const double z = detail::normal_critical(options.confidence_level);
  const auto& counts = grouped.values;
  const std::size_t n_groups = counts.size();
  group_summary summary{&grouped.keys, std::vector<std::size_t>(n_groups), std::vector<std::int32_t>(n_groups), {}};
  if (weights) summary.effective_n.resize(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) {
    const auto& c = counts[g];
    summary.n[g] = static_cast<std::size_t>(c.n());
    summary.sole_category[g] = sole_of({c.detractors, c.passives, c.promoters});
    if (weights) {
      const double w = c.sum_w[0] + c.sum_w[1] + c.sum_w[2], w2 = c.sum_w2[0] + c.sum_w2[1] + c.sum_w2[2];
      summary.effective_n[g] = w2 > 0 ? w * w / w2 : 0.0;
    }
  }
  const auto decision = decide_groups(
      options.publish, options.min_group_size, options.parent_of, summary, static_cast<std::size_t>(keys.size()),
      [&](auto&& emit) {
        const auto group = group_of_rows(keys, grouped.keys);
        for (std::size_t i = 0; i < group.size(); ++i) {
          const std::size_t cat = category_of(i);
          emit(i, group[i], cat < 3 ? 0 : no_answer, static_cast<std::int32_t>(cat < 3 ? cat : 0));
        }
      },
      "enps_by");
  const auto& status = decision.status;

  enps_counts total;
  total.weighted = weights != nullptr;
  for (const auto& c : counts) total += c;
  if (total.n() == 0) {
    throw insufficient_data(keys.size() == 0 ? std::string("no rows: the grouped eNPS needs at least one score")
                                             : "no eNPS scores: all " + std::to_string(total.missing) +
                                                   " values are missing (need at least one)");
  }

  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<enps_group_row> rows(n_groups);
  std::vector<double> pvalues(n_groups, nan);
  // Groups are independent: their intervals (a root search each for Tango) are computed in parallel chunks.
  // Groups with the same counts have the same score interval, and in survey data many small teams share their
  // counts, so each chunk remembers the Tango intervals it has solved (unweighted, no FPC).
  const bool memo = options.method == enps_ci_method::tango && !weights && !options.population_of;
  detail::parallel_chunks(n_groups, 4096, [&](std::size_t begin, std::size_t end, std::size_t) {
  std::unordered_map<std::uint64_t, interval> solved;
  for (std::size_t g = begin; g < end; ++g) {
    auto& row = rows[g];
    row.key = grouped.keys[g];
    row.status = status[g];
    row.unanimous = status[g] == suppression::shown && decision.unanimous[g];
    row.difference_vs_rest = row.standard_error_vs_rest = row.z_vs_rest = row.pvalue_vs_rest = nan;
    if (status[g] != suppression::shown) {
      row.result = enps_result{};
      row.result.statistic = row.result.standard_error = row.result.effective_n = nan;
      row.result.proportion_promoters = row.result.proportion_passives = row.result.proportion_detractors = nan;
      row.result.fpc = nan;
      row.result.weighted = weights != nullptr;
      row.result.n = options.show_suppressed_n ? counts[g].n() : 0;
      row.ci = {nan, nan};
      continue;
    }
    std::optional<double> population;
    if (options.population_of) population = options.population_of(row.key);
    row.result = enps_from_counts(counts[g], population);
    const auto& c = counts[g];
    if (memo && c.n() < (std::uint64_t{1} << 21)) {
      const std::uint64_t id = (c.detractors << 42) | (c.promoters << 21) | c.n();
      const auto [it, fresh] = solved.try_emplace(id);
      if (fresh) it->second = detail::confidence_interval_z(row.result, z, options.confidence_level, options.method,
                                                            options.bootstrap);
      row.ci = it->second;
    } else {
      row.ci = detail::confidence_interval_z(row.result, z, options.confidence_level, options.method, options.bootstrap);
    }
    if (options.compare_rest) {
      const auto rest_counts = total - counts[g];
      if (rest_counts.n() > 0) {
        const auto d = enps_compare(row.result, enps_from_counts(rest_counts));
        row.difference_vs_rest = d.difference, row.standard_error_vs_rest = d.standard_error;
        row.z_vs_rest = d.z, row.pvalue_vs_rest = d.pvalue;
        pvalues[g] = d.pvalue;
      }
    }
  }
  });
  const auto adjusted = adjust_pvalues(pvalues, options.p_adjust);
  for (std::size_t g = 0; g < n_groups; ++g) rows[g].pvalue_adjusted = adjusted[g];
  return rows;
}
}  // namespace detail

/**
 * The grouped eNPS table: one pass over the rows, then O(groups) work, under the confidentiality engine.
 * `keys` are integer group keys (see `enps_count_by`); rows come out sorted by key.
 * With `compare_rest`, each shown group is compared with all other respondents (total minus the group's
 * counts) and the p-values are adjusted across the shown groups. A hidden group has no "rest" figure either,
 * since total minus rest would give it away.
 *
 * **Example**:
 * ```
 * engage::enps_by_options o; o.compare_rest = true;
 * auto rows = engage::enps_by(scores, team_ids, o);
 * for (auto& row : rows) if (row.status == engage::suppression::shown) use(row.key, row.result.statistic, row.ci);
 * ```
 */
inline std::vector<enps_group_row> enps_by(vector_view scores, codes_view keys, const enps_by_options& options = {},
                                           const double* weights = nullptr) {
  const detail::classifier category(options.breaks);
  return detail::enps_table(detail::count_by(scores.data(), static_cast<std::size_t>(scores.size()), keys,
                                             options.breaks, weights),
                            keys, options, weights, [&](std::size_t i) { return category(scores[Eigen::Index(i)], i); });
}

/// The same table from whole-number scores (an int64 column, read without conversion).
inline std::vector<enps_group_row> enps_by(Eigen::Ref<const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>> scores,
                                           codes_view keys, const enps_by_options& options = {},
                                           const double* weights = nullptr) {
  const detail::classifier category(options.breaks);
  return detail::enps_table(detail::count_by(scores.data(), static_cast<std::size_t>(scores.size()), keys,
                                             options.breaks, weights),
                            keys, options, weights,
                            [&](std::size_t i) { return category(double(scores[Eigen::Index(i)]), i); });
}

}  // namespace engage
