#pragma once
/// @file agreement.hpp
/// Within-group agreement and aggregation: may the answers of a team's members be averaged into one team score?
/// James, Demaree & Wolf's rwg and rwg(j), Lindell's r*wg(j), the average deviation AD_M(J), Brown & Hauenstein's
/// a_wg (per group, under the confidentiality engine), and the one-way ANOVA ICC(1) and ICC(2) of the whole sample
/// with F-based intervals.
///
/// Formulas: METHODS.md section 4. Reference implementation: R multilevel 2.7 (Bliese), whose outputs these
/// functions reproduce, edge cases included (tests/data/agreement_reference.R):
///   rwg      = 1 - s^2 / sigma_E^2,  0 when s^2 > sigma_E^2 (James et al. 1984 truncation)
///   rwg(j)   = J (1 - sbar^2/sigma_E^2) / (J (1 - sbar^2/sigma_E^2) + sbar^2/sigma_E^2),  0 when sbar^2 > sigma_E^2
///   r*wg(j)  = 1 - sbar^2 / sigma_E^2  (Lindell, Brandt & Whitney 1999; not truncated, can be negative)
///   AD_M(J)  = mean over items of sum_k |x_jk - centre_j| / n  (centre = item mean or median; Burke et al. 1999)
///   a_wg     = 1 - 2 s^2 / ((H + L) M - M^2 - H L) * (k - 1)/k  (Brown & Hauenstein 2005), per item; several
///              items: the mean of the items' defined values
///   ICC(1)   = (MSB - MSW) / (MSB + (kbar - 1) MSW),  ICC(2) = (MSB - MSW) / MSB,  kbar = N / J
/// s^2 is the within-group variance with divisor n - 1 (as R's var) and sbar^2 the mean of the item variances.
///
/// Missing data: NaN = missing. One item: a missing answer is dropped and counted in `missing`. Several items:
/// `missing_policy::listwise` (default; what multilevel 2.7 does, and its default before 2.8) drops a respondent
/// with any missing item; `missing_policy::pairwise` uses every answer of each item (each item's variance, mean and
/// median from the respondents who answered it; multilevel 2.8 made an option of this kind its default).
///
/// Not defined (NaN in `statistic`, never an error): a group with fewer than two usable respondents (agreement
/// among raters needs two raters; R gives NA), a_wg when the group mean is outside its feasible band, and under
/// pairwise deletion an item answered by fewer than two respondents of the group.

#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "confidentiality.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"

namespace engage {

/// A read-only view of an item matrix: one row per respondent, one column per item (numpy C order maps onto it).
using matrix_view = Eigen::Ref<const row_matrix>;

// ---------------------------------------------------------------------------------------------------------------
// The null (expected random) variance sigma_E^2
// ---------------------------------------------------------------------------------------------------------------

/// Response distributions expected when raters answer at random, for sigma_E^2 of the rwg family.
enum class null_distribution { uniform, slight_skew, moderate_skew, heavy_skew, triangular, normal };

/// Parses "uniform", "slight_skew", "moderate_skew", "heavy_skew", "triangular", "normal".
inline null_distribution parse_null_distribution(std::string_view name) {
  if (name == "uniform") return null_distribution::uniform;
  if (name == "slight_skew") return null_distribution::slight_skew;
  if (name == "moderate_skew") return null_distribution::moderate_skew;
  if (name == "heavy_skew") return null_distribution::heavy_skew;
  if (name == "triangular") return null_distribution::triangular;
  if (name == "normal") return null_distribution::normal;
  throw invalid_input("null distribution '" + std::string(name) +
                      "': expected one of 'uniform', 'slight_skew', 'moderate_skew', 'heavy_skew', 'triangular', "
                      "'normal'");
}

/**
 * sigma_E^2 of a null response distribution on an A-point scale.
 *
 * `uniform` (rectangular; multilevel's `ranvar` default) is (A^2 - 1)/12 for any A >= 2: 2.0 for A = 5, 4.0 for
 * A = 7. The other shapes are tabulated for A = 5 only, as in LeBreton & Senter (2008; the values 1.34, 0.90,
 * 0.44, 1.32, 1.04 agree with the table in LeBreton's own WGA R package): slight skew 1.34, moderate skew 0.90,
 * heavy skew 0.44, triangular 1.32, normal 1.04. For other scales pass the variance as a number.
 *
 * **Example**:
 * ```
 * double s7 = engage::null_variance(7);                                            // 4.0
 * double sk = engage::null_variance(5, engage::null_distribution::slight_skew);    // 1.34
 * ```
 */
inline double null_variance(int scale_points, null_distribution shape = null_distribution::uniform) {
  if (scale_points < 2) {
    throw invalid_input("scale_points = " + std::to_string(scale_points) + ": a scale needs at least 2 points");
  }
  if (shape == null_distribution::uniform) {
    const double a = scale_points;
    return (a * a - 1.0) / 12.0;
  }
  if (scale_points != 5) {
    throw invalid_input("scale_points = " + std::to_string(scale_points) +
                        ": the skewed, triangular and normal null variances are tabulated for 5-point scales only; "
                        "pass the null variance as a number for other scales");
  }
  switch (shape) {
    case null_distribution::slight_skew: return 1.34;
    case null_distribution::moderate_skew: return 0.90;
    case null_distribution::heavy_skew: return 0.44;
    case null_distribution::triangular: return 1.32;
    case null_distribution::normal: return 1.04;
    case null_distribution::uniform: break;
  }
  return 2.0;
}

// ---------------------------------------------------------------------------------------------------------------
// Options and the grouped row
// ---------------------------------------------------------------------------------------------------------------

/// Missing-data policy of the multi-item statistics (shared by the item areas): `listwise` uses only respondents
/// who answered every item; `pairwise` uses every available answer (each item's, or each pair of items',
/// statistics from the respondents who answered them).
enum class missing_policy { listwise, pairwise };

/// Parses "listwise", "pairwise".
inline missing_policy parse_missing_policy(std::string_view name) {
  if (name == "listwise") return missing_policy::listwise;
  if (name == "pairwise") return missing_policy::pairwise;
  throw invalid_input("missing = '" + std::string(name) + "': expected 'listwise' or 'pairwise'");
}

/// Centre of the average deviation index.
enum class ad_center { mean, median };

/// Parses "mean", "median".
inline ad_center parse_ad_center(std::string_view name) {
  if (name == "mean") return ad_center::mean;
  if (name == "median") return ad_center::median;
  throw invalid_input("type = '" + std::string(name) + "': expected 'mean' or 'median'");
}

/// Lowest and highest response option of a scale (a_wg), e.g. {1, 5}.
struct scale_range {
  double low = 1.0;
  double high = 5.0;
};

/// Options shared by the grouped agreement tables.
struct agreement_options {
  missing_policy missing = missing_policy::listwise;
  std::size_t min_group_size = 5;
  /// Parent partition of a group key for complementary suppression (see `enps_by_options`); unset = one partition.
  std::function<std::int64_t(std::int64_t)> parent_of{};
  /// Whether the respondent count of a hidden group is published (its figures never are).
  bool show_suppressed_n = false;
  /// rwg family: the widest difference two answers may have, A - 1 on an A-point scale (answers further apart
  /// cannot come from the scale the null variance describes and are reported as an error); infinity = unchecked.
  double max_span = std::numeric_limits<double>::infinity();
  /// The release the table is published in (default: a release of its own); `publish.measures` names the items.
  publication publish{};
};

/// One group of an agreement table. Hidden rows carry NaN figures and zero counts (n = 0 unless
/// `show_suppressed_n`).
struct agreement_row {
  std::int64_t key;
  double statistic;     ///< the index; NaN when not defined for the group (see the file comment) or hidden
  double variance;      ///< s^2 (one item) or the mean item variance sbar^2, divisor n - 1
  std::size_t n;        ///< respondents the figure uses (listwise: complete rows; pairwise: rows with an answer)
  std::size_t missing;  ///< rows of the group not used (every answer missing; listwise: any answer missing)
  std::size_t items;    ///< items entering the figure (a_wg: items whose a_wg is defined)
  suppression status;
};

namespace detail {

[[noreturn]] inline void fail_answer(std::string_view argument, Eigen::Index row, Eigen::Index col, Eigen::Index cols,
                                   double value, std::string_view why) {
  if (cols == 1) fail_at(argument, static_cast<std::size_t>(row), value, why);
  throw invalid_input(std::string(argument) + "[" + std::to_string(row) + ", " + std::to_string(col) +
                      "] = " + format_value(value) + ": " + std::string(why));
}

inline void check_answer(double v, std::string_view argument, Eigen::Index row, Eigen::Index col, Eigen::Index cols) {
  if (std::isinf(v)) fail_answer(argument, row, col, cols, v, "answers must be finite numbers (NaN = missing)");
}

inline void check_null_variance(double v) {
  if (!(std::isfinite(v) && v > 0.0)) {
    throw invalid_input("null_variance = " + format_value(v) + ": must be a positive finite number");
  }
}

inline void check_shape(const matrix_view& items, codes_view keys, std::string_view argument) {
  if (items.cols() < 1) throw invalid_input(std::string(argument) + " has no columns: need at least one item");
  // A single column is the caller's 1-D x; a matrix is compared by its rows.
  require_same_length(items.cols() == 1 && argument == "x" ? std::string(argument) : std::string(argument) + " (rows)",
                      static_cast<std::size_t>(items.rows()), "groups", static_cast<std::size_t>(keys.size()));
}

/**
 * Per-group moments of every item, one mergeable accumulator per group filled in the single pass: Welford's
 * running mean and sum of squared deviations (numerically stable where n, sum and sum of squares are not, with
 * the same information).
 */
struct item_moments {
  std::uint64_t rows = 0;  ///< rows of the group
  std::uint64_t used = 0;  ///< rows contributing (listwise: complete; pairwise: at least one answer)
  std::vector<double> count, mean, m2;

  void add(double v, std::size_t j) {
    count[j] += 1.0;
    const double d = v - mean[j];
    mean[j] += d / count[j];
    m2[j] += d * (v - mean[j]);
  }
  /// Sample variance (divisor n - 1) of item j; NaN below two answers.
  [[nodiscard]] double variance(std::size_t j) const {
    return count[j] >= 2.0 ? m2[j] / (count[j] - 1.0) : std::numeric_limits<double>::quiet_NaN();
  }
};

[[noreturn]] inline void off_scale(std::string_view argument, Eigen::Index row, Eigen::Index col, Eigen::Index cols,
                                    double v, const scale_range& range) {
  fail_answer(argument, row, col, cols, v,
            "answers must lie on the scale [" + format_value(range.low) + ", " + format_value(range.high) + "]");
}

/// The cell of an answer, as an error message names it: "x[3]" (one item) or "items[3, 1]".
inline std::string cell_name(std::string_view argument, Eigen::Index row, Eigen::Index col, Eigen::Index cols) {
  return std::string(argument) + "[" + std::to_string(row) + (cols == 1 ? "" : ", " + std::to_string(col)) + "]";
}

/// The extreme answers seen so far (for the scale-span check), with their cells; ties keep the first row.
struct answer_extremes {
  double lowest = std::numeric_limits<double>::infinity(), highest = -std::numeric_limits<double>::infinity();
  Eigen::Index low_row = 0, low_col = 0, high_row = 0, high_col = 0;
};

/// The first bad answer in row order (an infinite answer, or one off `range`), as one sequential sweep finds it.
inline void first_bad_answer(const matrix_view& items, std::string_view argument, const scale_range* range) {
  const Eigen::Index cols = items.cols();
  for (Eigen::Index i = 0; i < items.rows(); ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      const double v = items(i, j);
      check_answer(v, argument, i, j, cols);
      if (range && (v < range->low || v > range->high)) off_scale(argument, i, j, cols, v, *range);
    }
  }
}

#if defined(__SIZEOF_INT128__)  // the exact pass needs 128-bit integers (GCC, Clang); others use the general path
/// Largest |answer| the exact whole-number pass takes: sums of squares stay exact in a double for any n.
inline constexpr double integer_answer_limit = 1000.0;

/// What one flat sweep over a block of answers finds: an answer that is not a whole number in [low, high]
/// (infinite ones included), any missing answer (NaN), and the smallest and largest answer.
struct block_check {
  bool bad = false, holes = false;
  double lowest = std::numeric_limits<double>::infinity(), highest = -std::numeric_limits<double>::infinity();
};

/// The sweep, two answers at a time with SSE2 where available (the compiler does not vectorise these mixed
/// comparisons on its own); the scalar loop is the reference and handles the tail.
inline block_check check_block(const double* x, std::size_t m, double low, double high) {
  constexpr double round = 0x1.8p52;  // adding and subtracting it rounds |v| < 2^51 to a whole number
  block_check out;
  std::size_t t = 0;
#if defined(__SSE2__)
  const __m128d vlow = _mm_set1_pd(low), vhigh = _mm_set1_pd(high), vround = _mm_set1_pd(round);
  __m128d bad = _mm_setzero_pd(), holes = _mm_setzero_pd();
  __m128d lo = _mm_set1_pd(out.lowest), hi = _mm_set1_pd(out.highest);
  for (; t + 2 <= m; t += 2) {
    const __m128d v = _mm_loadu_pd(x + t);
    const __m128d nan = _mm_cmpunord_pd(v, v);
    const __m128d whole = _mm_cmpeq_pd(_mm_sub_pd(_mm_add_pd(v, vround), vround), v);
    const __m128d fine = _mm_and_pd(_mm_and_pd(_mm_cmpge_pd(v, vlow), _mm_cmple_pd(v, vhigh)), whole);
    bad = _mm_or_pd(bad, _mm_andnot_pd(_mm_or_pd(fine, nan), _mm_castsi128_pd(_mm_set1_epi32(-1))));
    holes = _mm_or_pd(holes, nan);
    lo = _mm_min_pd(v, lo);  // with a NaN answer minpd returns its second operand: NaN is skipped
    hi = _mm_max_pd(v, hi);
  }
  out.bad = _mm_movemask_pd(bad) != 0;
  out.holes = _mm_movemask_pd(holes) != 0;
  alignas(16) double l[2], h[2];
  _mm_store_pd(l, lo);
  _mm_store_pd(h, hi);
  out.lowest = std::min(l[0], l[1]);
  out.highest = std::max(h[0], h[1]);
#endif
  for (; t < m; ++t) {
    const double v = x[t];
    if (v != v) {
      out.holes = true;
      continue;
    }
    out.bad = out.bad || !(v >= low && v <= high && (v + round) - round == v);
    out.lowest = std::min(out.lowest, v);
    out.highest = std::max(out.highest, v);
  }
  return out;
}

/// The fast path of `moments_by` for whole-number answers (Likert scales): one sequential pass over the rows in
/// chunks over threads, each chunk adding count, sum and sum of squares per group and item. The answers are whole
/// numbers of at most 1000 in size, so these sums are integers below 2^53 and every addition is exact: the chunks
/// merge exactly, the result depends neither on the number of threads nor on row order, and the variance
/// numerator c ss - s^2 is exact (128-bit integers) before the division. No sort and no random
/// reads of the answers: only the group's accumulators are random-accessed. The per-row checks are plain
/// floating-point comparisons the compiler vectorises (whole numbers: (v + 1.5 2^52) - 1.5 2^52 == v).
///
/// Returns false (leaving `out` untouched) when an answer is not a whole number in [-1000, 1000], is infinite or
/// lies off `range`, or when the per-thread accumulators would outgrow the input; `moments_by` then takes the
/// general path, which reports bad answers.
inline bool integer_moments_by(const matrix_view& items, const std::int64_t* k, std::uint64_t base, std::size_t slots,
                               const std::vector<std::int64_t>* slot_keys, bool listwise, const scale_range* range,
                               bool span_checked, keyed<item_moments>& out, answer_extremes& extremes) {
  const auto n = static_cast<std::size_t>(items.rows());
  const auto jn = static_cast<std::size_t>(items.cols());
  constexpr std::size_t min_chunk = std::size_t{1} << 15;
  const std::size_t chunks = chunk_count(n, min_chunk);
  // per slot: rows, used, complete rows, then counts[jn] (answers of incomplete rows), sums[jn], squares[jn]
  const std::size_t width = 3 * jn + 3;
  const double budget = std::max(static_cast<double>(n) * static_cast<double>(jn), double(1 << 22));
  if (static_cast<double>(slots) * static_cast<double>(width) * static_cast<double>(chunks) > budget) return false;
  if (static_cast<double>(n) * integer_answer_limit * integer_answer_limit > 0x1p53) return false;
  std::vector<std::vector<double>> acc(chunks);
  std::vector<answer_extremes> ext(chunks);
  std::vector<std::uint8_t> stop(chunks, 0);
  const double low = range ? std::max(range->low, -integer_answer_limit) : -integer_answer_limit;
  const double high = range ? std::min(range->high, integer_answer_limit) : integer_answer_limit;
  const double* const data = items.data();
  const auto stride = static_cast<std::size_t>(items.outerStride());
  // Captured by value so that the compiler keeps them in registers (by reference they are reloaded after every
  // store to the accumulators, which could alias them).
  parallel_chunks(n, min_chunk, [&, data, stride, jn, width, low, high, listwise, span_checked, k, base](
                                    std::size_t b, std::size_t e, std::size_t c) {
    constexpr std::size_t block = 256, ahead = 8;
    auto& a = acc[c];
    a.assign(slots * width, 0.0);
    double* const a0 = a.data();
    answer_extremes x_ext;
    auto group = [&](std::size_t r) { return a0 + (static_cast<std::uint64_t>(k[r]) - base) * width; };
    for (std::size_t r0 = b; r0 < e; r0 += block) {
      const std::size_t r1 = std::min(e, r0 + block);
      // 1. Check the block's answers in one flat sweep (row by row when the rows are not contiguous).
      bool bad = false, holes = false;
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (std::size_t r = r0; r < (stride == jn ? r0 + 1 : r1); ++r) {
        const auto chk = check_block(data + r * stride, stride == jn ? (r1 - r0) * jn : jn, low, high);
        bad = bad || chk.bad, holes = holes || chk.holes;
        lo = std::min(lo, chk.lowest), hi = std::max(hi, chk.highest);
      }
      if (bad) {
        stop[c] = 1;
        return;
      }
      if (span_checked && (lo < x_ext.lowest || hi > x_ext.highest)) {  // a new extreme: find its first cell
        for (std::size_t r = r0; r < r1; ++r) {
          const double* x = data + r * stride;
          for (std::size_t j = 0; j < jn; ++j) {
            const auto i = static_cast<Eigen::Index>(r), jj = static_cast<Eigen::Index>(j);
            if (x[j] < x_ext.lowest) x_ext.lowest = x[j], x_ext.low_row = i, x_ext.low_col = jj;
            if (x[j] > x_ext.highest) x_ext.highest = x[j], x_ext.high_row = i, x_ext.high_col = jj;
          }
        }
      }
      // 2. Add each row to its group (the group's accumulators prefetched a few rows ahead).
      for (std::size_t r = r0; r < r1; ++r) {
#if defined(__GNUC__) || defined(__clang__)
        if (r + ahead < e) {
          const double* p = group(r + ahead);
          for (std::size_t line = 0; line < width; line += 8) __builtin_prefetch(p + line, 1);
        }
#endif
        const double* __restrict x = data + r * stride;
        double* __restrict g = group(r);
        g[0] += 1.0;
        double* __restrict const count = g + 3;
        double* __restrict const sum = count + jn;
        double* __restrict const square = sum + jn;
        std::size_t gaps = 0;
        if (holes)
          for (std::size_t j = 0; j < jn; ++j) gaps += x[j] != x[j];
        if (gaps == 0) {  // complete row: counted once in g[2]
          g[1] += 1.0, g[2] += 1.0;
          for (std::size_t j = 0; j < jn; ++j) sum[j] += x[j], square[j] += x[j] * x[j];
        } else if (!listwise && gaps < jn) {
          g[1] += 1.0;
          for (std::size_t j = 0; j < jn; ++j) {
            const bool have = x[j] == x[j];
            const double d = have ? x[j] : 0.0;
            count[j] += have ? 1.0 : 0.0, sum[j] += d, square[j] += d * d;
          }
        }
      }
    }
    ext[c] = x_ext;
  });
  for (const auto flag : stop)
    if (flag) return false;
  // Merge the chunks into the first (exact: whole numbers below 2^53), then emit the present groups in slot order.
  auto& total = acc[0];
  for (std::size_t c = 1; c < chunks; ++c)
    for (std::size_t t = 0; t < total.size(); ++t) total[t] += acc[c][t];
  std::size_t groups = 0;
  for (std::size_t s = 0; s < slots; ++s) groups += total[s * width] > 0.0;
  out.keys.resize(groups);
  out.values.resize(groups);
  std::size_t g = 0;
  for (std::size_t s = 0; s < slots; ++s) {
    const double* a = total.data() + s * width;
    if (a[0] == 0.0) continue;
    item_moments& mo = out.values[g];
    mo.rows = static_cast<std::uint64_t>(a[0]), mo.used = static_cast<std::uint64_t>(a[1]);
    mo.count.resize(jn), mo.mean.resize(jn), mo.m2.resize(jn);
    for (std::size_t j = 0; j < jn; ++j) {
      const auto cnt = static_cast<std::int64_t>(a[2] + a[3 + j]);
      const auto sum = static_cast<std::int64_t>(a[3 + jn + j]);
      const auto sq = static_cast<std::int64_t>(a[3 + 2 * jn + j]);
      mo.count[j] = static_cast<double>(cnt);
      if (cnt == 0) {
        mo.mean[j] = mo.m2[j] = 0.0;
        continue;
      }
      __extension__ using wide = __int128;  // c * ss reaches 1e6 n^2: beyond 64 bits for large groups
      const wide num = static_cast<wide>(cnt) * sq - static_cast<wide>(sum) * sum;
      mo.mean[j] = static_cast<double>(sum) / static_cast<double>(cnt);
      mo.m2[j] = static_cast<double>(num) / static_cast<double>(cnt);
    }
    out.keys[g] = slot_keys ? (*slot_keys)[s] : static_cast<std::int64_t>(base + s);
    ++g;
  }
  if (span_checked) {
    for (const auto& x : ext) {  // chunks in row order: strict comparisons keep the first row
      if (x.lowest < extremes.lowest) extremes.lowest = x.lowest, extremes.low_row = x.low_row, extremes.low_col = x.low_col;
      if (x.highest > extremes.highest) {
        extremes.highest = x.highest, extremes.high_row = x.high_row, extremes.high_col = x.high_col;
      }
    }
  }
  return true;
}

#endif

/// Throws when the answers span more than `max_span` (more points than the scale has), naming both extremes.
inline void check_span(const answer_extremes& e, double max_span, std::string_view argument, Eigen::Index cols) {
  if (e.highest - e.lowest > max_span) {
    throw invalid_input(cell_name(argument, e.high_row, e.high_col, cols) + " = " + format_value(e.highest) +
                        " and " + cell_name(argument, e.low_row, e.low_col, cols) + " = " +
                        format_value(e.lowest) + " are " + format_value(e.highest - e.lowest) +
                        " apart: more than a " + format_value(max_span + 1.0) +
                        "-point scale allows (scale_points = " + format_value(max_span + 1.0) +
                        "); give the scale's number of points, or its null variance as a number");
  }
}

/// The single grouping pass for the moment-based indices (rwg family, a_wg, ICC). With `range`, answers off the
/// scale are reported; with a finite `max_span`, answers further apart than `max_span` (more than the
/// A = max_span + 1 points of the scale) are reported, naming the lowest and highest answer.
///
/// Whole-number answers (every Likert scale) take `integer_moments_by`: one sequential pass with exact sums.
/// Otherwise (or when that pass meets a bad answer, to report it) the general path runs:
/// the rows are first ordered by group (a counting sort of the keys: one pass), then each group's moments are
/// accumulated from its rows in row order, with the group's first answer as the shift (free of cancellation for
/// any offset), groups split over threads. Each group's accumulators stay in cache while its rows are fetched
/// (prefetched a few rows ahead), and the result does not depend on the number of threads. Errors name the first
/// offending row, as a sequential sweep would.
inline keyed<item_moments> moments_by(const matrix_view& items, codes_view keys, missing_policy policy,
                                      std::string_view argument, const scale_range* range = nullptr,
                                      double max_span = std::numeric_limits<double>::infinity()) {
  check_shape(items, keys, argument);
  keyed<item_moments> out;
  const auto n = static_cast<std::size_t>(keys.size());
  if (n == 0) return out;
  const Eigen::Index cols = items.cols();
  const auto jn = static_cast<std::size_t>(cols);
  const bool listwise = policy == missing_policy::listwise;
  const bool span_checked = std::isfinite(max_span);

  // Group slots: direct addressing by key when the keys are dense enough, else factorized codes.
  const auto [lo, hi] = min_max(keys);
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  const bool direct = span <= 4 * static_cast<std::uint64_t>(n) + 1024;
  factorized f;
  if (!direct) f = factorize(keys);
  const std::size_t slots = direct ? static_cast<std::size_t>(span) + 1 : f.keys.size();
  const std::int64_t* k = direct ? keys.data() : f.codes.data();
  const std::uint64_t base = direct ? static_cast<std::uint64_t>(lo) : 0;
  auto slot_of = [&](std::size_t r) { return static_cast<std::size_t>(static_cast<std::uint64_t>(k[r]) - base); };

#if defined(__SIZEOF_INT128__)
  {  // whole-number answers (the usual case): the exact sequential pass
    answer_extremes e;
    if (integer_moments_by(items, k, base, slots, direct ? nullptr : &f.keys, listwise, range, span_checked, out, e)) {
      if (span_checked) check_span(e, max_span, argument, cols);
      return out;
    }
  }
#endif

  // General path. Counting sort of the rows by slot.
  std::vector<std::uint64_t> start(slots + 1, 0);
  for (std::size_t r = 0; r < n; ++r) ++start[slot_of(r) + 1];
  for (std::size_t s = 0; s < slots; ++s) start[s + 1] += start[s];
  std::vector<std::uint64_t> order(n);
  {
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (std::size_t r = 0; r < n; ++r) order[next[slot_of(r)]++] = r;
  }
  std::vector<std::size_t> present;
  present.reserve(std::min(slots, n));
  for (std::size_t s = 0; s < slots; ++s)
    if (start[s + 1] > start[s]) present.push_back(s);
  const std::size_t groups = present.size();
  out.keys.resize(groups);
  out.values.resize(groups);

  // Groups in parallel, in fixed blocks; each block records whether it met a bad answer and its extremes.
  constexpr std::size_t block = 256;
  const std::size_t blocks = (groups + block - 1) / block;
  std::vector<std::uint8_t> bad(blocks, 0);
  std::vector<answer_extremes> extremes(blocks);
  parallel_chunks(blocks, 1, [&](std::size_t b0, std::size_t b1, std::size_t) {
    std::vector<double> acc(jn * 4);
    for (std::size_t b = b0; b < b1; ++b) {
      auto& ext = extremes[b];
      for (std::size_t g = b * block; g < std::min(groups, (b + 1) * block); ++g) {
        const std::size_t s = present[g];
        const std::uint64_t* rows = order.data() + start[s];
        const std::size_t m = start[s + 1] - start[s];
        std::fill(acc.begin(), acc.end(), 0.0);
        double* const a0 = acc.data();
        std::uint64_t used = 0;
        for (std::size_t t = 0; t < m; ++t) {
#if defined(__GNUC__) || defined(__clang__)
          if (t + 16 < m) {
            __builtin_prefetch(items.data() + static_cast<Eigen::Index>(rows[t + 16]) * items.outerStride());
          }
#endif
          const auto i = static_cast<Eigen::Index>(rows[t]);
          const double* x = items.data() + i * items.outerStride();
          bool complete = true, any = false;
          for (std::size_t j = 0; j < jn; ++j) {
            const double v = x[j];
            const bool have = v == v;
            complete = complete && have;
            any = any || have;
            if (std::isinf(v) || (range && (v < range->low || v > range->high))) bad[b] = 1;
            if (span_checked && have) {
              const auto jj = static_cast<Eigen::Index>(j);
              if (v < ext.lowest || (v == ext.lowest && i < ext.low_row)) {
                ext.lowest = v, ext.low_row = i, ext.low_col = jj;
              }
              if (v > ext.highest || (v == ext.highest && i < ext.high_row)) {
                ext.highest = v, ext.high_row = i, ext.high_col = jj;
              }
            }
          }
          if (listwise ? !complete : !any) continue;
          ++used;
          double* a = a0;
          for (std::size_t j = 0; j < jn; ++j, a += 4) {
            const double v = x[j];
            if (!listwise && v != v) continue;
            if (a[0] == 0.0) a[1] = v;
            const double y = v - a[1];
            a[0] += 1.0, a[2] += y, a[3] += y * y;
          }
        }
        item_moments& mo = out.values[g];
        mo.rows = m, mo.used = used;
        mo.count.resize(jn), mo.mean.resize(jn), mo.m2.resize(jn);
        for (std::size_t j = 0; j < jn; ++j) {
          const double* a = a0 + 4 * j;
          mo.count[j] = a[0];
          mo.mean[j] = a[0] > 0.0 ? a[1] + a[2] / a[0] : 0.0;
          mo.m2[j] = a[0] > 0.0 ? std::max(0.0, a[3] - a[2] * a[2] / a[0]) : 0.0;
        }
        out.keys[g] = direct ? static_cast<std::int64_t>(base + s) : f.keys[s];
      }
    }
  });
  for (const auto flag : bad)
    if (flag) first_bad_answer(items, argument, range);  // throws, naming the first bad answer in row order
  if (span_checked) {
    answer_extremes e;
    for (const auto& x : extremes) {
      if (x.lowest < e.lowest || (x.lowest == e.lowest && x.low_row < e.low_row)) {
        e.lowest = x.lowest, e.low_row = x.low_row, e.low_col = x.low_col;
      }
      if (x.highest > e.highest || (x.highest == e.highest && x.high_row < e.high_row)) {
        e.highest = x.highest, e.high_row = x.high_row, e.high_col = x.high_col;
      }
    }
    check_span(e, max_span, argument, cols);
  }
  return out;
}

/// Mean item variance sbar^2; NaN when any item has fewer than two answers (a group of one, or pairwise gaps).
inline double mean_item_variance(const item_moments& m) {
  double s = 0.0;
  for (std::size_t j = 0; j < m.count.size(); ++j) s += m.variance(j);  // NaN propagates
  return s / static_cast<double>(m.count.size());
}

/// Turns per-group figures into the suppressed table: `compute(g, row)` fills statistic, variance and items of a
/// shown row from the group's data; hidden rows get NaN figures and zero counts.
template <class Compute>
std::vector<agreement_row> agreement_table(const matrix_view& items, codes_view row_keys, const std::string& what,
                                           const std::vector<std::int64_t>& keys, const std::vector<std::size_t>& used,
                                           const std::vector<std::size_t>& missing, const agreement_options& options,
                                           Compute&& compute) {
  const std::size_t n_groups = keys.size();
  std::size_t total = 0, total_rows = 0;
  for (std::size_t g = 0; g < n_groups; ++g) total += used[g], total_rows += used[g] + missing[g];
  if (n_groups == 0) throw insufficient_data("no rows: agreement needs at least one respondent");
  if (total == 0) {
    throw insufficient_data("no usable respondents: all " + std::to_string(total_rows) +
                            " rows have missing answers (need at least one respondent with usable answers)");
  }
  const bool listwise = options.missing == missing_policy::listwise;
  const auto decision = decide_groups(
      single_measure(options.publish, what), options.min_group_size, options.parent_of, {&keys, used, {}, {}},
      static_cast<std::size_t>(items.rows()),
      [&](auto&& emit) { emit_used_rows(items, row_keys, keys, listwise, emit); }, what + "_by");
  const auto& status = decision.status;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<agreement_row> rows(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) {
    auto& row = rows[g];
    row.key = keys[g];
    row.status = status[g];
    row.statistic = row.variance = nan;
    row.items = 0;
    if (status[g] != suppression::shown) {
      row.n = options.show_suppressed_n ? used[g] : 0;
      row.missing = 0;
      continue;
    }
    row.n = used[g];
    row.missing = missing[g];
    compute(g, row);
  }
  return rows;
}

/// The moment-based tables: rwg, rwg(j), r*wg(j), a_wg.
template <class Statistic>
std::vector<agreement_row> moment_table(const matrix_view& items, codes_view keys, const agreement_options& options,
                                        std::string_view argument, std::string_view what, Statistic&& statistic,
                                        const scale_range* range = nullptr) {
  const auto acc = moments_by(items, keys, options.missing, argument, range, options.max_span);
  const std::size_t n_groups = acc.keys.size();
  std::vector<std::size_t> used(n_groups), missing(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) {
    used[g] = static_cast<std::size_t>(acc.values[g].used);
    missing[g] = static_cast<std::size_t>(acc.values[g].rows - acc.values[g].used);
  }
  return agreement_table(items, keys, std::string(what), acc.keys, used, missing, options,
                         [&](std::size_t g, agreement_row& row) {
    const auto& m = acc.values[g];
    row.items = m.count.size();
    row.variance = mean_item_variance(m);
    row.statistic = statistic(m, row);
  });
}

/// rwg(j) from the mean item variance (J = 1 gives rwg), truncated at 0 as James et al. (1984) recommend.
inline double rwg_j_value(double sbar2, double sigma2, double j) {
  if (std::isnan(sbar2)) return sbar2;
  if (sbar2 >= sigma2) return 0.0;  // observed variance truncated to the null variance
  const double r = sbar2 / sigma2;
  return j * (1.0 - r) / (j * (1.0 - r) + r);
}

inline Eigen::Map<const row_matrix> as_column(vector_view x) {
  return {x.data(), x.size(), 1};
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------------------------
// rwg, rwg(j), r*wg(j)
// ---------------------------------------------------------------------------------------------------------------

/**
 * rwg of one item for every group (James, Demaree & Wolf 1984): 1 - s^2/sigma_E^2, truncated to 0 when the
 * group's variance exceeds the null variance (as multilevel::rwg). Missing answers are dropped within the group.
 * A group with fewer than two answers has rwg NaN (agreement among raters needs two raters; multilevel: NA).
 * `keys` are integer group keys (see `accumulate_by_key`); rows come out sorted by key, under the
 * confidentiality engine.
 *
 * **Example**:
 * ```
 * auto rows = engage::rwg(answers, team_ids, engage::null_variance(5));   // uniform null on 5 points: 2.0
 * for (auto& r : rows) if (r.status == engage::suppression::shown) use(r.key, r.statistic);
 * ```
 */
inline std::vector<agreement_row> rwg(vector_view x, codes_view keys, double null_variance = 2.0,
                                      const agreement_options& options = {}) {
  detail::check_null_variance(null_variance);
  return detail::moment_table(detail::as_column(x), keys, options, "x", "rwg",
                              [&](const detail::item_moments&, const agreement_row& row) {
                                return detail::rwg_j_value(row.variance, null_variance, 1.0);
                              });
}

/**
 * rwg(j) of a J-item scale for every group (James, Demaree & Wolf 1984), from the mean item variance sbar^2;
 * 0 when sbar^2 exceeds the null variance (as multilevel::rwg.j). Missing answers per `options.missing`
 * (listwise by default, as multilevel 2.7).
 *
 * **Example**:
 * ```
 * auto rows = engage::rwg_j(items, team_ids);   // items: respondents x J, 5-point uniform null 2.0
 * ```
 */
inline std::vector<agreement_row> rwg_j(matrix_view items, codes_view keys, double null_variance = 2.0,
                                        const agreement_options& options = {}) {
  detail::check_null_variance(null_variance);
  const double j = static_cast<double>(items.cols());
  return detail::moment_table(items, keys, options, "items", "rwg_j",
                              [&](const detail::item_moments&, const agreement_row& row) {
                                return detail::rwg_j_value(row.variance, null_variance, j);
                              });
}

/**
 * Lindell, Brandt & Whitney's (1999) r*wg(j) = 1 - sbar^2/sigma_E^2 for every group: not truncated (negative when
 * the items vary more than the null) and, unlike rwg(j), not inflated by the number of items
 * (as multilevel::rwg.j.lindell).
 *
 * **Example**:
 * ```
 * auto rows = engage::rwg_j_lindell(items, team_ids, 1.34);   // slightly skewed 5-point null
 * ```
 */
inline std::vector<agreement_row> rwg_j_lindell(matrix_view items, codes_view keys, double null_variance = 2.0,
                                                const agreement_options& options = {}) {
  detail::check_null_variance(null_variance);
  return detail::moment_table(items, keys, options, "items", "rwg_j_lindell",
                              [&](const detail::item_moments&, const agreement_row& row) {
                                return 1.0 - row.variance / null_variance;
                              });
}

// ---------------------------------------------------------------------------------------------------------------
// a_wg
// ---------------------------------------------------------------------------------------------------------------

namespace detail {

inline void check_range(const scale_range& r) {
  if (!(std::isfinite(r.low) && std::isfinite(r.high) && r.low < r.high)) {
    throw invalid_input("scale = (" + format_value(r.low) + ", " + format_value(r.high) +
                        "): need finite low < high, e.g. (1, 5)");
  }
}

/**
 * a_wg of one item with mean m, variance s2 and k answers on [L, H]. NaN below two answers and when m lies
 * outside [L + (H - L)/k, H - (H - L)/k] (where the maximum-variance formula does not hold; bounds included, with
 * a tolerance of 1e-12 (H - L) so that a mean exactly on a bound is not lost to rounding); 1 when every answer is
 * L or every answer is H.
 */
inline double awg_item(double m, double s2, double k, const scale_range& r) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (k < 2.0) return nan;
  const double width = r.high - r.low, tol = 1e-12 * width;
  if (s2 == 0.0 && (m == r.low || m == r.high)) return 1.0;
  if (m < r.low + width / k - tol || m > r.high - width / k + tol) return nan;
  const double max_var = ((r.high + r.low) * m - m * m - r.high * r.low) * k / (k - 1.0);
  return 1.0 - 2.0 * s2 / max_var;
}

}  // namespace detail

/**
 * Brown & Hauenstein's (2005) a_wg for every group: the observed variance relative to the largest variance
 * possible given the group mean M and size k on the scale [L, H], 1 - 2 s^2 / (((H + L) M - M^2 - H L) k/(k - 1)).
 * NaN when M lies outside [L + (H - L)/k, H - (H - L)/k] or k < 2; 1 when all answers are L or all are H. With
 * several items, the mean of the items' defined a_wg (`items` counts them; NaN when none is defined). This is
 * multilevel::awg's behaviour. Answers outside [L, H] are an error. One item is a one-column matrix (an
 * Eigen vector converts).
 *
 * **Example**:
 * ```
 * auto rows = engage::awg(items, team_ids, {1, 5});
 * ```
 */
inline std::vector<agreement_row> awg(matrix_view items, codes_view keys, scale_range range = {},
                                      const agreement_options& options = {}) {
  detail::check_range(range);
  const std::string_view argument = items.cols() == 1 ? "x" : "items";
  return detail::moment_table(
      items, keys, options, argument, "awg",
      [&](const detail::item_moments& m, agreement_row& row) {
        double sum = 0.0;
        std::size_t defined = 0;
        for (std::size_t j = 0; j < m.count.size(); ++j) {
          const double a = detail::awg_item(m.mean[j], m.variance(j), m.count[j], range);
          if (!std::isnan(a)) sum += a, ++defined;
        }
        row.items = defined;
        return defined ? sum / static_cast<double>(defined) : std::numeric_limits<double>::quiet_NaN();
      },
      &range);
}

// ---------------------------------------------------------------------------------------------------------------
// Average deviation
// ---------------------------------------------------------------------------------------------------------------

/**
 * The average deviation index AD_M(J) for every group (Burke, Finkelstein & Dusig 1999): per item the mean
 * absolute deviation of the answers from the item's group mean (or median), averaged over items (as
 * multilevel::ad.m). Practical cut-off for agreement: AD < A/6 on an A-point scale (Burke & Dunlap 2002).
 * NaN for a group with fewer than two usable respondents (multilevel: NA). One item is a one-column matrix.
 *
 * Needs every answer of a group (a median is not a running moment), so the single pass collects each group's
 * rows; the work stays O(n + groups).
 *
 * **Example**:
 * ```
 * auto rows = engage::ad_index(items, team_ids, engage::ad_center::median);
 * ```
 */
inline std::vector<agreement_row> ad_index(matrix_view items, codes_view keys, ad_center center = ad_center::mean,
                                           const agreement_options& options = {}) {
  const Eigen::Index cols = items.cols();
  const std::string_view argument = cols == 1 ? "x" : "items";
  detail::check_shape(items, keys, argument);
  const bool listwise = options.missing == missing_policy::listwise;
  // One pass: each group's usable rows (and the count of unusable ones).
  struct rows_of {
    std::vector<Eigen::Index> used;
    std::size_t missing = 0;
  };
  const auto acc = accumulate_by_key<rows_of>(keys, [&](rows_of& a, Eigen::Index i) {
    bool complete = true, any = false;
    for (Eigen::Index j = 0; j < cols; ++j) {
      const double v = items(i, j);
      detail::check_answer(v, argument, i, j, cols);
      complete = complete && !std::isnan(v);
      any = any || !std::isnan(v);
    }
    if (listwise ? complete : any) a.used.push_back(i);
    else ++a.missing;
  });
  const std::size_t n_groups = acc.keys.size();
  std::vector<std::size_t> used(n_groups), missing(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) used[g] = acc.values[g].used.size(), missing[g] = acc.values[g].missing;
  std::vector<double> scratch;
  return detail::agreement_table(items, keys, "ad", acc.keys, used, missing, options,
                                 [&](std::size_t g, agreement_row& row) {
    const auto& rows = acc.values[g].used;
    double ad_sum = 0.0, var_sum = 0.0;
    bool defined = rows.size() >= 2;
    for (Eigen::Index j = 0; j < cols && defined; ++j) {
      scratch.clear();
      for (const Eigen::Index i : rows) {
        const double v = items(i, j);
        if (!std::isnan(v)) scratch.push_back(v);
      }
      if (scratch.size() < 2) {
        defined = false;
        break;
      }
      const double k = static_cast<double>(scratch.size());
      double mean = 0.0;
      for (const double v : scratch) mean += v;
      mean /= k;
      double ss = 0.0;
      for (const double v : scratch) ss += (v - mean) * (v - mean);
      var_sum += ss / (k - 1.0);
      double c = mean;
      if (center == ad_center::median) {
        const std::size_t half = scratch.size() / 2;
        std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(half), scratch.end());
        c = scratch[half];
        if (scratch.size() % 2 == 0) c = (c + *std::max_element(scratch.begin(), scratch.begin() +
                                                                                   static_cast<std::ptrdiff_t>(half))) / 2.0;
      }
      double dev = 0.0;
      for (const double v : scratch) dev += std::fabs(v - c);
      ad_sum += dev / k;
    }
    if (!defined) return;
    row.items = static_cast<std::size_t>(cols);
    row.statistic = ad_sum / static_cast<double>(cols);
    row.variance = var_sum / static_cast<double>(cols);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// ICC(1), ICC(2)
// ---------------------------------------------------------------------------------------------------------------

/// One-way ANOVA decomposition of a variable by group, and the aggregation ICCs (whole sample; no suppression).
struct icc_result {
  double icc1;             ///< (MSB - MSW) / (MSB + (kbar - 1) MSW): share of variance due to the groups
  double icc2;             ///< (MSB - MSW) / MSB: reliability of the group means
  double f;                ///< MSB / MSW (infinite when every group is internally constant)
  double pvalue;           ///< P(F(df_between, df_within) > f)
  std::size_t df_between;  ///< J - 1
  std::size_t df_within;   ///< N - J
  double ms_between, ms_within;
  std::size_t n_groups;    ///< J: groups with at least one answer
  std::size_t n;           ///< N: answers used
  std::size_t missing;     ///< missing answers dropped
  double mean_group_size;  ///< kbar = N / J (as multilevel::ICC1 and psych::statsBy)
};

/**
 * ICC(1) and ICC(2) of `x` by group from the one-way ANOVA, as multilevel::ICC1/ICC2 on
 * `aov(x ~ as.factor(group))` and psych::statsBy. Missing answers are dropped. A group of one respondent adds to
 * J and N but nothing to the within-group sum of squares (df_within = N - J, as aov). Groups with no answer do not
 * count. Errors: fewer than two groups, no group with two answers (df_within = 0), or no variance at all. When
 * every group is internally constant (MSW = 0) but the groups differ: F = inf, ICC(1) = ICC(2) = 1, p = 0.
 *
 * **Example**:
 * ```
 * auto r = engage::icc(hours, company_ids);   // r.icc1, r.icc2, r.f
 * auto ci = engage::confidence_interval(r, engage::icc_kind::icc1, 0.95);
 * ```
 */
inline icc_result icc(vector_view x, codes_view keys) {
  const auto acc = detail::moments_by(detail::as_column(x), keys, missing_policy::listwise, "x");
  icc_result r{};
  double total = 0.0;
  std::size_t rows = 0;
  for (const auto& m : acc.values) {
    rows += static_cast<std::size_t>(m.rows);
    if (m.used == 0) continue;
    ++r.n_groups;
    r.n += static_cast<std::size_t>(m.used);
    total += m.count[0] * m.mean[0];
  }
  r.missing = rows - r.n;
  if (r.n == 0) {
    throw insufficient_data(rows == 0 ? std::string("no rows: the ICC needs answers in at least two groups")
                                      : "no answers: all " + std::to_string(rows) + " values of x are missing");
  }
  if (r.n_groups < 2) {
    throw insufficient_data("the ICC needs at least two groups with answers; found " + std::to_string(r.n_groups));
  }
  if (r.n == r.n_groups) {
    throw insufficient_data("every one of the " + std::to_string(r.n_groups) +
                            " groups has a single answer: no within-group variance (df_within = 0)");
  }
  const double grand = total / static_cast<double>(r.n);
  double ssb = 0.0, ssw = 0.0;
  for (const auto& m : acc.values) {
    if (m.used == 0) continue;
    const double d = m.mean[0] - grand;
    ssb += m.count[0] * d * d;
    ssw += m.m2[0];
  }
  r.df_between = r.n_groups - 1;
  r.df_within = r.n - r.n_groups;
  r.ms_between = ssb / static_cast<double>(r.df_between);
  r.ms_within = ssw / static_cast<double>(r.df_within);
  r.mean_group_size = static_cast<double>(r.n) / static_cast<double>(r.n_groups);
  if (r.ms_within == 0.0 && r.ms_between == 0.0) {
    throw insufficient_data("x has no variance: every one of the " + std::to_string(r.n) +
                            " answers is the same, so the ICCs are 0/0");
  }
  if (r.ms_within == 0.0) {
    r.f = std::numeric_limits<double>::infinity();
    r.icc1 = r.icc2 = 1.0;
    r.pvalue = 0.0;
    return r;
  }
  r.f = r.ms_between / r.ms_within;
  r.icc1 = (r.ms_between - r.ms_within) / (r.ms_between + (r.mean_group_size - 1.0) * r.ms_within);
  r.icc2 = (r.ms_between - r.ms_within) / r.ms_between;
  const boost::math::fisher_f_distribution<double, math_policy> fd(static_cast<double>(r.df_between),
                                                                  static_cast<double>(r.df_within));
  r.pvalue = boost::math::cdf(boost::math::complement(fd, r.f));
  return r;
}

/// Which ICC an interval is for.
enum class icc_kind { icc1, icc2 };

/// Parses "icc1", "icc2".
inline icc_kind parse_icc_kind(std::string_view name) {
  if (name == "icc1") return icc_kind::icc1;
  if (name == "icc2") return icc_kind::icc2;
  throw invalid_input("which = '" + std::string(name) + "': expected 'icc1' or 'icc2'");
}

/**
 * F-based interval for ICC(1) or ICC(2) (the intervals of psych::statsBy, checked to 1e-10 in the reference
 * script). With alpha = 1 - confidence_level, F_L = F / F_{1-alpha/2}(J - 1, N - J) and
 * F_U = F * F_{1-alpha/2}(N - J, J - 1):
 *   ICC(1): [(F_L - 1)/(F_L + kbar - 1), (F_U - 1)/(F_U + kbar - 1)]
 *   ICC(2): [1 - 1/F_L, 1 - 1/F_U]
 * The ICC(1) interval is exact for equal group sizes; with unequal sizes it is the usual approximation with the
 * mean group size kbar = N/J (not k0 = (N - sum n_j^2/N)/(J - 1)). When F is infinite (MSW = 0) both intervals
 * are [1, 1].
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_interval(engage::icc(x, groups), engage::icc_kind::icc2, 0.90);
 * ```
 */
inline interval confidence_interval(const icc_result& r, icc_kind which = icc_kind::icc1,
                                    double confidence_level = 0.95) {
  detail::require_confidence_level(confidence_level);
  if (std::isinf(r.f)) return {1.0, 1.0};
  const double a = 1.0 - confidence_level;
  const double d1 = static_cast<double>(r.df_between), d2 = static_cast<double>(r.df_within);
  const boost::math::fisher_f_distribution<double, math_policy> f12(d1, d2), f21(d2, d1);
  const double fl = r.f / boost::math::quantile(f12, 1.0 - a / 2.0);
  const double fu = r.f * boost::math::quantile(f21, 1.0 - a / 2.0);
  if (which == icc_kind::icc2) return {1.0 - 1.0 / fl, 1.0 - 1.0 / fu};
  const double k = r.mean_group_size;
  return {(fl - 1.0) / (fl + k - 1.0), (fu - 1.0) / (fu + k - 1.0)};
}

}  // namespace engage
