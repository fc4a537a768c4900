// Synthetic organisation: determinism, shapes, value ranges, the calendar, consistency between the tables,
// planted effects visible in the latent truth, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <engage/datasets.hpp>
#include <set>

namespace {

engage::organisation make(std::size_t n, std::size_t teams, int waves, std::uint64_t seed) {
  engage::organisation_options o;
  o.n_employees = n, o.n_teams = teams, o.waves = waves, o.seed = seed;
  return engage::synthetic_organisation(o);
}

/// Equality that treats NaN as equal to NaN (the missing values must sit in the same places).
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx), syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

void expect_invalid(engage::organisation_options o, const std::string& fragment) {
  try {
    (void)engage::synthetic_organisation(o);
    FAIL() << "expected engage::invalid_input mentioning " << fragment;
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(SyntheticOrganisation, SameSeedGivesIdenticalOutput) {
  const auto a = make(2000, 50, 3, 7), b = make(2000, 50, 3, 7);
  EXPECT_EQ(a.employee_ids, b.employee_ids);
  EXPECT_EQ(a.survey.employee, b.survey.employee);
  EXPECT_EQ(a.survey.team, b.survey.team);
  EXPECT_EQ(a.survey.tenure_band, b.survey.tenure_band);
  EXPECT_TRUE(same(a.survey.items, b.survey.items));
  EXPECT_TRUE(same(a.survey.enps, b.survey.enps));
  EXPECT_TRUE(same(a.survey.intent_to_stay, b.survey.intent_to_stay));
  EXPECT_EQ(a.hris.hire_date, b.hris.hire_date);
  EXPECT_EQ(a.hris.exit_date, b.hris.exit_date);
  EXPECT_EQ(a.hris.exit, b.hris.exit);
  EXPECT_EQ(a.customers.csat_mean, b.customers.csat_mean);
  EXPECT_EQ(a.customers.customer_nps, b.customers.customer_nps);
  EXPECT_EQ(a.customers.customers_surveyed, b.customers.customers_surveyed);
  EXPECT_EQ(a.team_department, b.team_department);
}

TEST(SyntheticOrganisation, DifferentSeedsDiffer) {
  const auto a = make(2000, 50, 2, 1), b = make(2000, 50, 2, 2);
  EXPECT_FALSE(same(a.survey.items, b.survey.items));
  EXPECT_NE(a.hris.hire_date, b.hris.hire_date);
  EXPECT_NE(a.customers.csat_mean, b.customers.csat_mean);
}

TEST(SyntheticOrganisation, KnownFirstValuesForTheDefaultSeed) {
  // Pins the streams (Boost.Random output is specified, so these do not depend on the standard library).
  // A deliberate change to the generator updates these values and reruns examples/make_sample_data.py.
  const auto a = make(3000, 100, 2, 2026), b = engage::synthetic_organisation();
  EXPECT_EQ(a.employee_ids, b.employee_ids);
  EXPECT_TRUE(same(a.survey.items, b.survey.items));
  EXPECT_EQ(a.survey.size(), 4973u);
  EXPECT_EQ(a.employee_ids[static_cast<std::size_t>(a.survey.employee[0])], "R00002");
  const std::vector<double> first(a.survey.items.begin(), a.survey.items.begin() + 12);
  EXPECT_EQ(first, (std::vector<double>{4, 4, 4, 2, 4, 5, 4, 4, 3, 4, 5, 9}));
  EXPECT_EQ(a.survey.enps[0], 7.0);
  EXPECT_EQ(engage::iso_date(a.hris.hire_date[0]), "2022-10-01");
  EXPECT_EQ(a.customers.customers_surveyed[0], 55);
  EXPECT_NEAR(a.customers.csat_mean[0], 210.0 / 55.0, 1e-12);
  std::size_t exits = 0;
  for (auto e : a.hris.exit) exits += e != engage::exit_type::none;
  EXPECT_EQ(exits, 814u);
  EXPECT_EQ(a.team_labels.front(), "T001");
  EXPECT_EQ(a.team_labels.back(), "T100");
}

TEST(SyntheticOrganisation, Shapes) {
  const auto org = make(3000, 100, 2, 2026);
  const auto& S = org.survey;
  const std::size_t rows = S.size();
  EXPECT_EQ(S.items.size(), rows * engage::synthetic_item_count);
  EXPECT_EQ(S.enps.size(), rows);
  EXPECT_EQ(S.intent_to_stay.size(), rows);
  EXPECT_EQ(S.team.size(), rows);
  EXPECT_EQ(S.wave.size(), rows);
  EXPECT_EQ(S.tenure_band.size(), rows);
  EXPECT_EQ(S.engagement.size(), rows);
  // Two waves with 80-85% response from roughly 3000 employees each.
  EXPECT_GT(rows, 2u * 3000u * 70u / 100u);
  EXPECT_LT(rows, 2u * 3000u * 95u / 100u);
  // HRIS: the first-wave headcount plus about 15% hires a year over two years.
  EXPECT_EQ(org.hris.size(), org.employee_ids.size());
  EXPECT_EQ(org.hris.size(), 3000u + 900u);
  EXPECT_EQ(org.customers.size(), 100u * 8u);
  EXPECT_EQ(org.team_labels.size(), 100u);
  EXPECT_EQ(org.team_department.size(), 100u);
  EXPECT_EQ(org.team_location.size(), 100u);
  EXPECT_EQ(org.department_labels.size(), 10u);
  EXPECT_EQ(org.team_engagement.size(), 100u * 9u);
}

TEST(SyntheticOrganisation, CalendarAndLabels) {
  const auto org = make(500, 10, 5, 3);
  EXPECT_EQ(engage::iso_date(org.wave_dates[0]), "2024-02-15");
  EXPECT_EQ(engage::iso_date(org.wave_dates[1]), "2024-08-15");
  EXPECT_EQ(engage::iso_date(org.wave_dates[4]), "2026-02-15");
  ASSERT_EQ(org.quarter_labels.size(), 10u);  // max(8, 2 * waves)
  EXPECT_EQ(org.quarter_labels.front(), "2024Q1");
  EXPECT_EQ(org.quarter_labels.back(), "2026Q2");
  EXPECT_EQ(org.wave_quarter, (std::vector<std::int32_t>{0, 2, 4, 6, 8}));
  EXPECT_EQ(engage::iso_date(org.window_end), "2026-08-15");
  EXPECT_EQ(engage::iso_date(19768), "2024-02-15");
  EXPECT_EQ(engage::iso_date(0), "1970-01-01");
  EXPECT_EQ(engage::iso_date(engage::no_date), "");
  const auto two = make(500, 10, 2, 3);
  EXPECT_EQ(engage::iso_date(two.window_end), "2026-02-15");  // two years after the first wave
  std::set<std::string> ids(org.employee_ids.begin(), org.employee_ids.end());
  EXPECT_EQ(ids.size(), org.employee_ids.size());
  for (const auto& id : org.employee_ids) EXPECT_EQ(id.size(), 6u);
}

TEST(SyntheticOrganisation, ValueRanges) {
  const auto org = make(3000, 100, 2, 11);
  const auto& S = org.survey;
  for (double v : S.items) {
    if (std::isnan(v)) continue;
    EXPECT_TRUE(v == 9.0 || (v >= 1.0 && v <= 5.0 && v == std::floor(v))) << v;
  }
  for (double v : S.enps) {
    if (std::isnan(v)) continue;
    EXPECT_TRUE(v >= 0.0 && v <= 10.0 && v == std::floor(v)) << v;
  }
  for (double v : S.intent_to_stay) {
    if (std::isnan(v)) continue;
    EXPECT_TRUE(v >= 1.0 && v <= 5.0 && v == std::floor(v)) << v;
  }
  for (std::size_t i = 0; i < S.size(); ++i) {
    EXPECT_GE(S.wave[i], 1);
    EXPECT_LE(S.wave[i], 2);
    EXPECT_GE(S.tenure_band[i], 0);
    EXPECT_LE(S.tenure_band[i], 3);
    ASSERT_LT(static_cast<std::size_t>(S.employee[i]), org.hris.size());
    EXPECT_EQ(S.team[i], org.hris.team[static_cast<std::size_t>(S.employee[i])]);
  }
  for (std::size_t i = 0; i < org.customers.size(); ++i) {
    EXPECT_GE(org.customers.csat_mean[i], 1.0);
    EXPECT_LE(org.customers.csat_mean[i], 5.0);
    EXPECT_GE(org.customers.customer_nps[i], -100.0);
    EXPECT_LE(org.customers.customer_nps[i], 100.0);
    EXPECT_GE(org.customers.customers_surveyed[i], 50);
    EXPECT_LE(org.customers.customers_surveyed[i], 250);
  }
  for (std::int32_t d : org.team_department) EXPECT_LT(static_cast<std::size_t>(d), org.department_labels.size());
  for (std::int32_t l : org.team_location) EXPECT_LT(static_cast<std::size_t>(l), org.location_labels.size());
}

TEST(SyntheticOrganisation, TablesAreConsistent) {
  const auto org = make(3000, 100, 3, 5);
  const auto& H = org.hris;
  std::vector<std::size_t> first_wave_headcount(100, 0);
  for (std::size_t i = 0; i < H.size(); ++i) {
    EXPECT_LT(H.hire_date[i], org.window_end);
    if (H.exit[i] == engage::exit_type::none) {
      EXPECT_EQ(H.exit_date[i], engage::no_date);
    } else {
      EXPECT_GT(H.exit_date[i], H.hire_date[i]);
      EXPECT_GT(H.exit_date[i], org.window_start);
      EXPECT_LT(H.exit_date[i], org.window_end);
    }
    if (H.hire_date[i] < org.window_start) ++first_wave_headcount[static_cast<std::size_t>(H.team[i])];
  }
  for (std::size_t t = 0; t < 100; ++t) EXPECT_GE(first_wave_headcount[t], 1u) << "team " << t;
  // Respondents were employed on the wave date, each at most once per wave.
  std::set<std::pair<std::int64_t, std::int32_t>> seen;
  for (std::size_t i = 0; i < org.survey.size(); ++i) {
    const auto e = static_cast<std::size_t>(org.survey.employee[i]);
    const std::int32_t day = org.wave_dates[static_cast<std::size_t>(org.survey.wave[i] - 1)];
    EXPECT_LT(H.hire_date[e], day);
    EXPECT_TRUE(H.exit_date[e] == engage::no_date || H.exit_date[e] > day);
    EXPECT_TRUE(seen.insert({org.survey.employee[i], org.survey.wave[i]}).second);
  }
}

TEST(SyntheticOrganisation, SmallestOrganisation) {
  const auto org = make(1, 1, 1, 0);
  EXPECT_EQ(org.team_labels.size(), 1u);
  EXPECT_EQ(org.customers.size(), 8u);
  EXPECT_GE(org.hris.size(), 1u);
  EXPECT_LE(org.survey.size(), 1u);
}

TEST(SyntheticOrganisation, PlantedEffectsInTheLatentTruth) {
  const auto org = make(40000, 800, 2, 99);
  const auto& P = org.planted;
  // Response rate among first-wave employees (about 40000 invitations: SE 0.002).
  std::size_t wave1 = 0;
  for (std::int32_t w : org.survey.wave) wave1 += w == 1;
  EXPECT_NEAR(static_cast<double>(wave1) / 40000.0, P.response_rate, 0.01);
  // Latent engagement is standard normal overall.
  double m = 0, v = 0;
  for (double e : org.survey.engagement) m += e;
  m /= static_cast<double>(org.survey.size());
  for (double e : org.survey.engagement) v += (e - m) * (e - m);
  v /= static_cast<double>(org.survey.size());
  EXPECT_NEAR(m, 0.0, 0.08);  // the mean of 800 team effects alone has SD 0.02
  EXPECT_NEAR(v, 1.0, 0.08);
  // Customer latent follows team engagement one quarter later: corr(team engagement, csat) with 800 teams x
  // 8 quarters; the observed csat_mean carries some sampling noise, so it sits a little below 0.4.
  const std::size_t cols = org.quarter_labels.size() + 1;
  std::vector<double> lag, same, csat;
  for (std::size_t i = 0; i < org.customers.size(); ++i) {
    const auto t = static_cast<std::size_t>(org.customers.team[i]);
    const auto q = static_cast<std::size_t>(org.customers.quarter[i]);
    if (q == 0) continue;
    lag.push_back(org.team_engagement[t * cols + q]);       // quarter q - 1
    same.push_back(org.team_engagement[t * cols + q + 1]);  // quarter q
    csat.push_back(org.customers.csat_mean[i]);
  }
  const double r_lag = correlation(lag, csat), r_same = correlation(same, csat);
  EXPECT_NEAR(r_lag, P.customer_lag_correlation, 0.06);
  EXPECT_NEAR(r_same, P.customer_same_quarter_correlation(), 0.06);
  EXPECT_GT(r_lag, r_same + 0.08);
}

TEST(SyntheticOrganisation, RejectsBadInput) {
  engage::organisation_options o;
  o.n_employees = 0;
  expect_invalid(o, "n_employees = 0");
  o = {};
  o.n_employees = engage::max_synthetic_employees + 1;
  expect_invalid(o, "n_employees = 10000001");
  o = {};
  o.n_teams = 0;
  expect_invalid(o, "n_teams = 0");
  o = {};
  o.n_employees = 10, o.n_teams = 11;
  expect_invalid(o, "n_teams = 11");
  o = {};
  o.waves = 0;
  expect_invalid(o, "waves = 0");
  o = {};
  o.waves = engage::max_synthetic_waves + 1;
  expect_invalid(o, "waves = 11");
}
