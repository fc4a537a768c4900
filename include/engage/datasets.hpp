#pragma once
/// @file datasets.hpp
/// A deterministic synthetic organisation with planted effects, for examples, teaching and tests: an
/// engagement survey (several waves), an HRIS extract with exits, and team-level customer outcomes.
///
/// Model (all values in `planted_effects`):
/// - Team latent engagement per quarter, u = sd_team * (sqrt(stable) * s + sqrt(1 - stable) * v), with s a
///   stable team effect and v a quarterly AR(1); its variance is `team_variance_share` of the latent total.
/// - Person latent engagement at wave w, e = u(team, quarter of w) + sqrt(1 - share) * (sqrt(r) * trait +
///   sqrt(1 - r) * state_w), standard normal overall; r = `person_wave_correlation`.
/// - Ordinal items (1-5), the eNPS item (0-10) and intent to stay (1-5) come from latent normals through
///   thresholds fixed by marginal category probabilities (ordered probit), with item-specific loadings.
/// - Exits: competing proportional hazards (voluntary, involuntary), piecewise constant in the survey cycle
///   in force and the tenure band; censored at the end of the observation window.
/// - Customers: team-quarter latent c(q) = rho * u(q - 1) / sd_team + sqrt(1 - rho^2) z, so engagement leads
///   customer outcomes by one quarter; ratings are drawn by ordered probit per customer (multinomial counts).
///
/// Every draw uses Boost.Random engines and distributions, whose output is specified by Boost and therefore
/// the same on every standard library; each part of the model has its own engine seeded from `seed`. The
/// only platform dependence left is the last bit of libm's exp/erfc, which could move a value across a
/// category edge in rare cases.

#include <algorithm>
#include <array>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"
#include "errors.hpp"

namespace engage {

/// Size and seed of a synthetic organisation. `n_employees` is the headcount at the first wave; people
/// hired during the observation window come on top (about `hire_rate` per year of that headcount).
struct organisation_options {
  std::size_t n_employees = 3000;
  std::size_t n_teams = 100;
  int waves = 2;
  std::uint64_t seed = 2026;
};

/// Largest accepted `n_employees` and `waves` (memory grows with their product).
inline constexpr std::size_t max_synthetic_employees = 10'000'000;
inline constexpr int max_synthetic_waves = 10;

/// Number of agreement items (q01..q12) in the synthetic survey.
inline constexpr int synthetic_item_count = 12;

/// Item code for "don't know / does not apply" (a valid answer that is not on the 1-5 scale).
inline constexpr double dont_know_code = 9.0;

/// Date value meaning "no date" (no exit) in day-number columns.
inline constexpr std::int32_t no_date = std::numeric_limits<std::int32_t>::min();

/// Tenure bands, shortest first; band codes index this table.
inline constexpr std::array<std::string_view, 4> tenure_band_labels{"<1y", "1-2y", "2-5y", "5y+"};

/// How an employment ended; codes index `exit_type_labels`.
enum class exit_type : std::uint8_t { none = 0, voluntary = 1, involuntary = 2 };
inline constexpr std::array<std::string_view, 3> exit_type_labels{"none", "voluntary", "involuntary"};

/// The true values behind the synthetic data. Correlations and loadings are on the latent (probit) scale;
/// hazards are per year; log hazard ratios are natural logs.
struct planted_effects {
  // Structure and latent engagement.
  /// SD of the log-normal team-size weights: 0.8 gives the skew of real organisations (a few teams of 2-5
  /// people, whose figures the confidentiality rules must hide, beside teams of 60 and more).
  double team_size_log_sd = 0.8;
  double team_variance_share = 0.33;         ///< latent ICC: share of engagement variance between teams
  double team_stable_share = 0.5;            ///< share of the team variance that never changes
  double team_quarterly_autocorrelation = 0.2;  ///< AR(1) coefficient of the changing team part
  double person_wave_correlation = 0.7;      ///< correlation of a person's own component across waves

  // Survey.
  double response_rate = 0.82;
  std::array<double, 12> item_loadings{0.74, 0.70, 0.66, 0.72, 0.62, 0.68, 0.64, 0.60, 0.70, 0.63, 0.67, 0.65};
  /// Marginal probabilities of answers 1..5 for an item with threshold shift 0.
  std::array<double, 5> item_category_probabilities{0.04, 0.10, 0.22, 0.40, 0.24};
  /// Added to an item's thresholds (latent SD units): positive = harder to agree with.
  std::array<double, 12> item_threshold_shifts{0.0, -0.2, 0.1, 0.3, -0.1, 0.2, 0.0, 0.4, -0.3, 0.1, 0.2, -0.1};
  double item_skip_rate = 0.03;  ///< per item, NaN
  std::array<double, 12> item_dont_know_rates{0.005, 0.005, 0.01, 0.01, 0.01, 0.02,
                                              0.01,  0.01,  0.02, 0.03, 0.04, 0.04};  ///< coded 9
  double enps_loading = 0.75;
  /// Marginal probabilities of eNPS answers 0..10: 35% detractors, 35% passives, 30% promoters (eNPS -5).
  std::array<double, 11> enps_category_probabilities{0.03, 0.02, 0.03, 0.04, 0.05, 0.09,
                                                     0.09, 0.16, 0.19, 0.13, 0.17};
  double enps_skip_rate = 0.03;
  double intent_engagement_correlation = 0.6;  ///< latent intent to stay vs latent engagement
  std::array<double, 5> intent_category_probabilities{0.06, 0.12, 0.25, 0.32, 0.25};
  double intent_skip_rate = 0.03;

  // HRIS.
  std::array<double, 4> tenure_band_probabilities{0.16, 0.14, 0.30, 0.40};  ///< at the first wave
  double five_plus_mean_extra_years = 6.0;   ///< tenure beyond 5 years is exponential with this mean
  double hire_rate = 0.15;                   ///< hires per year per first-wave employee
  double voluntary_baseline_hazard = 0.08;   ///< per year at engagement 0, intent 3+, tenure 2-5y
  double involuntary_baseline_hazard = 0.03;
  double log_hr_engagement = -0.5;           ///< voluntary, per SD of latent engagement
  double log_hr_low_intent = 0.7;            ///< voluntary, latent intent in the "1" or "2" answer range
  std::array<double, 4> log_hr_tenure{0.4, 0.2, 0.0, -0.3};  ///< voluntary, by tenure band
  double involuntary_log_hr_engagement = 0.0;

  // Customers.
  double customer_lag_correlation = 0.4;  ///< corr(team engagement in quarter q, customer latent in q + 1)
  double customer_loading = 0.6;          ///< of one customer's rating latent on the team-quarter latent
  std::array<double, 5> csat_category_probabilities{0.04, 0.08, 0.18, 0.40, 0.30};  ///< ratings 1..5
  std::array<double, 3> customer_nps_category_probabilities{0.20, 0.35, 0.45};  ///< detractor, passive, promoter
  std::int64_t customers_min = 50, customers_max = 250;  ///< customers surveyed per team-quarter (uniform)

  /// Implied corr(team engagement in quarter q, customer latent in q): the lag correlation times the
  /// quarter-to-quarter correlation of team engagement.
  [[nodiscard]] double customer_same_quarter_correlation() const {
    return customer_lag_correlation *
           (team_stable_share + (1.0 - team_stable_share) * team_quarterly_autocorrelation);
  }
};

/// One row per respondent per wave, ordered by wave then employee id.
struct survey_table {
  std::vector<std::int64_t> employee;  ///< row in `organisation::hris` (and index into `employee_ids`)
  std::vector<std::int32_t> team;      ///< team code (index into `team_labels`)
  std::vector<std::int8_t> tenure_band;  ///< at the wave date (index into `tenure_band_labels`)
  std::vector<std::int32_t> wave;      ///< 1..waves
  std::vector<double> enps;            ///< 0..10, NaN = skipped
  std::vector<double> items;           ///< row-major rows x 12: 1..5, 9 = don't know, NaN = skipped
  std::vector<double> intent_to_stay;  ///< 1..5, NaN = skipped
  std::vector<double> engagement;      ///< the latent engagement (truth, for validation)

  [[nodiscard]] std::size_t size() const { return employee.size(); }
};

/// One row per person employed at some time in the window, ordered by employee id.
struct hris_table {
  std::vector<std::int32_t> team;
  std::vector<std::int32_t> hire_date;  ///< days since 1970-01-01
  std::vector<std::int32_t> exit_date;  ///< days since 1970-01-01, or `no_date`
  std::vector<exit_type> exit;

  [[nodiscard]] std::size_t size() const { return team.size(); }
};

/// One row per team per quarter, ordered by team then quarter.
struct customer_table {
  std::vector<std::int32_t> team;
  std::vector<std::int32_t> quarter;        ///< index into `quarter_labels`
  std::vector<double> csat_mean;            ///< mean customer satisfaction rating on 1..5
  std::vector<double> customer_nps;         ///< -100..100
  std::vector<std::int64_t> customers_surveyed;

  [[nodiscard]] std::size_t size() const { return team.size(); }
};

/// A synthetic organisation: three tables plus label tables, the calendar and the planted values.
struct organisation {
  survey_table survey;
  hris_table hris;
  customer_table customers;
  std::vector<std::string> employee_ids;  ///< "R00042": one per HRIS row, also the survey respondent id
  std::vector<std::string> team_labels;   ///< "T017"
  std::vector<std::string> department_labels, location_labels;
  std::vector<std::int32_t> team_department, team_location;  ///< per team: index into the label tables
  std::vector<std::string> quarter_labels;                    ///< "2024Q1", ...
  std::vector<std::int32_t> wave_dates;    ///< fieldwork day of each wave (days since 1970-01-01)
  std::vector<std::int32_t> wave_quarter;  ///< quarter of each wave (index into `quarter_labels`)
  std::int32_t window_start = 0;           ///< first day of the exit observation window (= wave 1)
  std::int32_t window_end = 0;             ///< first day after the window: exits from then on are censored
  /// Latent team engagement (truth), row-major teams x (quarters + 1); column j is quarter j - 1.
  std::vector<double> team_engagement;
  planted_effects planted;
};

namespace detail {

/// SplitMix64 (Steele, Lea & Flood 2014): decorrelated engine seeds for the parts of the model.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline boost::random::mt19937_64 stream(std::uint64_t seed, std::uint64_t part) {
  return boost::random::mt19937_64(splitmix64(splitmix64(seed) ^ (0xD1B54A32D192ED03ULL * (part + 1))));
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
inline std::int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct civil_date {
  int year, month, day;
};

inline civil_date civil_from_days(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2), m, d};
}

/// The calendar: wave w (0-based) is fielded on the 15th of February / August, starting 2024-02-15,
/// i.e. in quarter 2w counted from 2024Q1. Customer quarters run from 2024Q1 for max(8, 2 * waves) quarters.
inline constexpr int first_year = 2024;
inline constexpr int first_month = 2;
inline constexpr int field_day = 15;
inline constexpr double days_per_year = 365.25;

inline std::int32_t months_after_start(int months) {
  const int m0 = first_month - 1 + months;
  return days_from_civil(first_year + m0 / 12, m0 % 12 + 1, field_day);
}

/// Label "T017" / "R00042": prefix and the number zero-padded to `width`.
inline std::string padded_label(char prefix, std::size_t number, std::size_t width) {
  std::string digits = std::to_string(number);
  std::string out(1, prefix);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  return out + digits;
}

/// Ordered-probit thresholds from marginal category probabilities (K - 1 cut-points for K categories).
template <std::size_t K>
std::array<double, K - 1> probit_thresholds(const std::array<double, K>& p, double shift = 0.0) {
  const boost::math::normal_distribution<double, math_policy> normal;
  std::array<double, K - 1> t{};
  double cum = 0.0;
  for (std::size_t k = 0; k + 1 < K; ++k) {
    cum += p[k];
    t[k] = boost::math::quantile(normal, std::min(cum, 1.0 - 1e-12)) + shift;
  }
  return t;
}

/// Category index 0..K-1 of a latent value (branch-free: the latent values are random, so branches would
/// mispredict).
template <std::size_t M>
int category(double y, const std::array<double, M>& thresholds) {
  int k = 0;
  for (double t : thresholds) k += y > t;
  return k;
}

/// Two uniforms on [0, 1) at 32-bit resolution from one 64-bit engine output: the many skip and
/// don't-know decisions need no more, and this halves their engine calls.
inline std::array<double, 2> two_uniforms(boost::random::mt19937_64& gen) {
  const std::uint64_t x = gen();  // mt19937_64 outputs all 64 bits
  constexpr double scale = 1.0 / 4294967296.0;
  return {static_cast<double>(x >> 32) * scale, static_cast<double>(x & 0xFFFFFFFFULL) * scale};
}

inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

/// A binomial draw that accepts the end points p = 0 and p = 1.
template <class Engine>
std::int64_t binomial(Engine& gen, std::int64_t n, double p) {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  return boost::random::binomial_distribution<std::int64_t, double>(n, p)(gen);
}

inline void check_organisation_options(const organisation_options& o) {
  if (o.n_employees < 1 || o.n_employees > max_synthetic_employees) {
    throw invalid_input("n_employees = " + std::to_string(o.n_employees) + ": must be between 1 and " +
                        std::to_string(max_synthetic_employees));
  }
  if (o.n_teams < 1 || o.n_teams > o.n_employees) {
    throw invalid_input("n_teams = " + std::to_string(o.n_teams) +
                        ": must be at least 1 and at most n_employees (" + std::to_string(o.n_employees) + ")");
  }
  if (o.waves < 1 || o.waves > max_synthetic_waves) {
    throw invalid_input("waves = " + std::to_string(o.waves) + ": must be between 1 and " +
                        std::to_string(max_synthetic_waves));
  }
}

}  // namespace detail

/**
 * ISO 8601 text ("2024-02-15") of a day number (days since 1970-01-01); empty for `no_date`.
 *
 * **Example**:
 * ```
 * auto s = engage::iso_date(19768);   // "2024-02-15"
 * ```
 */
inline std::string iso_date(std::int32_t days) {
  if (days == no_date) return {};
  const auto c = detail::civil_from_days(days);
  char buf[40];  // room for any int, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

/**
 * Generates a synthetic organisation with planted effects (see the file comment and `planted_effects`).
 * Deterministic for given options; O(n_employees * waves + n_teams * quarters) time and memory.
 *
 * Teams belong to one of 10 departments and one of 5 locations. The survey waves are six months apart,
 * from 2024-02-15; exits are observed from the first wave for 3 * max(8, 2 * waves) months (two years for
 * up to four waves) and censored after; customer outcomes cover the same quarters, 2024Q1 onwards.
 *
 * **Example**:
 * ```
 * engage::organisation_options o; o.n_employees = 20000; o.n_teams = 400;
 * auto org = engage::synthetic_organisation(o);
 * auto first = org.employee_ids[org.survey.employee[0]];   // "R00001"-style id of the first respondent
 * double q01 = org.survey.items[0 * engage::synthetic_item_count + 0];
 * ```
 */
inline organisation synthetic_organisation(const organisation_options& options = {}) {
  detail::check_organisation_options(options);
  namespace br = boost::random;
  organisation org;
  const planted_effects& P = org.planted;
  const std::size_t n0 = options.n_employees;
  const std::size_t n_teams = options.n_teams;
  const auto waves = static_cast<std::size_t>(options.waves);
  constexpr std::size_t n_items = synthetic_item_count;

  // ---- Calendar.
  const std::size_t n_quarters = std::max<std::size_t>(8, 2 * waves);
  for (std::size_t q = 0; q < n_quarters; ++q) {
    org.quarter_labels.push_back(std::to_string(detail::first_year + static_cast<int>(q / 4)) + "Q" +
                                 std::to_string(q % 4 + 1));
  }
  for (std::size_t w = 0; w < waves; ++w) {
    org.wave_dates.push_back(detail::months_after_start(6 * static_cast<int>(w)));
    org.wave_quarter.push_back(static_cast<std::int32_t>(2 * w));
  }
  org.window_start = org.wave_dates[0];
  org.window_end = detail::months_after_start(3 * static_cast<int>(n_quarters));

  // ---- Structure: departments, locations, team sizes and the team engagement process.
  org.department_labels = {"Sales",   "Support", "Engineering", "Operations", "Marketing",
                           "Product", "Finance", "HR",          "Legal",      "Logistics"};
  const std::array<double, 10> department_weights{0.16, 0.14, 0.18, 0.12, 0.08, 0.08, 0.07, 0.05, 0.04, 0.08};
  org.location_labels = {"London", "Manchester", "Dublin", "Lisbon", "Edinburgh"};
  const std::array<double, 5> location_weights{0.35, 0.20, 0.15, 0.20, 0.10};

  auto structure = detail::stream(options.seed, 0);
  br::normal_distribution<double> std_normal(0.0, 1.0);
  br::uniform_01<double> unif;
  {
    br::discrete_distribution<int, double> pick_department(department_weights.begin(), department_weights.end());
    br::discrete_distribution<int, double> pick_location(location_weights.begin(), location_weights.end());
    const std::size_t width = std::max<std::size_t>(3, std::to_string(n_teams).size());
    org.team_labels.reserve(n_teams);
    for (std::size_t t = 0; t < n_teams; ++t) {
      org.team_labels.push_back(detail::padded_label('T', t + 1, width));
      org.team_department.push_back(pick_department(structure));
      org.team_location.push_back(pick_location(structure));
    }
  }
  // Team sizes: one each, the rest multinomial with log-normal weights (sequential binomials, O(teams)).
  std::vector<std::size_t> team_size(n_teams, 1);
  {
    std::vector<double> weight(n_teams);
    for (auto& w : weight) w = std::exp(P.team_size_log_sd * std_normal(structure));
    double remaining_weight = std::accumulate(weight.begin(), weight.end(), 0.0);
    auto remaining = static_cast<std::int64_t>(n0 - n_teams);
    for (std::size_t t = 0; t < n_teams && remaining > 0; ++t) {
      const std::int64_t k = t + 1 == n_teams ? remaining
                                               : detail::binomial(structure, remaining, weight[t] / remaining_weight);
      team_size[t] += static_cast<std::size_t>(k);
      remaining -= k;
      remaining_weight -= weight[t];
    }
  }
  const double sd_team = std::sqrt(P.team_variance_share);
  const double sd_person = std::sqrt(1.0 - P.team_variance_share);
  const std::size_t n_cols = n_quarters + 1;  // column 0 is the quarter before 2024Q1
  org.team_engagement.resize(n_teams * n_cols);
  {
    const double a = std::sqrt(P.team_stable_share), b = std::sqrt(1.0 - P.team_stable_share);
    const double phi = P.team_quarterly_autocorrelation, innovation = std::sqrt(1.0 - phi * phi);
    for (std::size_t t = 0; t < n_teams; ++t) {
      const double stable = std_normal(structure);
      double v = std_normal(structure);
      for (std::size_t j = 0; j < n_cols; ++j) {
        if (j > 0) v = phi * v + innovation * std_normal(structure);
        org.team_engagement[t * n_cols + j] = sd_team * (a * stable + b * v);
      }
    }
  }

  // ---- People, indexed by HRIS row (id order) from the start so that every later pass is sequential.
  // Ids are pseudonymous: incumbents and hires are scattered at random over the ids, so id order says
  // nothing about team or hire date.
  const double window_years = static_cast<double>(n_quarters) / 4.0;
  const auto n_hires = static_cast<std::size_t>(std::llround(static_cast<double>(n0) * P.hire_rate * window_years));
  const std::size_t n = n0 + n_hires;
  constexpr std::int32_t hired_later = -1;
  std::vector<std::int32_t> incumbent_team(n0);  // in team order
  std::vector<std::int32_t> team(n, hired_later), hire(n);
  {
    std::size_t i = 0;
    for (std::size_t t = 0; t < n_teams; ++t) {
      for (std::size_t k = 0; k < team_size[t]; ++k, ++i) incumbent_team[i] = static_cast<std::int32_t>(t);
    }
    std::copy(incumbent_team.begin(), incumbent_team.end(), team.begin());
    auto ids = detail::stream(options.seed, 3);
    for (std::size_t k = n; k > 1; --k) {  // Fisher-Yates
      br::uniform_int_distribution<std::size_t> pick(0, k - 1);
      std::swap(team[k - 1], team[pick(ids)]);
    }
  }
  std::vector<double> engagement(n * waves), intent(n * waves);  // latent, person-major
  {
    auto people = detail::stream(options.seed, 1);
    br::discrete_distribution<int, double> pick_band(P.tenure_band_probabilities.begin(),
                                                     P.tenure_band_probabilities.end());
    br::exponential_distribution<double> extra_years(1.0 / P.five_plus_mean_extra_years);
    br::uniform_int_distribution<std::size_t> pick_incumbent(0, n0 - 1);
    br::uniform_int_distribution<std::int32_t> pick_hire_day(org.window_start + 1, org.window_end - 1);
    constexpr std::array<double, 4> band_edge{0.0, 1.0, 2.0, 5.0};
    const double r = P.person_wave_correlation, rho = P.intent_engagement_correlation;
    for (std::size_t p = 0; p < n; ++p) {
      if (team[p] != hired_later) {
        const auto band = static_cast<std::size_t>(pick_band(people));
        const double years = band == 3 ? band_edge[3] + std::min(extra_years(people), 35.0)
                                       : band_edge[band] + (band_edge[band + 1] - band_edge[band]) * unif(people);
        const auto days = std::max<std::int32_t>(1, static_cast<std::int32_t>(std::lround(years * detail::days_per_year)));
        hire[p] = org.window_start - days;
      } else {  // a hire joins a team in proportion to its size
        team[p] = incumbent_team[pick_incumbent(people)];
        hire[p] = pick_hire_day(people);
      }
      const double trait = std_normal(people);
      for (std::size_t w = 0; w < waves; ++w) {
        const double own = std::sqrt(r) * trait + std::sqrt(1.0 - r) * std_normal(people);
        const double e = org.team_engagement[static_cast<std::size_t>(team[p]) * n_cols + 2 * w + 1] + sd_person * own;
        engagement[p * waves + w] = e;
        intent[p * waves + w] = rho * e + std::sqrt(1.0 - rho * rho) * std_normal(people);
      }
    }
  }

  // ---- Exits: competing piecewise-constant hazards over (survey cycle in force) x (tenure band).
  const auto intent_thresholds = detail::probit_thresholds(P.intent_category_probabilities);
  std::vector<std::int32_t> exit_day(n, no_date);
  std::vector<exit_type> exit_kind(n, exit_type::none);
  {
    auto exits = detail::stream(options.seed, 2);
    br::exponential_distribution<double> unit_exp(1.0);
    const double end = org.window_end;
    for (std::size_t p = 0; p < n; ++p) {
      const double h = hire[p];
      const std::array<double, 3> tenure_edge{h + detail::days_per_year, h + 2 * detail::days_per_year,
                                              h + 5 * detail::days_per_year};
      double t = std::max<double>(h, org.window_start);
      double budget = unit_exp(exits);  // cumulative hazard at which the person leaves
      std::size_t w = 0;
      while (t < end) {
        while (w + 1 < waves && org.wave_dates[w + 1] <= t) ++w;
        std::size_t band = 0;
        while (band < 3 && tenure_edge[band] <= t) ++band;
        double seg_end = end;
        if (w + 1 < waves) seg_end = std::min<double>(seg_end, org.wave_dates[w + 1]);
        if (band < 3) seg_end = std::min(seg_end, tenure_edge[band]);
        const double e = engagement[p * waves + w];
        const bool low_intent = intent[p * waves + w] <= intent_thresholds[1];
        const double vol = P.voluntary_baseline_hazard *
                           std::exp(P.log_hr_engagement * e + (low_intent ? P.log_hr_low_intent : 0.0) +
                                    P.log_hr_tenure[band]);
        const double invol = P.involuntary_baseline_hazard * std::exp(P.involuntary_log_hr_engagement * e);
        const double rate = (vol + invol) / detail::days_per_year;  // per day
        const double used = rate * (seg_end - t);
        if (used >= budget) {
          t += budget / rate;
          const auto day = static_cast<std::int32_t>(std::ceil(t));
          const double u = unif(exits);
          if (day < org.window_end) {
            exit_day[p] = std::max(day, hire[p] + 1);
            exit_kind[p] = u * (vol + invol) < vol ? exit_type::voluntary : exit_type::involuntary;
          }
          break;
        }
        budget -= used;
        t = seg_end;
      }
    }
  }
  {
    const std::size_t width = std::max<std::size_t>(5, std::to_string(n).size());
    org.employee_ids.reserve(n);
    for (std::size_t row = 0; row < n; ++row) org.employee_ids.push_back(detail::padded_label('R', row + 1, width));
  }

  // ---- Survey: every employee at the wave date is invited; respondents answer by ordered probit.
  {
    auto survey = detail::stream(options.seed, 4);
    std::array<std::array<double, 4>, n_items> item_thresholds{};
    for (std::size_t k = 0; k < n_items; ++k) {
      item_thresholds[k] = detail::probit_thresholds(P.item_category_probabilities, P.item_threshold_shifts[k]);
    }
    std::array<double, n_items> item_uniqueness{};  // residual SD of each item's latent
    for (std::size_t k = 0; k < n_items; ++k) item_uniqueness[k] = std::sqrt(1.0 - P.item_loadings[k] * P.item_loadings[k]);
    const auto enps_thresholds = detail::probit_thresholds(P.enps_category_probabilities);
    const double enps_uniqueness = std::sqrt(1.0 - P.enps_loading * P.enps_loading);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto& S = org.survey;
    const auto expected = static_cast<std::size_t>(static_cast<double>(n0 * waves) * (P.response_rate + 0.05));
    S.employee.reserve(expected), S.team.reserve(expected), S.tenure_band.reserve(expected);
    S.wave.reserve(expected), S.enps.reserve(expected), S.intent_to_stay.reserve(expected);
    S.engagement.reserve(expected), S.items.reserve(expected * n_items);
    for (std::size_t w = 0; w < waves; ++w) {
      const std::int32_t day = org.wave_dates[w];
      for (std::size_t p = 0; p < n; ++p) {
        if (!(hire[p] < day && (exit_day[p] == no_date || exit_day[p] > day))) continue;
        if (!(unif(survey) < P.response_rate)) continue;
        const double e = engagement[p * waves + w];
        const double tenure_years = (day - hire[p]) / detail::days_per_year;
        S.employee.push_back(static_cast<std::int64_t>(p));
        S.team.push_back(team[p]);
        S.tenure_band.push_back(static_cast<std::int8_t>(tenure_years < 1.0 ? 0 : tenure_years < 2.0 ? 1
                                                         : tenure_years < 5.0 ? 2 : 3));
        S.wave.push_back(static_cast<std::int32_t>(w + 1));
        S.engagement.push_back(e);
        for (std::size_t k = 0; k < n_items; k += 2) {
          const auto u = detail::two_uniforms(survey);
          for (std::size_t j = 0; j < 2; ++j) {
            const std::size_t item = k + j;
            if (u[j] < P.item_skip_rate) {
              S.items.push_back(nan);
            } else if (u[j] < P.item_skip_rate + P.item_dont_know_rates[item]) {
              S.items.push_back(dont_know_code);
            } else {
              const double y = P.item_loadings[item] * e + item_uniqueness[item] * std_normal(survey);
              S.items.push_back(1.0 + detail::category(y, item_thresholds[item]));
            }
          }
        }
        const auto u = detail::two_uniforms(survey);
        if (u[0] < P.enps_skip_rate) {
          S.enps.push_back(nan);
        } else {
          const double y = P.enps_loading * e + enps_uniqueness * std_normal(survey);
          S.enps.push_back(detail::category(y, enps_thresholds));
        }
        S.intent_to_stay.push_back(u[1] < P.intent_skip_rate
                                       ? nan
                                       : 1.0 + detail::category(intent[p * waves + w], intent_thresholds));
      }
    }
  }

  // ---- Customers: the team's engagement in the previous quarter drives this quarter's customers.
  {
    auto customers = detail::stream(options.seed, 5);
    br::uniform_int_distribution<std::int64_t> pick_count(P.customers_min, P.customers_max);
    const double g = P.customer_loading, s = std::sqrt(1.0 - g * g);
    const double rho = P.customer_lag_correlation, rest = std::sqrt(1.0 - rho * rho);
    const auto csat_thresholds = detail::probit_thresholds(P.csat_category_probabilities);
    const auto nps_thresholds = detail::probit_thresholds(P.customer_nps_category_probabilities);
    auto& C = org.customers;
    const std::size_t rows = n_teams * n_quarters;
    C.team.reserve(rows), C.quarter.reserve(rows), C.csat_mean.reserve(rows);
    C.customer_nps.reserve(rows), C.customers_surveyed.reserve(rows);
    for (std::size_t t = 0; t < n_teams; ++t) {
      for (std::size_t q = 0; q < n_quarters; ++q) {
        const double c = rho * org.team_engagement[t * n_cols + q] / sd_team + rest * std_normal(customers);
        const std::int64_t m = pick_count(customers);
        // Ratings 1..5: multinomial counts by sequential binomials on the ordered-probit probabilities.
        std::int64_t left = m;
        double below = 0.0, total = 0.0;
        for (std::size_t k = 0; k < 5; ++k) {
          const double cum = k < 4 ? detail::normal_cdf((csat_thresholds[k] - g * c) / s) : 1.0;
          const double pk = cum - below;
          const std::int64_t count = k < 4 ? detail::binomial(customers, left, pk / std::max(1.0 - below, 1e-300))
                                           : left;
          total += static_cast<double>((k + 1) * static_cast<std::size_t>(count));
          left -= count;
          below = cum;
        }
        const double pd = detail::normal_cdf((nps_thresholds[0] - g * c) / s);
        const double pr = 1.0 - detail::normal_cdf((nps_thresholds[1] - g * c) / s);
        const std::int64_t detractors = detail::binomial(customers, m, pd);
        const std::int64_t promoters = detail::binomial(customers, m - detractors, pr / std::max(1.0 - pd, 1e-300));
        C.team.push_back(static_cast<std::int32_t>(t));
        C.quarter.push_back(static_cast<std::int32_t>(q));
        C.csat_mean.push_back(total / static_cast<double>(m));
        C.customer_nps.push_back(100.0 * static_cast<double>(promoters - detractors) / static_cast<double>(m));
        C.customers_surveyed.push_back(m);
      }
    }
  }
  org.hris.team = std::move(team);
  org.hris.hire_date = std::move(hire);
  org.hris.exit_date = std::move(exit_day);
  org.hris.exit = std::move(exit_kind);
  return org;
}

}  // namespace engage
