#pragma once
/// @file engagement.hpp
/// Engagement indices on Likert items: the vendor index families of PRODUCT.md section 3.1 (each named, each
/// with its source), their standard errors and intervals (Wilson for proportions, t for means, optional
/// finite-population correction), the per-item favourability table (Viva Glint's bands and score), person-level
/// scale scores, a configurable engaged / not engaged / actively disengaged categoriser, and the grouped index
/// table under the confidentiality engine.
///
/// Formulas: METHODS.md section 2. Input is an n x k matrix (row = person, column = item) of whole numbers on
/// the scale low..high (2 to 11 points). NaN is a skipped item; an optional "don't know" code is unscored and
/// counted apart from skips; anything else off the scale is an error naming its row, column and value.
/// Reverse-keyed items are scored low + high - x before anything else.
///
/// Standard errors treat persons as the sampling unit (a person's answers to several items are correlated):
/// indices that pool or average over items use the Taylor-linearised variance of a ratio (or of a mean of item
/// ratios) with persons as clusters, as R `survey::svyratio` does for a one-stage cluster design.

#include <algorithm>
#include <array>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "confidentiality.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"

namespace engage {

/// A read-only n x k item matrix (row = person, column = item); C-ordered numpy arrays map onto it uncopied.
using item_matrix_view = Eigen::Ref<const row_matrix>;

/**
 * A Likert scale: whole-number responses `low..high` (2 to 11 points) and its favourability bands on the raw
 * scale: values `<= unfavourable_max` are unfavourable, values `>= favourable_min` favourable, the rest neutral.
 * Build one with `glint_scale(low, high)` (the Viva Glint bands) and override the bands if needed.
 */
struct likert_scale {
  int low = 1;
  int high = 5;
  int unfavourable_max = 2;
  int favourable_min = 4;

  [[nodiscard]] int points() const { return high - low + 1; }
};

/**
 * The scale `low..high` with the Viva Glint favourability bands (R `vivaglint::get_favorability_map`), stated
 * for responses coded 1..k (k = high - low + 1 points) and shifted to `low`:
 *
 *   k:   2      3        4          5          6          7          8          9          10           11
 *   fav  {2}    {3}      {4}        {4,5}      {4,5,6}    {6,7}      {6,7,8}    {7,8,9}    {8,9,10}     {10,11}
 *   neu  -      {2}      {2,3}      {3}        -          {4,5}      {4,5}      {4,5,6}    {4..7}       {8,9}
 *   unf  {1}    {1}      {1}        {1,2}      {1,2,3}    {1,2,3}    {1,2,3}    {1,2,3}    {1,2,3}      {1..7}
 *
 * On a 0-10 item (k = 11) this gives the NPS bands 9-10 / 7-8 / 0-6.
 *
 * **Example**:
 * ```
 * auto s = engage::glint_scale(1, 7);   // s.favourable_min == 6, s.unfavourable_max == 3
 * ```
 */
inline likert_scale glint_scale(int low, int high) {
  const long long k = static_cast<long long>(high) - low + 1;
  if (k < 2 || k > 11) {
    throw invalid_input("scale = (" + std::to_string(low) + ", " + std::to_string(high) + "): has " +
                        std::to_string(k) + " points; engagement items need 2 to 11 points (high - low + 1)");
  }
  // Lowest favourable and highest unfavourable response on the 1..k coding, indexed by k.
  static constexpr std::array<int, 12> favourable_from{0, 0, 2, 3, 4, 4, 4, 6, 6, 7, 8, 10};
  static constexpr std::array<int, 12> unfavourable_to{0, 0, 1, 1, 1, 2, 3, 3, 3, 3, 3, 7};
  const auto i = static_cast<std::size_t>(k);
  return {low, high, low + unfavourable_to[i] - 1, low + favourable_from[i] - 1};
}

/// What the item functions share: the scale and bands, reverse-keyed columns and the don't-know code.
struct item_options {
  likert_scale scale{};
  /// Column indices of reverse-keyed items, scored low + high - x.
  std::vector<Eigen::Index> reverse{};
  /// The "don't know / does not apply" code: unscored and counted apart from skips (NaN). Must be off the scale.
  std::optional<double> dont_know{};
};

namespace detail {

inline void check_scale(const likert_scale& s) {
  const long long k = static_cast<long long>(s.high) - s.low + 1;
  if (k < 2 || k > 11) {
    throw invalid_input("scale = (" + std::to_string(s.low) + ", " + std::to_string(s.high) + "): has " +
                        std::to_string(k) + " points; engagement items need 2 to 11 points (high - low + 1)");
  }
  if (!(s.low <= s.unfavourable_max && s.unfavourable_max < s.favourable_min && s.favourable_min <= s.high)) {
    throw invalid_input("bands = (unfavourable_max " + std::to_string(s.unfavourable_max) + ", favourable_min " +
                        std::to_string(s.favourable_min) + "): need " + std::to_string(s.low) +
                        " <= unfavourable_max < favourable_min <= " + std::to_string(s.high));
  }
}

/// Names the cell as `items[row, column]` (0-based), the value, and what a valid value is.
[[noreturn]] inline void fail_cell(Eigen::Index row, Eigen::Index col, double value, const likert_scale& s,
                                   std::optional<double> dont_know) {
  std::string why = "not a response on the scale: responses must be whole numbers from " + std::to_string(s.low) +
                    " to " + std::to_string(s.high);
  if (dont_know) why += " or the don't-know code " + format_value(*dont_know);
  why += "; use NaN for a skipped item";
  throw invalid_input("items[" + std::to_string(row) + ", " + std::to_string(col) + "] = " + format_value(value) +
                      ": " + why);
}

/**
 * Codes each cell of the item matrix: 0..k-1 for a scored response (after reverse keying; code = value - low),
 * `missing` for NaN, `dont_know` for the don't-know code; anything else throws naming the cell. The common case
 * is a range check, a conversion and a table look-up.
 */
class item_coder {
 public:
  static constexpr int missing = -1;
  static constexpr int dont_know = -2;

  item_coder(const item_options& o, Eigen::Index columns) : scale_(o.scale), dont_know_(o.dont_know) {
    check_scale(o.scale);
    if (columns < 1) throw invalid_input("items has 0 columns: need at least one item");
    k_ = scale_.points();
    lo_ = scale_.low, hi_ = scale_.high;
    if (dont_know_) {
      const double d = *dont_know_;
      if (!std::isfinite(d)) {
        throw invalid_input("dont_know = " + format_value(d) + ": must be a finite number (NaN already means skipped)");
      }
      if (d >= lo_ && d <= hi_) {
        throw invalid_input("dont_know = " + format_value(d) + ": lies on the scale " + std::to_string(scale_.low) +
                            ".." + std::to_string(scale_.high) + "; the don't-know code must be off the scale");
      }
    }
    reversed_.assign(static_cast<std::size_t>(columns), 0);
    for (std::size_t r = 0; r < o.reverse.size(); ++r) {
      const Eigen::Index j = o.reverse[r];
      if (j < 0 || j >= columns) {
        fail_at("reverse", r, static_cast<double>(j),
                "column index out of range for " + std::to_string(columns) + " items");
      }
      if (reversed_[static_cast<std::size_t>(j)]) fail_at("reverse", r, static_cast<double>(j), "listed twice");
      reversed_[static_cast<std::size_t>(j)] = 1;
    }
    for (int c = 0; c < k_; ++c) {
      const int v = scale_.low + c;
      favourable_[static_cast<std::size_t>(c)] = v >= scale_.favourable_min;
      unfavourable_[static_cast<std::size_t>(c)] = v <= scale_.unfavourable_max;
      top3_[static_cast<std::size_t>(c)] = c >= k_ - 3;
    }
  }

  [[nodiscard]] int operator()(double x, Eigen::Index row, Eigen::Index col) const {
    if (x >= lo_ && x <= hi_) [[likely]] {  // false for NaN
      const int v = static_cast<int>(x);
      if (v == x) [[likely]] {
        const int c = v - scale_.low;
        return reversed_[static_cast<std::size_t>(col)] ? k_ - 1 - c : c;
      }
    }
    return slow(x, row, col);
  }

  [[nodiscard]] int points() const { return k_; }
  [[nodiscard]] const likert_scale& scale() const { return scale_; }
  [[nodiscard]] int favourable(int c) const { return favourable_[static_cast<std::size_t>(c)]; }
  [[nodiscard]] int unfavourable(int c) const { return unfavourable_[static_cast<std::size_t>(c)]; }
  [[nodiscard]] int top3(int c) const { return top3_[static_cast<std::size_t>(c)]; }

 private:
  // Out of line so the hot loop stays small: skips, don't-knows and errors only.
  [[gnu::noinline, gnu::cold]] int slow(double x, Eigen::Index row, Eigen::Index col) const {
    if (std::isnan(x)) return missing;
    if (dont_know_ && x == *dont_know_) return dont_know;
    fail_cell(row, col, x, scale_, dont_know_);
  }

  likert_scale scale_;
  std::optional<double> dont_know_;
  int k_ = 0;
  double lo_ = 0, hi_ = 0;
  std::vector<std::uint8_t> reversed_;
  std::array<std::uint8_t, 11> favourable_{}, unfavourable_{}, top3_{};
};

inline void require_rows(const item_matrix_view& items) {
  if (items.cols() < 1) throw invalid_input("items has 0 columns: need at least one item");
  if (items.rows() < 1) throw insufficient_data("items has no rows: need at least one person");
}

/// Half-to-even rounding of the binary value (IEC 60559 roundTiesToEven; Python's round and R's round agree).
inline double round_half_even(double x) {
  const double r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5) return 2.0 * std::round(x / 2.0);
  return r;
}

}  // namespace detail

// ------------------------------------------------------------------------------------------------------------
// The engagement index
// ------------------------------------------------------------------------------------------------------------

/// The index families of PRODUCT.md section 3.1.
enum class index_method : std::uint8_t {
  favourable_items,    ///< FAV-ITEM-AVG (Culture Amp): mean over items of each item's % favourable
  favourable_pooled,   ///< FAV-POOLED (Perceptyx): favourable responses / scored responses over person x item
  favourable_persons,  ///< FAV-PERSON (Lattice; Culture Amp Survey Sentiment): % persons whose mean is favourable
  favourable_all,      ///< FAV-ALL (Engagedly; Perceptyx "highly engaged"): % persons favourable on every item
  mean_100,            ///< MEAN-100 (Viva Glint): 100 (x - low)/(high - low) per response, averaged
  person_mean,         ///< MEAN-PERSON (Workday Peakon): person mean of answered items, then mean of persons
  grand_mean,          ///< GRANDMEAN (Gallup-style): mean of item means on the raw scale
  top3,                ///< TOP3 (Matter): % of responses in the top three scale points
};

inline constexpr std::array<std::string_view, 8> index_method_names{
    "favourable_items", "favourable_pooled", "favourable_persons", "favourable_all",
    "mean_100",         "person_mean",       "grand_mean",         "top3"};

/// The method's name ("favourable_items", ...).
inline std::string_view to_string(index_method m) { return index_method_names[static_cast<std::size_t>(m)]; }

/// Parses a method name; the error lists the valid names.
inline index_method parse_index_method(std::string_view name) {
  for (std::size_t i = 0; i < index_method_names.size(); ++i) {
    if (name == index_method_names[i]) return static_cast<index_method>(i);
  }
  std::string list;
  for (const auto n : index_method_names) list += (list.empty() ? "'" : ", '") + std::string(n) + "'";
  throw invalid_input("method = '" + std::string(name) + "': expected one of " + list);
}

/// Proportion-type indices (reported in %, Wilson interval) as opposed to mean-type ones (t interval).
inline bool is_proportion(index_method m) {
  return m == index_method::favourable_items || m == index_method::favourable_pooled ||
         m == index_method::favourable_persons || m == index_method::favourable_all || m == index_method::top3;
}

/// Options of `engagement_index`.
struct engagement_options : item_options {
  index_method method = index_method::favourable_items;
  /// Persons with fewer scored answers are left out (counted in `excluded`). 0 = the method's default: every
  /// item for favourable_persons and favourable_all (Culture Amp's "any missing -> unclassified"), 1 otherwise.
  std::size_t min_answered = 0;
  /// Persons in the surveyed population, for the finite-population correction; unset = none.
  std::optional<double> population_size{};
  /// person_mean and grand_mean only: report on [low, high] (e.g. {0, 10}) instead of the raw scale, mapping
  /// the scale's low to `low` and its high to `high` linearly.
  std::optional<interval> rescale{};
};

/// An engagement index of one sample.
struct engagement_result {
  index_method method;
  double statistic;         ///< % (0..100) for proportion indices; mean_100 on 0..100; means on the raw scale
  double standard_error;    ///< same units; linearised over persons; includes the FPC
  std::uint64_t n;          ///< persons contributing (at least `min_answered` scored answers)
  std::uint64_t responses;  ///< scored answers of the contributing persons
  std::uint64_t missing;    ///< skipped cells (NaN), whole matrix
  std::uint64_t dont_know;  ///< don't-know cells, whole matrix
  std::uint64_t excluded;   ///< persons left out: fewer than `min_answered` scored answers (none at all included)
  std::size_t items;        ///< items behind the figure (item-average methods: items with a scored answer)
  std::size_t min_answered; ///< the rule applied
  double effective_n;       ///< the n of the interval: Wilson's n for proportions (see below), n for means
  double fpc;               ///< variance multiplier of the finite-population correction (1 = none)
  bool proportion;          ///< Wilson (true) or t (false) interval
};

namespace detail {

/// Mergeable partial sums of one group (or chunk). y_i is the person's total of the method's response score
/// (favourable count, top-3 count or code sum), a_i the person's scored answers, u_i a person-level value.
/// Item-average methods keep their per-item sums apart, as pairs (answered, sum) per item (`item_pairs`).
struct index_acc {
  std::uint64_t rows = 0, missing = 0, dont_know = 0, persons = 0;
  double answered = 0, sum_a2 = 0, sum_y = 0, sum_y2 = 0, sum_ya = 0, sum_u = 0, sum_u2 = 0;
  double sum_z2 = 0;  // item-average methods, second sweep: sum of squared influences

  index_acc& operator+=(const index_acc& o) {
    rows += o.rows, missing += o.missing, dont_know += o.dont_know, persons += o.persons;
    answered += o.answered, sum_a2 += o.sum_a2, sum_y += o.sum_y, sum_y2 += o.sum_y2, sum_ya += o.sum_ya;
    sum_u += o.sum_u, sum_u2 += o.sum_u2, sum_z2 += o.sum_z2;
    return *this;
  }
};

/// Everything an index needs per row, resolved once from the options.
class index_kernel {
 public:
  index_kernel(const engagement_options& o, Eigen::Index columns)
      : coder_(o, columns), method_(o.method), k_(columns) {
    const auto k = static_cast<std::size_t>(columns);
    if (o.min_answered > k) {
      throw invalid_input("min_answered = " + std::to_string(o.min_answered) + ": more than the " +
                          std::to_string(k) + " items");
    }
    min_answered_ = o.min_answered != 0 ? o.min_answered
                    : (method_ == index_method::favourable_persons || method_ == index_method::favourable_all) ? k
                                                                                                                 : 1;
    if (method_ == index_method::top3 && coder_.points() < 4) {
      throw invalid_input("method = 'top3' on a " + std::to_string(coder_.points()) +
                          "-point scale: the top three points are the whole scale (need at least 4 points)");
    }
    if (o.rescale) {
      if (method_ != index_method::person_mean && method_ != index_method::grand_mean) {
        throw invalid_input("rescale: only for method 'person_mean' or 'grand_mean' (got '" +
                            std::string(to_string(method_)) + "')");
      }
      if (!(std::isfinite(o.rescale->low) && std::isfinite(o.rescale->high) && o.rescale->low != o.rescale->high)) {
        throw invalid_input("rescale = (" + format_value(o.rescale->low) + ", " + format_value(o.rescale->high) +
                            "): need two different finite numbers");
      }
    }
    rescale_ = o.rescale;
    // Favourable person: mean >= favourable_min - 1/2, i.e. 2 * code_sum >= (2 * favourable code - 1) * a.
    person_threshold_ = 2 * (o.scale.favourable_min - o.scale.low) - 1;
  }

  [[nodiscard]] bool item_average() const {
    return method_ == index_method::favourable_items || method_ == index_method::grand_mean;
  }
  [[nodiscard]] index_method method() const { return method_; }
  [[nodiscard]] std::size_t min_answered() const { return min_answered_; }
  [[nodiscard]] int person_threshold() const { return person_threshold_; }
  [[nodiscard]] const item_coder& coder() const { return coder_; }
  [[nodiscard]] Eigen::Index columns() const { return k_; }
  [[nodiscard]] const std::optional<interval>& rescale() const { return rescale_; }
  /// Doubles of per-item storage per group: (answered, sum) pairs for item-average methods, none otherwise.
  [[nodiscard]] std::size_t item_width() const { return item_average() ? 2 * static_cast<std::size_t>(k_) : 0; }

  /// First sweep: row `row` (pointer to its k cells) into `acc`, and into `item_pairs` (item-average methods).
  void add_row(index_acc& acc, const double* x, Eigen::Index row, double* item_pairs) const {
    ++acc.rows;
    int a = 0, fav = 0, top = 0, sum = 0;
    // Item-average methods keep the row's codes (short rows on the stack) to add them once the person qualifies.
    constexpr Eigen::Index buffered = 64;
    std::array<std::int8_t, buffered> codes;
    for (Eigen::Index j = 0; j < k_; ++j) {
      const int c = coder_(x[j], row, j);
      if (j < buffered) codes[static_cast<std::size_t>(j)] = static_cast<std::int8_t>(c);
      if (c >= 0) [[likely]] {
        ++a, sum += c, fav += coder_.favourable(c), top += coder_.top3(c);
      } else if (c == item_coder::missing) {
        ++acc.missing;
      } else {
        ++acc.dont_know;
      }
    }
    if (a == 0 || static_cast<std::size_t>(a) < min_answered_) return;
    ++acc.persons;
    const double da = a;
    acc.answered += da;
    auto pooled = [&](double y) { acc.sum_y += y, acc.sum_y2 += y * y, acc.sum_ya += y * da, acc.sum_a2 += da * da; };
    switch (method_) {
      case index_method::favourable_pooled: pooled(fav); break;
      case index_method::top3: pooled(top); break;
      case index_method::mean_100: pooled(sum); break;
      case index_method::person_mean: {
        // Centred on the scale midpoint so the sum of squares does not cancel.
        const double u = sum / da - 0.5 * (coder_.points() - 1);
        acc.sum_u += u, acc.sum_u2 += u * u;
        break;
      }
      case index_method::favourable_persons: acc.sum_u += (2 * sum >= person_threshold_ * a) ? 1.0 : 0.0; break;
      case index_method::favourable_all: acc.sum_u += fav == a ? 1.0 : 0.0; break;
      case index_method::favourable_items:
      case index_method::grand_mean: {
        const bool favourable = method_ == index_method::favourable_items;
        for (Eigen::Index j = 0; j < k_; ++j) {
          const int c = j < buffered ? codes[static_cast<std::size_t>(j)] : coder_(x[j], row, j);
          if (c < 0) continue;
          item_pairs[2 * j] += 1.0;
          item_pairs[2 * j + 1] += favourable ? coder_.favourable(c) : c;
        }
        break;
      }
    }
  }

  /**
   * From a group's (answered A_j, sum Y_j) pairs, the pairs (w_j, w_j r_j) of the influence function of an
   * item-average index, z_i = sum_j w_j (y_ij - r_j a_ij), with w_j = 1/(K A_j), r_j = Y_j/A_j and K the items
   * with answers (w_j = 0 for the others). Returns the mean of the item ratios and K.
   */
  std::pair<double, std::size_t> weights(const double* item_pairs, double* weight_pairs) const {
    std::size_t used = 0;
    double mean = 0;
    for (Eigen::Index j = 0; j < k_; ++j) {
      if (item_pairs[2 * j] > 0) ++used, mean += item_pairs[2 * j + 1] / item_pairs[2 * j];
    }
    for (Eigen::Index j = 0; j < k_; ++j) {
      const double A = item_pairs[2 * j];
      const double w = A > 0 ? 1.0 / (static_cast<double>(used) * A) : 0.0;
      weight_pairs[2 * j] = w;
      weight_pairs[2 * j + 1] = A > 0 ? w * item_pairs[2 * j + 1] / A : 0.0;
    }
    return {used > 0 ? mean / static_cast<double>(used) : std::numeric_limits<double>::quiet_NaN(), used};
  }

  /// Second sweep (item-average methods): the person's influence z_i, 0 for a person left out.
  [[nodiscard]] double influence(const double* x, Eigen::Index row, const double* weight_pairs) const {
    const bool favourable = method_ == index_method::favourable_items;
    int a = 0;
    double z = 0;
    for (Eigen::Index j = 0; j < k_; ++j) {
      const int c = coder_(x[j], row, j);
      if (c < 0) continue;
      ++a;
      z += weight_pairs[2 * j] * (favourable ? coder_.favourable(c) : c) - weight_pairs[2 * j + 1];
    }
    return a == 0 || static_cast<std::size_t>(a) < min_answered_ ? 0.0 : z;
  }

 private:
  item_coder coder_;
  index_method method_;
  Eigen::Index k_;
  std::size_t min_answered_ = 1;
  int person_threshold_ = 0;
  std::optional<interval> rescale_;
};

inline double population_fpc(std::optional<double> population_size, double n, bool proportion) {
  if (!population_size) return 1.0;
  const double N = *population_size;
  if (!(std::isfinite(N) && N >= n)) {
    throw invalid_input("population_size = " + format_value(N) + ": must be at least the " + format_value(n) +
                        " persons contributing");
  }
  if (proportion) return N > 1.0 ? (N - n) / (N - 1.0) : 0.0;
  return 1.0 - n / N;
}

/// The result from a group's sums (after the second sweep for item-average methods, whose mean of item ratios
/// and items used are `item_mean` and `items_used`).
inline engagement_result finish_index(const index_acc& a, const index_kernel& kernel,
                                      std::optional<double> population_size, double item_mean = 0.0,
                                      std::size_t items_used = 0) {
  engagement_result r{};
  r.method = kernel.method();
  r.proportion = is_proportion(r.method);
  r.n = a.persons;
  r.responses = static_cast<std::uint64_t>(a.answered);
  r.missing = a.missing, r.dont_know = a.dont_know;
  r.excluded = a.rows - a.persons;
  r.min_answered = kernel.min_answered();
  r.items = kernel.item_average() ? items_used : static_cast<std::size_t>(kernel.columns());
  if (r.n == 0) {
    throw insufficient_data("no person has at least " + std::to_string(r.min_answered) + " scored answer" +
                            (r.min_answered == 1 ? "" : "s") + " (" + std::to_string(a.rows) + " rows, " +
                            std::to_string(a.missing) + " skipped cells, " + std::to_string(a.dont_know) +
                            " don't-know cells)");
  }
  const double n = static_cast<double>(r.n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.fpc = population_fpc(population_size, n, r.proportion);
  const int points = kernel.coder().points();
  const double low = kernel.coder().scale().low;

  // Ratio sum y / sum a and its linearised variance sum (y_i - R a_i)^2 / (sum a)^2 (divisor n).
  auto ratio = [&](double& var) {
    const double R = a.sum_y / a.answered;
    var = std::max(a.sum_y2 - 2.0 * R * a.sum_ya + R * R * a.sum_a2, 0.0) / (a.answered * a.answered);
    return R;
  };

  if (r.proportion) {
    double p = 0, var = 0;
    switch (r.method) {
      case index_method::favourable_pooled:
      case index_method::top3: p = ratio(var); break;
      case index_method::favourable_items: p = item_mean, var = a.sum_z2; break;
      default: p = a.sum_u / n, var = p * (1.0 - p) / n; break;  // persons: binomial
    }
    p = std::clamp(p, 0.0, 1.0);
    // Wilson's n: n for person-level indices; otherwise the Kish-style p(1-p)/Var, at most the responses behind
    // the figure, and n when Var carries no information (p at 0 or 1, or no between-person variation).
    r.effective_n = n;
    if (r.method != index_method::favourable_persons && r.method != index_method::favourable_all && var > 0.0 &&
        p > 0.0 && p < 1.0) {
      r.effective_n = std::min(p * (1.0 - p) / var, a.answered);
    }
    r.statistic = 100.0 * p;
    r.standard_error = 100.0 * std::sqrt(var * r.fpc);
    return r;
  }

  // Mean-type: linearised variances with the with-replacement factor n/(n-1), so one complete item gives s^2/n.
  const double factor = r.n > 1 ? n / (n - 1.0) : nan;
  double est = 0, var = 0, unit = 1.0;
  switch (r.method) {
    case index_method::mean_100: {
      const double m = ratio(var);
      var *= factor;
      unit = 100.0 / (points - 1);
      est = unit * m;
      break;
    }
    case index_method::person_mean: {
      const double mu = a.sum_u / n;
      const double s2 = r.n > 1 ? std::max(a.sum_u2 - n * mu * mu, 0.0) / (n - 1.0) : nan;
      est = low + 0.5 * (points - 1) + mu;
      var = s2 / n;
      break;
    }
    default:  // grand_mean
      est = low + item_mean;
      var = a.sum_z2 * factor;
      break;
  }
  double se = unit * std::sqrt(var * r.fpc);
  if (const auto& rs = kernel.rescale()) {
    const double scale = (rs->high - rs->low) / (points - 1);
    est = rs->low + scale * (est - low);
    se *= std::fabs(scale);
  }
  r.statistic = est;
  r.standard_error = se;
  r.effective_n = n;
  return r;
}

/// Two-sided t critical value with `df` degrees of freedom.
inline double t_critical(double df, double confidence_level) {
  const boost::math::students_t_distribution<double, math_policy> t(df);
  return boost::math::quantile(t, 0.5 + confidence_level / 2.0);
}

/// The interval given the normal critical value `z` and, for mean indices, the t critical value `t` with n - 1
/// degrees of freedom (a grouped table computes both once per distinct n, not per group).
inline interval index_interval(const engagement_result& r, double z, double t) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (r.proportion) {
    const double p = r.statistic / 100.0;
    if (!(r.fpc > 0.0)) return {r.statistic, r.statistic};  // census: no sampling error
    // Wilson score interval with n replaced by n / fpc (the score statistic's variance p(1-p)/n times the FPC).
    const double m = r.effective_n / r.fpc;
    const double z2 = z * z;
    const double denom = 1.0 + z2 / m;
    const double centre = (p + z2 / (2.0 * m)) / denom;
    const double half = z * std::sqrt(p * (1.0 - p) / m + z2 / (4.0 * m * m)) / denom;
    // At p = 0 (1) the lower (upper) end is exactly 0 (100); the clip also removes rounding noise there.
    return {p > 0.0 ? 100.0 * std::max(centre - half, 0.0) : 0.0,
            p < 1.0 ? 100.0 * std::min(centre + half, 1.0) : 100.0};
  }
  if (r.n < 2 || !std::isfinite(r.standard_error)) return {nan, nan};
  return {r.statistic - t * r.standard_error, r.statistic + t * r.standard_error};
}

/// Pointer to row i of the matrix (rows are contiguous: the view is row-major).
inline const double* row_ptr(const item_matrix_view& items, Eigen::Index i) {
  return items.data() + i * items.outerStride();
}

}  // namespace detail

/**
 * An engagement index of an n x k item matrix, in one sweep over the data (two for the item-average methods
 * favourable_items and grand_mean, whose variance needs the item ratios first); rows are split over threads.
 *
 * Statistic and standard error (n = persons contributing, a_i = person i's scored answers):
 * - favourable_items: (1/K) sum_j p_j, p_j = % favourable among item j's answers (K items with answers).
 *   Var = sum_i z_i^2, z_i = (1/K) sum_j (f_ij - p_j a_ij) / A_j (linearisation over persons, divisor n).
 * - favourable_pooled / top3: sum_i f_i / sum_i a_i; Var = sum_i (f_i - p a_i)^2 / (sum_i a_i)^2.
 * - favourable_persons: % of persons whose mean over their scored answers is >= favourable_min - 1/2 (the mean
 *   rounds half up into the favourable band: 3.5 on a 5-point scale, as Lattice; 5.5 on 1-7; 8.5 on 0-10);
 *   favourable_all: % of persons favourable on every scored answer. Var = p(1-p)/n.
 * - mean_100: 100 (x - low)/(high - low) per response, pooled as a ratio like favourable_pooled, Var times
 *   n/(n-1). person_mean: mean of person means, Var = s^2/n. grand_mean: mean of item means, Var = n/(n-1)
 *   sum_i z_i^2 with z_i as for favourable_items on the raw values.
 * With one item and no missing data every proportion index has Var = p(1-p)/n and every mean index s^2/n.
 * The FPC multiplies the variance by (N - n)/(N - 1) for proportion indices and 1 - n/N for mean indices.
 * Wilson's effective n is n for the person-level indices; for the others it is p(1-p)/Var (Kish-style effective
 * sample size substitution), capped at the responses behind the figure, and n when p is 0 or 1 or Var = 0.
 *
 * **Example**:
 * ```
 * engage::row_matrix x(3, 4);
 * x << 10, 6, 9, 9,  7, 7, 8, 5,  6, 5, NAN, 4;          // Peakon's example, scale 0-10
 * engage::engagement_options o;
 * o.scale = engage::glint_scale(0, 10);
 * o.method = engage::index_method::person_mean;
 * auto r = engage::engagement_index(x, o);              // r.statistic == 6.75
 * auto ci = engage::confidence_interval(r);             // t interval, 2 df
 * ```
 */
inline engagement_result engagement_index(const item_matrix_view& items, const engagement_options& options = {}) {
  const detail::index_kernel kernel(options, items.cols());
  detail::require_rows(items);
  const auto n = static_cast<std::size_t>(items.rows());
  const std::size_t width = kernel.item_width();
  constexpr std::size_t min_chunk = std::size_t{1} << 15;
  const std::size_t chunks = detail::chunk_count(n, min_chunk);
  std::vector<detail::index_acc> parts(chunks);
  std::vector<double> item_parts(chunks * width, 0.0);
  detail::parallel_chunks(n, min_chunk, [&](std::size_t begin, std::size_t end, std::size_t c) {
    double* pairs = width ? item_parts.data() + c * width : nullptr;
    for (std::size_t i = begin; i < end; ++i) {
      const auto row = static_cast<Eigen::Index>(i);
      kernel.add_row(parts[c], detail::row_ptr(items, row), row, pairs);
    }
  });
  detail::index_acc total;
  for (const auto& p : parts) total += p;
  if (!kernel.item_average() || total.persons == 0) return detail::finish_index(total, kernel, options.population_size);
  std::vector<double> pairs(width, 0.0), w(width);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t j = 0; j < width; ++j) pairs[j] += item_parts[c * width + j];
  const auto [item_mean, used] = kernel.weights(pairs.data(), w.data());
  std::vector<double> z2(chunks, 0.0);
  detail::parallel_chunks(n, min_chunk, [&](std::size_t begin, std::size_t end, std::size_t c) {
    double s = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const auto row = static_cast<Eigen::Index>(i);
      const double z = kernel.influence(detail::row_ptr(items, row), row, w.data());
      s += z * z;
    }
    z2[c] = s;
  });
  for (const double s : z2) total.sum_z2 += s;
  return detail::finish_index(total, kernel, options.population_size, item_mean, used);
}

/**
 * Confidence interval of an index, in the index's units: Wilson score interval (n = `effective_n`, divided by
 * the FPC) for proportion indices, clipped to [0, 100]; statistic +/- t_{n-1} SE for mean indices (NaN when
 * n < 2). A census (population_size == n) gives the point itself.
 *
 * **Example**:
 * ```
 * auto ci = engage::confidence_interval(engage::engagement_index(x), 0.90);
 * ```
 */
inline interval confidence_interval(const engagement_result& r, double confidence_level = 0.95) {
  const double z = detail::normal_critical(confidence_level);
  const double t = r.proportion || r.n < 2 ? 0.0 : detail::t_critical(static_cast<double>(r.n) - 1.0, confidence_level);
  return detail::index_interval(r, z, t);
}

/// Options of the grouped index table.
struct engagement_by_options : engagement_options {
  /// Population size of a group key for the finite-population correction (census surveys); unset = none.
  std::function<double(std::int64_t)> population_of{};
  double confidence_level = 0.95;
  std::size_t min_group_size = 5;
  /// Parent partition of a group key for complementary suppression; unset = one partition.
  std::function<std::int64_t(std::int64_t)> parent_of{};
  /// Whether the person count of a hidden group is published (its figures never are).
  bool show_suppressed_n = false;
  /// The release the table is published in (default: a release of its own, with `min_group_size`);
  /// `publish.measures` names the item columns.
  publication publish{};
};

/// One row of the grouped index table. Hidden rows carry NaN figures and zero counts (n = 0 unless
/// `show_suppressed_n`).
struct engagement_group_row {
  std::int64_t key;
  engagement_result result;
  interval ci;
  suppression status;
  bool unanimous;  ///< shown, and every answer (person, for person-level methods) at one extreme
};

namespace detail {

/// The answer categories the unanimity rule reads: proportion indices publish a split (favourable or not,
/// top-3 or not), so 0 and 1; mean indices reveal every answer only at the scale's ends (0 lowest, 1
/// highest, -1 in between).
inline std::int32_t index_category(const index_kernel& kernel, int code) {
  const auto& coder = kernel.coder();
  switch (kernel.method()) {
    case index_method::top3: return coder.top3(code);
    case index_method::mean_100:
    case index_method::grand_mean:
    case index_method::person_mean: return code == 0 ? 0 : (code == coder.points() - 1 ? 1 : -1);
    default: return coder.favourable(code);
  }
}

/// A person-level method's figure is a function of the items the person answered, so the measure of a
/// person is the method over that item set ("person_mean(q1,q3)"): two tables over different item sets
/// share the answers of people whose answered items are the same in both.
inline bool person_level(index_method m) {
  return m == index_method::person_mean || m == index_method::favourable_persons || m == index_method::favourable_all;
}

}  // namespace detail

/**
 * The index for every group, under the confidentiality engine (groups are judged on `n`, the persons behind
 * their figure). One pass over the rows with `accumulate_by_key`; the item-average methods (favourable_items,
 * grand_mean), whose variance needs each group's item ratios first, code the keys once (`factorize`) and
 * sweep twice (`accumulate_by`, then the influence values). Per-group figures equal `engagement_index` on the
 * group's rows; items without a scored answer in a group are left out of that group's item average (see
 * `result.items`). Mean indices reuse one t critical value per distinct group size.
 *
 * **Example**:
 * ```
 * engage::engagement_by_options o;
 * o.method = engage::index_method::favourable_pooled;
 * auto rows = engage::engagement_index_by(items, team_ids, o);
 * for (auto& row : rows) if (row.status == engage::suppression::shown) use(row.key, row.result.statistic, row.ci);
 * ```
 */
inline std::vector<engagement_group_row> engagement_index_by(const item_matrix_view& items, codes_view keys,
                                                             const engagement_by_options& options = {}) {
  const detail::index_kernel kernel(options, items.cols());
  detail::require_same_length("items (rows)", static_cast<std::size_t>(items.rows()), "groups",
                              static_cast<std::size_t>(keys.size()));
  const double z = detail::normal_critical(options.confidence_level);
  if (options.min_group_size < 1) throw invalid_input("min_group_size = 0: must be at least 1");
  if (items.rows() == 0) throw insufficient_data("no rows: the grouped index needs at least one person");

  keyed<detail::index_acc> grouped;
  const std::size_t width = kernel.item_width();
  std::vector<double> item_means;
  std::vector<std::size_t> items_used;
  std::vector<std::int32_t> item_sole;
  if (!kernel.item_average()) {
    grouped = accumulate_by_key<detail::index_acc>(
        keys,
        [&](detail::index_acc& acc, Eigen::Index i) { kernel.add_row(acc, detail::row_ptr(items, i), i, nullptr); },
        [](const detail::index_acc& a) { return a.rows > 0; });
  } else {
    // The variance needs each group's item ratios before its influence values: code the keys once and sweep
    // twice. Item sums and weights live in flat group-major arrays, so a row touches one block per sweep.
    // (Visiting rows group by group instead keeps a group's sums in cache but reads rows out of order, which
    // measured slower for every number of groups.)
    auto f = factorize(keys);
    const std::size_t n_groups = f.keys.size();
    const Eigen::Map<const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>> codes(
        f.codes.data(), static_cast<Eigen::Index>(f.codes.size()));
    std::vector<double> pairs(n_groups * width, 0.0), w(n_groups * width);
    grouped.values = accumulate_by<detail::index_acc>(codes, n_groups, [&](detail::index_acc& acc, Eigen::Index i) {
      kernel.add_row(acc, detail::row_ptr(items, i), i, pairs.data() + static_cast<std::size_t>(codes[i]) * width);
    });
    grouped.keys = std::move(f.keys);
    // Unanimity of an item average: every answer favourable (or at the top), or none.
    const double top = kernel.method() == index_method::grand_mean ? kernel.coder().points() - 1 : 1;
    item_sole.assign(n_groups, -1);
    for (std::size_t g = 0; g < n_groups; ++g) {
      bool low = true, high = true;
      for (std::size_t j = 0; j < width; j += 2) {
        const double a = pairs[g * width + j], y = pairs[g * width + j + 1];
        low = low && y == 0, high = high && y == a * top;
      }
      item_sole[g] = low ? 0 : (high ? 1 : -1);
    }
    item_means.resize(n_groups), items_used.resize(n_groups);
    for (std::size_t g = 0; g < n_groups; ++g) {
      std::tie(item_means[g], items_used[g]) = kernel.weights(pairs.data() + g * width, w.data() + g * width);
    }
    for (Eigen::Index i = 0; i < codes.size(); ++i) {
      const auto g = static_cast<std::size_t>(codes[i]);
      const double zi = kernel.influence(detail::row_ptr(items, i), i, w.data() + g * width);
      grouped.values[g].sum_z2 += zi * zi;
    }
  }

  const std::size_t n_groups = grouped.values.size();
  std::vector<std::size_t> sizes(n_groups);
  std::uint64_t total = 0;
  for (std::size_t g = 0; g < n_groups; ++g) sizes[g] = grouped.values[g].persons, total += sizes[g];
  if (total == 0) {
    detail::index_acc all;
    for (const auto& v : grouped.values) all += v;
    (void)detail::finish_index(all, kernel, std::nullopt);  // throws the ungrouped "no person" error
  }
  group_summary summary{&grouped.keys, sizes, std::vector<std::int32_t>(n_groups, -1), {}};
  for (std::size_t g = 0; g < n_groups; ++g) {
    // A split at 0 % or 100 % (or a mean at a scale end) tells every member's answers.
    const auto& v = grouped.values[g];
    const double top = kernel.method() == index_method::mean_100 ? v.answered * (kernel.coder().points() - 1)
                                                                : v.answered;
    switch (kernel.method()) {
      case index_method::favourable_pooled:
      case index_method::top3:
      case index_method::mean_100:
        summary.sole_category[g] = v.sum_y == 0 ? 0 : (v.sum_y == top ? 1 : -1);
        break;
      case index_method::favourable_persons:
      case index_method::favourable_all:
        summary.sole_category[g] = v.sum_u == 0 ? 0 : (v.sum_u == double(v.persons) ? 1 : -1);
        break;
      case index_method::favourable_items:
      case index_method::grand_mean: summary.sole_category[g] = item_sole[g]; break;
      default: break;  // person means: only at a scale end, decided person by person in a shared release
    }
  }
  publication publish = options.publish;
  const auto decision = detail::decide_groups(
      publish, options.min_group_size, options.parent_of, summary, static_cast<std::size_t>(keys.size()),
      [&](auto&& emit) {
        const auto group = detail::group_of_rows(keys, grouped.keys);
        const auto k = static_cast<std::size_t>(items.cols());
        while (publish.measures.size() < k) publish.measures.push_back("item " + std::to_string(publish.measures.size()));
        std::unordered_map<std::string, std::size_t> pattern;  // answered item set -> measure index
        std::vector<int> codes(k);
        std::string set;
        for (std::size_t i = 0; i < group.size(); ++i) {
          const double* x = detail::row_ptr(items, static_cast<Eigen::Index>(i));
          std::size_t a = 0;
          int sum = 0, fav = 0;
          set.clear();
          for (std::size_t j = 0; j < k; ++j) {
            codes[j] = kernel.coder()(x[j], static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
            if (codes[j] < 0) continue;
            ++a, sum += codes[j], fav += kernel.coder().favourable(codes[j]);
            set += (set.empty() ? "" : ",") + publish.measures[j];
          }
          if (a == 0 || a < kernel.min_answered()) {
            emit(i, group[i], detail::no_answer, -1);
            continue;
          }
          if (!detail::person_level(kernel.method())) {
            for (std::size_t j = 0; j < k; ++j)
              if (codes[j] >= 0) emit(i, group[i], j, detail::index_category(kernel, codes[j]));
            continue;
          }
          const std::string name = std::string(to_string(kernel.method())) + "(" + set + ")";
          const auto [it, fresh] = pattern.try_emplace(name, publish.measures.size());
          if (fresh) publish.measures.push_back(name);
          std::int32_t cat = -1;
          if (kernel.method() == index_method::person_mean) {
            cat = sum == 0 ? 0 : (sum == int(a) * (kernel.coder().points() - 1) ? 1 : -1);
          } else if (kernel.method() == index_method::favourable_all) {
            cat = fav == int(a) ? 1 : 0;
          } else {
            cat = (2 * sum >= kernel.person_threshold() * int(a)) ? 1 : 0;
          }
          emit(i, group[i], it->second, cat);
        }
      },
      "engagement_index_by");
  const auto& status = decision.status;

  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::unordered_map<std::uint64_t, double> t_of_n;  // t critical values by group size (sizes repeat)
  std::vector<engagement_group_row> rows(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) {
    auto& row = rows[g];
    row.key = grouped.keys[g];
    row.status = status[g];
    row.unanimous = status[g] == suppression::shown && decision.unanimous[g];
    if (status[g] != suppression::shown) {
      row.result = engagement_result{};
      row.result.method = kernel.method();
      row.result.proportion = is_proportion(kernel.method());
      row.result.statistic = row.result.standard_error = row.result.effective_n = row.result.fpc = nan;
      row.result.n = options.show_suppressed_n ? grouped.values[g].persons : 0;
      row.result.min_answered = kernel.min_answered();
      row.ci = {nan, nan};
      continue;
    }
    std::optional<double> population;
    if (options.population_of) population = options.population_of(row.key);
    row.result = kernel.item_average()
                     ? detail::finish_index(grouped.values[g], kernel, population, item_means[g], items_used[g])
                     : detail::finish_index(grouped.values[g], kernel, population);
    double t = 0.0;
    if (!row.result.proportion && row.result.n > 1) {
      const auto [it, fresh] = t_of_n.try_emplace(row.result.n, 0.0);
      if (fresh) it->second = detail::t_critical(static_cast<double>(row.result.n) - 1.0, options.confidence_level);
      t = it->second;
    }
    row.ci = detail::index_interval(row.result, z, t);
  }
  return rows;
}

// ------------------------------------------------------------------------------------------------------------
// The item table
// ------------------------------------------------------------------------------------------------------------

/// One row of the favourability table (one item). Scored values are after reverse keying.
struct item_favourability {
  std::uint64_t n;          ///< scored answers
  std::uint64_t missing;    ///< skipped (NaN)
  std::uint64_t dont_know;  ///< don't-know answers
  std::uint64_t favourable, neutral, unfavourable;
  double pct_favourable, pct_neutral, pct_unfavourable;  ///< % of n (NaN when n = 0); not rounded
  double mean;              ///< on the raw scale (NaN when n = 0)
  double sd;                ///< sample standard deviation, divisor n - 1 (NaN when n < 2)
  double mean_100;          ///< 100 (mean - low)/(high - low), not rounded
  double glint_score;       ///< Viva Glint score: mean_100 rounded half to even (NaN when n = 0)
  std::array<std::uint64_t, 11> counts;  ///< answers per scale point low, low + 1, ..., high
};

/**
 * The favourability table of Viva Glint's `summarize_survey`: one row per item with its counts, % favourable /
 * neutral / unfavourable (the bands of `item_options::scale`), mean, standard deviation and the Glint score
 * round(100 (mean - 1)/(k - 1)) on the 1..k coding (= round(100 (mean - low)/(high - low))), in one pass.
 * Rounding is half to even on the binary value, as Python's round() and R's round() (IEC 60559) do for an exact
 * .5; percentages are not rounded. Mean and SD are computed from the exact per-point counts.
 *
 * **Example**:
 * ```
 * auto table = engage::favourability(items);   // table[j].pct_favourable, table[j].glint_score
 * ```
 */
inline std::vector<item_favourability> favourability(const item_matrix_view& items, const item_options& options = {}) {
  const detail::item_coder coder(options, items.cols());
  detail::require_rows(items);
  const auto k = static_cast<std::size_t>(items.cols());
  std::vector<item_favourability> out(k, item_favourability{});
  for (Eigen::Index i = 0; i < items.rows(); ++i) {
    const double* x = detail::row_ptr(items, i);
    for (std::size_t j = 0; j < k; ++j) {
      const int c = coder(x[j], i, static_cast<Eigen::Index>(j));
      if (c >= 0) ++out[j].counts[static_cast<std::size_t>(c)];
      else if (c == detail::item_coder::missing) ++out[j].missing;
      else ++out[j].dont_know;
    }
  }
  const int points = coder.points();
  const double low = options.scale.low, nan = std::numeric_limits<double>::quiet_NaN();
  for (auto& r : out) {
    double n = 0, sum = 0;
    for (int c = 0; c < points; ++c) {
      const auto cnt = r.counts[static_cast<std::size_t>(c)];
      r.n += cnt;
      if (coder.favourable(c)) r.favourable += cnt;
      else if (coder.unfavourable(c)) r.unfavourable += cnt;
      else r.neutral += cnt;
      n += static_cast<double>(cnt), sum += static_cast<double>(cnt) * c;
    }
    if (r.n == 0) {
      r.pct_favourable = r.pct_neutral = r.pct_unfavourable = r.mean = r.sd = r.mean_100 = r.glint_score = nan;
      continue;
    }
    r.pct_favourable = 100.0 * static_cast<double>(r.favourable) / n;
    r.pct_neutral = 100.0 * static_cast<double>(r.neutral) / n;
    r.pct_unfavourable = 100.0 * static_cast<double>(r.unfavourable) / n;
    const double m = sum / n;  // mean code
    double ss = 0;
    for (int c = 0; c < points; ++c) {
      ss += static_cast<double>(r.counts[static_cast<std::size_t>(c)]) * (c - m) * (c - m);
    }
    r.mean = low + m;
    r.sd = r.n > 1 ? std::sqrt(ss / (n - 1.0)) : nan;
    r.mean_100 = 100.0 * m / (points - 1);
    r.glint_score = detail::round_half_even(r.mean_100);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------
// Person-level scale scores and engagement categories
// ------------------------------------------------------------------------------------------------------------

/// Person-level scale scores.
struct scale_scores_result {
  std::vector<double> scores;          ///< person mean of scored answers (raw scale); NaN below the rule
  std::vector<std::int32_t> answered;  ///< scored answers per person
  std::uint64_t n;                     ///< persons with a score
  std::uint64_t below_minimum;         ///< persons with fewer than `min_answered` scored answers
  std::uint64_t missing, dont_know;    ///< cells
  std::size_t min_answered;
};

namespace detail {

inline void check_min_answered(std::size_t m, Eigen::Index columns) {
  if (m < 1 || m > static_cast<std::size_t>(columns)) {
    throw invalid_input("min_answered = " + std::to_string(m) + ": must be between 1 and the " +
                        std::to_string(columns) + " items");
  }
}

}  // namespace detail

/**
 * Each person's mean over their scored answers (reverse-keyed items reversed, don't-know and skips left out),
 * NaN for a person with fewer than `min_answered` scored answers (counted in `below_minimum`).
 *
 * **Example**:
 * ```
 * auto s = engage::scale_scores(items, {}, 3);   // s.scores[i], s.below_minimum
 * ```
 */
inline scale_scores_result scale_scores(const item_matrix_view& items, const item_options& options = {},
                                        std::size_t min_answered = 1) {
  const detail::item_coder coder(options, items.cols());
  detail::check_min_answered(min_answered, items.cols());
  detail::require_rows(items);
  scale_scores_result r{};
  r.min_answered = min_answered;
  const auto rows = static_cast<std::size_t>(items.rows());
  r.scores.assign(rows, std::numeric_limits<double>::quiet_NaN());
  r.answered.assign(rows, 0);
  for (Eigen::Index i = 0; i < items.rows(); ++i) {
    const double* x = detail::row_ptr(items, i);
    int a = 0, sum = 0;
    for (Eigen::Index j = 0; j < items.cols(); ++j) {
      const int c = coder(x[j], i, j);
      if (c >= 0) ++a, sum += c;
      else if (c == detail::item_coder::missing) ++r.missing;
      else ++r.dont_know;
    }
    const auto ii = static_cast<std::size_t>(i);
    r.answered[ii] = a;
    if (static_cast<std::size_t>(a) < min_answered) {
      ++r.below_minimum;
      continue;
    }
    ++r.n;
    r.scores[ii] = options.scale.low + static_cast<double>(sum) / a;
  }
  if (r.n == 0) {
    throw insufficient_data("no person has at least " + std::to_string(min_answered) + " scored answer" +
                            (min_answered == 1 ? "" : "s") + " (" + std::to_string(r.missing) + " skipped cells, " +
                            std::to_string(r.dont_know) + " don't-know cells)");
  }
  return r;
}

/**
 * The item matrix as the item functions score it, for statistics that take the answers themselves (reliability,
 * agreement): each response after reverse keying (`low + high - x`), NaN for a skipped item and for the
 * don't-know code. Any other value off the scale throws `invalid_input` naming its cell, exactly as
 * `engagement_index` does (the same coder checks both).
 *
 * ```
 * engage::item_options o;
 * o.dont_know = 9;
 * auto s = engage::scored_items(items, o);   // 9 -> NaN; 0, 6 or 2.5 on the default 1..5 scale throw
 * ```
 */
inline row_matrix scored_items(const item_matrix_view& items, const item_options& options = {}) {
  const detail::item_coder coder(options, items.cols());
  row_matrix out(items.rows(), items.cols());
  const double low = options.scale.low;
  for (Eigen::Index i = 0; i < items.rows(); ++i) {
    const double* x = detail::row_ptr(items, i);
    for (Eigen::Index j = 0; j < items.cols(); ++j) {
      const int c = coder(x[j], i, j);
      out(i, j) = c >= 0 ? low + c : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return out;
}

/// A person's engagement category.
enum class engagement_category : std::uint8_t {
  actively_disengaged = 0,
  not_engaged = 1,
  engaged = 2,
  unclassified = 3,  ///< fewer than `min_answered` scored answers
};

/// What the categoriser compares with its thresholds.
enum class category_basis : std::uint8_t {
  mean,   ///< the person's mean over scored answers
  share,  ///< the person's shares of favourable and of unfavourable answers
};

/**
 * A configurable engaged / not engaged / actively disengaged rule. NOT Gallup's classification, which is
 * proprietary and unpublished: every rule here, the default included, is an approximation to be labelled so.
 * - basis mean (default): engaged when the person mean >= `engaged` (default: the lowest favourable value,
 *   4 on a 1-5 scale, "agrees on average"); actively disengaged when the mean <= `actively_disengaged`
 *   (default: the highest unfavourable value, 2 on 1-5, "disagrees on average"); not engaged otherwise.
 * - basis share: engaged when the share of favourable answers >= `engaged` (default 1: favourable on every
 *   answered item); actively disengaged when the share of unfavourable answers >= `actively_disengaged`
 *   (default 0.5). The two thresholds must sum to more than 1, so no one is both.
 */
struct category_rule {
  category_basis basis = category_basis::mean;
  std::optional<double> engaged{};
  std::optional<double> actively_disengaged{};
};

/// Persons by engagement category.
struct engagement_categories_result {
  std::vector<engagement_category> categories;  ///< per person
  std::uint64_t engaged, not_engaged, actively_disengaged;
  std::uint64_t unclassified;  ///< fewer than `min_answered` scored answers
  std::uint64_t n;             ///< persons classified
  std::uint64_t missing, dont_know;
  double pct_engaged, pct_not_engaged, pct_actively_disengaged;  ///< % of n, unrounded (sum 100 up to rounding)
  /// engaged / actively disengaged (Gallup's "engagement ratio"); +inf when no one is actively disengaged but
  /// someone is engaged, NaN when neither; `ratio_defined` is false in both cases.
  double engagement_ratio;
  bool ratio_defined;
  category_basis basis;
  double engaged_threshold, actively_disengaged_threshold;  ///< the rule as applied
};

/**
 * Sorts persons into engaged / not engaged / actively disengaged with a configurable `category_rule` (an
 * approximation; see there). Persons with fewer than `min_answered` scored answers are unclassified.
 *
 * **Example**:
 * ```
 * auto c = engage::engagement_categories(items);   // c.pct_engaged, c.engagement_ratio
 * ```
 */
inline engagement_categories_result engagement_categories(const item_matrix_view& items,
                                                          const item_options& options = {},
                                                          const category_rule& rule = {},
                                                          std::size_t min_answered = 1) {
  const detail::item_coder coder(options, items.cols());
  detail::check_min_answered(min_answered, items.cols());
  const auto& s = options.scale;
  engagement_categories_result r{};
  r.basis = rule.basis;
  if (rule.basis == category_basis::mean) {
    r.engaged_threshold = rule.engaged.value_or(s.favourable_min);
    r.actively_disengaged_threshold = rule.actively_disengaged.value_or(s.unfavourable_max);
    const double lo = s.low, hi = s.high;
    if (!(r.engaged_threshold >= lo && r.engaged_threshold <= hi && r.actively_disengaged_threshold >= lo &&
          r.actively_disengaged_threshold <= hi && r.actively_disengaged_threshold < r.engaged_threshold)) {
      throw invalid_input("rule thresholds (engaged " + detail::format_value(r.engaged_threshold) +
                          ", actively_disengaged " + detail::format_value(r.actively_disengaged_threshold) +
                          "): person-mean thresholds must lie on the scale " + std::to_string(s.low) + ".." +
                          std::to_string(s.high) + " with actively_disengaged < engaged");
    }
  } else {
    r.engaged_threshold = rule.engaged.value_or(1.0);
    r.actively_disengaged_threshold = rule.actively_disengaged.value_or(0.5);
    const double e = r.engaged_threshold, d = r.actively_disengaged_threshold;
    if (!(e > 0.0 && e <= 1.0 && d > 0.0 && d <= 1.0 && e + d > 1.0)) {
      throw invalid_input("rule thresholds (engaged " + detail::format_value(e) + ", actively_disengaged " +
                          detail::format_value(d) +
                          "): shares must lie in (0, 1] and sum to more than 1 (so no one is both)");
    }
  }
  detail::require_rows(items);
  r.categories.assign(static_cast<std::size_t>(items.rows()), engagement_category::unclassified);
  for (Eigen::Index i = 0; i < items.rows(); ++i) {
    const double* x = detail::row_ptr(items, i);
    int a = 0, sum = 0, fav = 0, unfav = 0;
    for (Eigen::Index j = 0; j < items.cols(); ++j) {
      const int c = coder(x[j], i, j);
      if (c >= 0) ++a, sum += c, fav += coder.favourable(c), unfav += coder.unfavourable(c);
      else if (c == detail::item_coder::missing) ++r.missing;
      else ++r.dont_know;
    }
    auto& cat = r.categories[static_cast<std::size_t>(i)];
    if (static_cast<std::size_t>(a) < min_answered) {
      ++r.unclassified;
      continue;
    }
    bool engaged = false, disengaged = false;
    if (rule.basis == category_basis::mean) {
      const double mean = s.low + static_cast<double>(sum) / a;  // correctly rounded: exact ties compare equal
      engaged = mean >= r.engaged_threshold, disengaged = mean <= r.actively_disengaged_threshold;
    } else {
      engaged = static_cast<double>(fav) / a >= r.engaged_threshold;
      disengaged = static_cast<double>(unfav) / a >= r.actively_disengaged_threshold;
    }
    cat = engaged ? engagement_category::engaged
                  : (disengaged ? engagement_category::actively_disengaged : engagement_category::not_engaged);
    if (engaged) ++r.engaged;
    else if (disengaged) ++r.actively_disengaged;
    else ++r.not_engaged;
  }
  r.n = r.engaged + r.not_engaged + r.actively_disengaged;
  if (r.n == 0) {
    throw insufficient_data("no person has at least " + std::to_string(min_answered) + " scored answer" +
                            (min_answered == 1 ? "" : "s") + " to classify (" + std::to_string(r.missing) +
                            " skipped cells, " + std::to_string(r.dont_know) + " don't-know cells)");
  }
  const double n = static_cast<double>(r.n);
  r.pct_engaged = 100.0 * static_cast<double>(r.engaged) / n;
  r.pct_not_engaged = 100.0 * static_cast<double>(r.not_engaged) / n;
  r.pct_actively_disengaged = 100.0 * static_cast<double>(r.actively_disengaged) / n;
  r.ratio_defined = r.actively_disengaged > 0;
  if (r.ratio_defined) {
    r.engagement_ratio = static_cast<double>(r.engaged) / static_cast<double>(r.actively_disengaged);
  } else {
    r.engagement_ratio = r.engaged > 0 ? std::numeric_limits<double>::infinity()
                                       : std::numeric_limits<double>::quiet_NaN();
  }
  return r;
}

/**
 * Percentages rounded for display so that they sum to 100, as Gallup reports them: engaged and actively
 * disengaged are rounded half to even at `decimals` places and not engaged takes the remainder.
 * Returns {engaged, not engaged, actively disengaged}.
 *
 * **Example**:
 * ```
 * auto p = engage::rounded_percentages(c);   // e.g. {33, 49, 18}
 * ```
 */
inline std::array<double, 3> rounded_percentages(const engagement_categories_result& r, int decimals = 0) {
  if (decimals < 0 || decimals > 10) {
    throw invalid_input("decimals = " + std::to_string(decimals) + ": must be between 0 and 10");
  }
  const double scale = std::pow(10.0, decimals);
  const double e = detail::round_half_even(r.pct_engaged * scale) / scale;
  const double d = detail::round_half_even(r.pct_actively_disengaged * scale) / scale;
  const double rest = detail::round_half_even((100.0 - e - d) * scale) / scale;
  return {e, rest, d};
}

}  // namespace engage
