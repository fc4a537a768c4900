// Engagement indices: reference values (tests/data/engagement_reference.json, made by
// tests/data/engagement_reference.py and cross-checked against R survey by engagement_reference.R), the vendor
// worked examples of PRODUCT.md 3.3, the grouped table, the item table, scale scores, categories and bad input.
#include <gtest/gtest.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <engage/engagement.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.hpp"

namespace {

using engage_test::expect_close;
using engage_test::load;

using engage::index_method;

engage::row_matrix matrix(const nlohmann::json& rows) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  const auto k = static_cast<Eigen::Index>(rows[0].size());
  engage::row_matrix x(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      const auto& v = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      x(i, j) = v.is_null() ? NAN : v.get<double>();
    }
  return x;
}

engage::row_matrix matrix(std::initializer_list<std::initializer_list<double>> rows) {
  engage::row_matrix x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& r : rows) {
    Eigen::Index j = 0;
    for (const double v : r) x(i, j++) = v;
    ++i;
  }
  return x;
}

/// One column of answers from counts per scale point low, low + 1, ... (plus `nan_rows` skipped rows).
engage::row_matrix from_counts(const std::vector<int>& counts, int low, int nan_rows = 0) {
  std::vector<double> v;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    v.insert(v.end(), static_cast<std::size_t>(counts[c]), low + static_cast<double>(c));
  }
  v.insert(v.end(), static_cast<std::size_t>(nan_rows), NAN);
  engage::row_matrix x(static_cast<Eigen::Index>(v.size()), 1);
  for (std::size_t i = 0; i < v.size(); ++i) x(static_cast<Eigen::Index>(i), 0) = v[i];
  return x;
}

engage::item_options case_options(const nlohmann::json& c) {
  engage::item_options o;
  o.scale = engage::glint_scale(c["scale"][0].get<int>(), c["scale"][1].get<int>());
  if (!c["bands"].is_null()) o.scale.unfavourable_max = c["bands"][0], o.scale.favourable_min = c["bands"][1];
  for (const auto& j : c["reverse"]) o.reverse.push_back(j.get<Eigen::Index>());
  if (!c["dont_know"].is_null()) o.dont_know = c["dont_know"].get<double>();
  return o;
}

engage::engagement_options index_options(const nlohmann::json& c, const nlohmann::json& res) {
  engage::engagement_options o;
  static_cast<engage::item_options&>(o) = case_options(c);
  o.method = engage::parse_index_method(res["method"].get<std::string>());
  o.min_answered = res["min_answered"].get<std::size_t>();
  if (res.contains("population_size") && !res["population_size"].is_null()) {
    o.population_size = res["population_size"].get<double>();
  }
  if (res.contains("rescale") && !res["rescale"].is_null()) {
    o.rescale = engage::interval{res["rescale"][0], res["rescale"][1]};
  }
  return o;
}

TEST(EngagementReference, IndicesAndIntervalsMatchPythonPeers) {
  const auto ref = load("engagement_reference.json");
  std::size_t checked = 0;
  for (const auto& c : ref["cases"]) {
    const auto x = matrix(c["items"]);
    for (const auto& res : c["results"]) {
      const auto o = index_options(c, res);
      const std::string id = c["name"].get<std::string>() + " " + res["method"].get<std::string>() +
                             " min_answered " + res["min_answered"].dump() +
                             (res.contains("population_size") ? " N " + res["population_size"].dump() : "");
      const auto r = engage::engagement_index(x, o);
      expect_close(r.statistic, res["statistic"], id + " statistic");
      expect_close(r.standard_error, res["standard_error"], id + " se");
      expect_close(r.effective_n, res["effective_n"], id + " effective n");
      EXPECT_EQ(r.n, res["n"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.responses, res["responses"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.missing, res["missing"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.dont_know, res["dont_know"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.excluded, res["excluded"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.items, res["items"].get<std::size_t>()) << id;
      for (const auto& iv : res["intervals"]) {
        const auto ci = engage::confidence_interval(r, iv["level"].get<double>());
        expect_close(ci.low, iv["low"], id + " low " + iv["level"].dump());
        expect_close(ci.high, iv["high"], id + " high " + iv["level"].dump());
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 100u);
}

TEST(EngagementReference, FavourabilityTable) {
  const auto ref = load("engagement_reference.json");
  for (const auto& c : ref["cases"]) {
    const auto table = engage::favourability(matrix(c["items"]), case_options(c));
    ASSERT_EQ(table.size(), c["favourability"].size());
    for (std::size_t j = 0; j < table.size(); ++j) {
      const auto& e = c["favourability"][j];
      const auto& t = table[j];
      const std::string id = c["name"].get<std::string>() + " item " + std::to_string(j);
      EXPECT_EQ(t.n, e["n"].get<std::uint64_t>()) << id;
      EXPECT_EQ(t.missing, e["missing"].get<std::uint64_t>()) << id;
      EXPECT_EQ(t.dont_know, e["dont_know"].get<std::uint64_t>()) << id;
      EXPECT_EQ(t.favourable, e["favourable"].get<std::uint64_t>()) << id;
      EXPECT_EQ(t.neutral, e["neutral"].get<std::uint64_t>()) << id;
      EXPECT_EQ(t.unfavourable, e["unfavourable"].get<std::uint64_t>()) << id;
      for (std::size_t p = 0; p < e["counts"].size(); ++p) {
        EXPECT_EQ(t.counts[p], e["counts"][p].get<std::uint64_t>()) << id;
      }
      if (e["n"] == 0) {
        EXPECT_TRUE(std::isnan(t.mean) && std::isnan(t.pct_favourable) && std::isnan(t.glint_score)) << id;
        continue;
      }
      expect_close(t.pct_favourable, e["pct_favourable"], id + " fav");
      expect_close(t.pct_neutral, e["pct_neutral"], id + " neutral");
      expect_close(t.pct_unfavourable, e["pct_unfavourable"], id + " unfav");
      expect_close(t.mean, e["mean"], id + " mean");
      expect_close(t.mean_100, e["mean_100"], id + " mean_100");
      EXPECT_EQ(t.glint_score, e["glint_score"].get<double>()) << id;
      if (!e["sd"].is_null()) expect_close(t.sd, e["sd"], id + " sd");
    }
  }
}

TEST(EngagementReference, ScaleScoresAndCategories) {
  const auto ref = load("engagement_reference.json");
  for (const auto& c : ref["cases"]) {
    const auto x = matrix(c["items"]);
    const auto o = case_options(c);
    for (const auto& e : c["scale_scores"]) {
      const auto s = engage::scale_scores(x, o, e["min_answered"].get<std::size_t>());
      EXPECT_EQ(s.below_minimum, e["below_minimum"].get<std::uint64_t>());
      for (std::size_t i = 0; i < s.scores.size(); ++i) {
        EXPECT_EQ(s.answered[i], e["answered"][i].get<int>());
        if (e["scores"][i].is_null()) {
          EXPECT_TRUE(std::isnan(s.scores[i]));
        } else {
          expect_close(s.scores[i], e["scores"][i], "scale score");
        }
      }
    }
    for (const auto& e : c["categories"]) {
      engage::category_rule rule;
      rule.basis = e["basis"] == "mean" ? engage::category_basis::mean : engage::category_basis::share;
      if (!e["rule_engaged"].is_null()) rule.engaged = e["rule_engaged"].get<double>();
      if (!e["rule_actively_disengaged"].is_null()) {
        rule.actively_disengaged = e["rule_actively_disengaged"].get<double>();
      }
      const auto r = engage::engagement_categories(x, o, rule, e["min_answered"].get<std::size_t>());
      const std::string id = c["name"].get<std::string>() + " " + e["basis"].get<std::string>();
      EXPECT_EQ(r.engaged, e["engaged"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.not_engaged, e["not_engaged"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.actively_disengaged, e["actively_disengaged"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.unclassified, e["unclassified"].get<std::uint64_t>()) << id;
      expect_close(r.engaged_threshold, e["engaged_threshold"], id);
      expect_close(r.pct_engaged, e["pct_engaged"], id);
      expect_close(r.pct_not_engaged, e["pct_not_engaged"], id);
      expect_close(r.pct_actively_disengaged, e["pct_actively_disengaged"], id);
      if (e["engagement_ratio"].is_null()) {
        EXPECT_FALSE(r.ratio_defined) << id;
      } else {
        expect_close(r.engagement_ratio, e["engagement_ratio"], id);
      }
      const char* names[] = {"actively_disengaged", "not_engaged", "engaged", "unclassified"};
      for (std::size_t i = 0; i < r.categories.size(); ++i) {
        EXPECT_EQ(names[static_cast<int>(r.categories[i])], e["categories"][i].get<std::string>()) << id << " " << i;
      }
    }
  }
}

// ---- PRODUCT.md 3.3 worked examples --------------------------------------------------------------------------

engage::engagement_result run(const engage::row_matrix& x, index_method m, int low = 1, int high = 5,
                              std::size_t min_answered = 0) {
  engage::engagement_options o;
  o.scale = engage::glint_scale(low, high);
  o.method = m;
  o.min_answered = min_answered;
  return engage::engagement_index(x, o);
}

TEST(EngagementVendor, PeakonAggregationOrder) {
  // Three employees, four items on 0-10: person means 8.5, 6.75, 5 -> 6.75; item means average 7.04.
  const auto x = matrix({{10, 6, 9, 9}, {7, 7, 8, 5}, {6, 5, NAN, 4}});
  EXPECT_DOUBLE_EQ(run(x, index_method::person_mean, 0, 10).statistic, 6.75);
  const auto g = run(x, index_method::grand_mean, 0, 10);
  EXPECT_NEAR(g.statistic, (23.0 / 3 + 6 + 8.5 + 6) / 4, 1e-12);
  EXPECT_EQ(std::round(g.statistic * 100) / 100, 7.04);
  EXPECT_EQ(g.missing, 1u);
}

TEST(EngagementVendor, LatticeFiftyPercentExcludesNonResponders) {
  // 30 SA, 20 A, 10 N, 25 D, 15 SD plus 50 non-responders: 50 favourable of 100 responders = 50%.
  const auto x = from_counts({15, 25, 10, 20, 30}, 1, 50);
  for (const auto m : {index_method::favourable_persons, index_method::favourable_items,
                       index_method::favourable_pooled, index_method::favourable_all}) {
    const auto r = run(x, m);
    EXPECT_DOUBLE_EQ(r.statistic, 50.0) << engage::to_string(m);
    EXPECT_EQ(r.n, 100u);
    EXPECT_EQ(r.excluded, 50u);
    EXPECT_EQ(r.missing, 50u);
  }
  EXPECT_DOUBLE_EQ(run(x, index_method::top3).statistic, 60.0);  // SA + A + N
}

TEST(EngagementVendor, PerceptyxCounts) {
  const auto ref = load("engagement_reference.json");
  for (const auto& p : ref["vendor"]["perceptyx"]) {
    const auto x = from_counts(p["counts"].get<std::vector<int>>(), 1);
    const auto fav = run(x, index_method::favourable_pooled);
    expect_close(fav.statistic, p["pct_favourable"], "perceptyx % favourable");
    EXPECT_EQ(std::round(fav.statistic * 10) / 10, p["printed"]["pct_favourable"].get<double>());
    const auto ci = engage::confidence_interval(fav);
    expect_close(ci.low, p["wilson_95"][0], "wilson low");
    expect_close(ci.high, p["wilson_95"][1], "wilson high");
    const auto mean = run(x, index_method::grand_mean);
    expect_close(mean.statistic, p["mean"], "perceptyx mean");
    EXPECT_EQ(std::round(mean.statistic * 100) / 100, p["printed"]["mean"].get<double>());
    expect_close(mean.standard_error, p["mean_se"], "mean se");
    const auto t = engage::confidence_interval(mean);
    expect_close(t.low, p["t_95"][0], "t low");
    expect_close(t.high, p["t_95"][1], "t high");
    expect_close(run(x, index_method::person_mean).statistic, p["mean"], "person mean");
  }
}

TEST(EngagementVendor, EngagedlyThemeFavourability) {
  // Items with 80, 60, 20, 60 and 0 % favourable: (80 + 60 + 20 + 60 + 0)/5 = 44%.
  const auto x = matrix({{5, 4, 4, 5, 2}, {4, 5, 2, 4, 3}, {4, 4, 1, 5, 1}, {5, 2, 3, 2, 2}, {2, 3, 3, 3, 3}});
  EXPECT_NEAR(run(x, index_method::favourable_items).statistic, 44.0, 1e-12);
  const auto table = engage::favourability(x);
  const double expected[] = {80, 60, 20, 60, 0};
  for (std::size_t j = 0; j < 5; ++j) EXPECT_NEAR(table[j].pct_favourable, expected[j], 1e-12);
}

TEST(EngagementVendor, GlintFinitePopulationMargin) {
  // N = 1000, n = 500, p = 0.5: SE 1.58 points, +/-3.1 at 95% ("+/-3%").
  const auto x = from_counts({250, 0, 0, 0, 250}, 1);
  engage::engagement_options o;
  o.method = index_method::favourable_pooled;
  o.population_size = 1000;
  const auto r = engage::engagement_index(x, o);
  const auto ref = load("engagement_reference.json")["vendor"]["glint_fpc"];
  expect_close(r.standard_error, ref["standard_error"], "glint se");
  EXPECT_EQ(std::round(r.standard_error * 100) / 100, 1.58);
  const auto ci = engage::confidence_interval(r);
  expect_close(ci.low, ref["wilson_95"][0], "wilson fpc low");
  expect_close(ci.high, ref["wilson_95"][1], "wilson fpc high");
  o.population_size = 500;  // a census: no sampling error
  const auto census = engage::engagement_index(x, o);
  EXPECT_EQ(census.standard_error, 0.0);
  EXPECT_EQ(engage::confidence_interval(census).low, 50.0);
}

// ---- properties ------------------------------------------------------------------------------------------------

engage::row_matrix random_items(std::size_t n, Eigen::Index k, std::uint32_t seed, double p_missing = 0.1) {
  boost::random::mt19937 gen(seed);
  boost::random::uniform_int_distribution<int> point(1, 5);
  boost::random::uniform_01<double> u;
  engage::row_matrix x(static_cast<Eigen::Index>(n), k);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const int shift = point(gen) - 3;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double r = u(gen);
      x(i, j) = r < p_missing ? NAN : (r < p_missing + 0.03 ? 9.0 : std::clamp(point(gen) + shift, 1, 5));
    }
  }
  return x;
}

TEST(Engagement, OneCompleteItemIsWilsonAndT) {
  const auto x = from_counts({3, 4, 5, 8, 5}, 1);
  const auto fav = run(x, index_method::favourable_items);
  EXPECT_DOUBLE_EQ(fav.statistic, 52.0);
  EXPECT_NEAR(fav.standard_error, 100 * std::sqrt(0.52 * 0.48 / 25), 1e-12);
  EXPECT_DOUBLE_EQ(fav.effective_n, 25.0);
  for (const auto m : {index_method::favourable_pooled, index_method::favourable_persons}) {
    const auto r = run(x, m);
    EXPECT_NEAR(r.standard_error, fav.standard_error, 1e-12);
    EXPECT_EQ(engage::confidence_interval(r).low, engage::confidence_interval(fav).low);
  }
  const auto a = run(x, index_method::person_mean), b = run(x, index_method::grand_mean);
  const auto c = run(x, index_method::mean_100);
  EXPECT_NEAR(a.standard_error, b.standard_error, 1e-12);
  EXPECT_NEAR(c.standard_error, 25.0 * a.standard_error, 1e-10);
}

TEST(Engagement, ParallelChunksAgreeWithGroupedSinglePass) {
  // 70000 rows are split over threads in engagement_index; one group in engagement_index_by is serial.
  const auto x = random_items(70000, 5, 11);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>::Zero(x.rows());
  for (const auto name : engage::index_method_names) {
    engage::engagement_by_options o;
    o.dont_know = 9;
    o.method = engage::parse_index_method(name);
    const auto whole = engage::engagement_index(x, o);
    const auto rows = engage::engagement_index_by(x, keys, o);
    ASSERT_EQ(rows.size(), 1u);
    expect_close(rows[0].result.statistic, whole.statistic, std::string(name), 1e-12);
    expect_close(rows[0].result.standard_error, whole.standard_error, std::string(name), 1e-10);
    EXPECT_EQ(rows[0].result.n, whole.n);
    EXPECT_EQ(rows[0].result.missing, whole.missing);
  }
}

TEST(Engagement, GroupedTableMatchesPerGroupIndex) {
  const auto x = random_items(3000, 4, 5);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(x.rows());
  boost::random::mt19937 gen(3);
  boost::random::uniform_int_distribution<int> team(0, 40);
  for (Eigen::Index i = 0; i < keys.size(); ++i) keys[i] = 100 + 7 * team(gen);
  keys[0] = 5000;  // a group of one person: suppressed
  for (const auto name : engage::index_method_names) {
    engage::engagement_by_options o;
    o.dont_know = 9;
    o.method = engage::parse_index_method(name);
    o.confidence_level = 0.9;
    o.population_of = [](std::int64_t key) { return key == 107 ? 400.0 : 1e6; };
    const auto rows = engage::engagement_index_by(x, keys, o);
    EXPECT_EQ(rows.size(), 42u);
    int hidden = 0;
    for (const auto& row : rows) {
      std::vector<Eigen::Index> mine;
      for (Eigen::Index i = 0; i < keys.size(); ++i)
        if (keys[i] == row.key) mine.push_back(i);
      if (row.key == 5000) {
        EXPECT_EQ(row.status, engage::suppression::below_minimum);
      }
      if (row.status != engage::suppression::shown) {  // the group of one, and the next smallest to cover it
        ++hidden;
        EXPECT_TRUE(std::isnan(row.result.statistic) && std::isnan(row.ci.low));
        EXPECT_EQ(row.result.n, 0u);
        continue;
      }
      engage::row_matrix sub(static_cast<Eigen::Index>(mine.size()), x.cols());
      for (std::size_t r = 0; r < mine.size(); ++r) sub.row(static_cast<Eigen::Index>(r)) = x.row(mine[r]);
      engage::engagement_options single = o;
      single.population_size = row.key == 107 ? 400.0 : 1e6;
      const auto r = engage::engagement_index(sub, single);
      const auto ci = engage::confidence_interval(r, 0.9);
      const std::string id = std::string(name) + " key " + std::to_string(row.key);
      expect_close(row.result.statistic, r.statistic, id, 1e-12);
      expect_close(row.result.standard_error, r.standard_error, id, 1e-10);
      expect_close(row.ci.low, ci.low, id, 1e-10);
      expect_close(row.ci.high, ci.high, id, 1e-10);
      EXPECT_EQ(row.result.n, r.n) << id;
      EXPECT_EQ(row.result.dont_know, r.dont_know) << id;
    }
    EXPECT_TRUE(hidden == 1 || hidden == 2) << name;  // a group with n = 0 needs no cover
  }
}

TEST(Engagement, GroupedComplementarySuppressionAndShowN) {
  engage::row_matrix x = engage::row_matrix::Constant(16, 2, 4.0);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(16);
  keys << 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2;  // 8, 6, 2 persons
  engage::engagement_by_options o;
  o.show_suppressed_n = true;
  EXPECT_EQ(engage::engagement_index_by(x, keys, o)[0].status, engage::suppression::unanimous);  // all favourable
  o.publish.min_distribution_size = 1;
  const auto rows = engage::engagement_index_by(x, keys, o);
  EXPECT_EQ(rows[0].status, engage::suppression::shown);
  EXPECT_EQ(rows[1].status, engage::suppression::complementary);
  EXPECT_EQ(rows[2].status, engage::suppression::below_minimum);
  EXPECT_EQ(rows[1].result.n, 6u);
  EXPECT_TRUE(std::isnan(rows[1].result.statistic));
  EXPECT_DOUBLE_EQ(rows[0].result.statistic, 100.0);
}

TEST(Engagement, ItemsWithoutAnswersAreLeftOutOfItemAverages) {
  const auto x = matrix({{5, NAN, 1}, {4, NAN, 2}, {2, NAN, 5}});
  const auto r = run(x, index_method::favourable_items);
  EXPECT_EQ(r.items, 2u);
  EXPECT_NEAR(r.statistic, (200.0 / 3 + 100.0 / 3) / 2, 1e-12);
}

TEST(Engagement, ReverseKeyingAndDontKnow) {
  engage::engagement_options o;
  o.method = index_method::grand_mean;
  o.reverse = {1};
  o.dont_know = 9;
  const auto r = engage::engagement_index(matrix({{5, 1}, {4, 9}, {9, 2}}), o);
  EXPECT_NEAR(r.statistic, (4.5 + 4.5) / 2, 1e-12);  // item 2 reversed: 5, 4
  EXPECT_EQ(r.dont_know, 2u);
  EXPECT_EQ(r.missing, 0u);
  EXPECT_EQ(r.responses, 4u);
}

TEST(Engagement, FavourablePersonThresholdIsHalfBelowTheBand) {
  // 5-point: mean 3.5 is favourable (Lattice), 3.49 is not; 7-point: 5.5; 0-10: 8.5.
  EXPECT_DOUBLE_EQ(run(matrix({{3, 4}}), index_method::favourable_persons).statistic, 100.0);
  EXPECT_DOUBLE_EQ(run(matrix({{3, 4, 3}}), index_method::favourable_persons).statistic, 0.0);
  EXPECT_DOUBLE_EQ(run(matrix({{5, 6}}), index_method::favourable_persons, 1, 7).statistic, 100.0);
  EXPECT_DOUBLE_EQ(run(matrix({{5, 5}}), index_method::favourable_persons, 1, 7).statistic, 0.0);
  EXPECT_DOUBLE_EQ(run(matrix({{8, 9}}), index_method::favourable_persons, 0, 10).statistic, 100.0);
  EXPECT_DOUBLE_EQ(run(matrix({{8, 8}}), index_method::favourable_persons, 0, 10).statistic, 0.0);
}

TEST(Engagement, GlintMapAndScore) {
  const int fav[] = {2, 3, 4, 4, 4, 6, 6, 7, 8, 10};
  const int unf[] = {1, 1, 1, 2, 3, 3, 3, 3, 3, 7};
  for (int k = 2; k <= 11; ++k) {
    const auto s = engage::glint_scale(1, k);
    EXPECT_EQ(s.favourable_min, fav[k - 2]) << k;
    EXPECT_EQ(s.unfavourable_max, unf[k - 2]) << k;
  }
  const auto nps = engage::glint_scale(0, 10);
  EXPECT_EQ(nps.favourable_min, 9);
  EXPECT_EQ(nps.unfavourable_max, 6);
  // Glint score: mean 3.5 on 1..5 -> 62.5 -> 62 (half to even); mean 3.7 -> 67.5 -> 68.
  EXPECT_EQ(engage::favourability(matrix({{3}, {4}}))[0].glint_score, 62.0);
  EXPECT_EQ(engage::favourability(matrix({{3}, {4}, {4}, {4}, {4}, {3}, {4}, {3}, {4}, {4}}))[0].glint_score, 68.0);
  EXPECT_EQ(engage::detail::round_half_even(2.5), 2.0);
  EXPECT_EQ(engage::detail::round_half_even(-2.5), -2.0);
  EXPECT_EQ(engage::detail::round_half_even(3.5), 4.0);
  EXPECT_EQ(engage::detail::round_half_even(2.4999999), 2.0);
}

TEST(Engagement, CategoriesRatioAndRounding) {
  // Gallup's example ratio 30 % / 18 % = 1.67.
  std::vector<int> counts = {18, 0, 52, 0, 30};  // means 1 (disengaged), 3 (not engaged), 5 (engaged)
  const auto c = engage::engagement_categories(from_counts(counts, 1));
  EXPECT_NEAR(c.engagement_ratio, 30.0 / 18.0, 1e-12);
  EXPECT_TRUE(c.ratio_defined);
  const auto none = engage::engagement_categories(from_counts({0, 0, 2, 0, 1}, 1));
  EXPECT_FALSE(none.ratio_defined);
  EXPECT_TRUE(std::isinf(none.engagement_ratio));
  const auto nobody = engage::engagement_categories(from_counts({0, 0, 2, 0, 0}, 1));
  EXPECT_TRUE(std::isnan(nobody.engagement_ratio));
  // 1/3 each: rounded 33 + 33 + 34 = 100, not engaged takes the remainder.
  const auto thirds = engage::engagement_categories(from_counts({1, 0, 1, 0, 1}, 1));
  const auto p = engage::rounded_percentages(thirds);
  EXPECT_EQ(p[0], 33.0);
  EXPECT_EQ(p[1], 34.0);
  EXPECT_EQ(p[2], 33.0);
  const auto p1 = engage::rounded_percentages(thirds, 1);
  EXPECT_NEAR(p1[0] + p1[1] + p1[2], 100.0, 1e-12);
}

// ---- bad input -------------------------------------------------------------------------------------------------

template <class E, class F>
void expect_error(F&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one containing: " << fragment;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(EngagementBadInput, CellsNameRowColumnAndValue) {
  using engage::invalid_input;
  expect_error<invalid_input>([] { (void)run(matrix({{1, 2}, {3, 6}}), index_method::favourable_items); },
                              "items[1, 1] = 6: not a response on the scale");
  expect_error<invalid_input>([] { (void)run(matrix({{1, 2.5}}), index_method::person_mean); }, "items[0, 1] = 2.5");
  expect_error<invalid_input>([] { (void)run(matrix({{INFINITY, 2}}), index_method::top3); }, "items[0, 0] = inf");
  expect_error<invalid_input>([] { (void)run(matrix({{0, 2}}), index_method::mean_100); }, "items[0, 0] = 0");
  expect_error<invalid_input>([] { (void)engage::favourability(matrix({{1, 9}})); }, "items[0, 1] = 9");
  expect_error<invalid_input>([] { (void)engage::scale_scores(matrix({{1, -1}})); }, "items[0, 1] = -1");
  expect_error<invalid_input>([] { (void)engage::engagement_categories(matrix({{7, 1}})); }, "items[0, 0] = 7");
  engage::item_options o;
  o.dont_know = 9;
  expect_error<invalid_input>([&] { (void)engage::favourability(matrix({{1, 8}}), o); }, "or the don't-know code 9");
}

TEST(EngagementScoredItems, RecodesWithTheSameCoder) {
  engage::item_options o;
  o.dont_know = 9;
  o.reverse = {1};
  const auto s = engage::scored_items(matrix({{1, 2}, {9, NAN}, {5, 5}}), o);
  EXPECT_EQ(s(0, 0), 1);
  EXPECT_EQ(s(0, 1), 4);
  EXPECT_TRUE(std::isnan(s(1, 0)));
  EXPECT_TRUE(std::isnan(s(1, 1)));
  EXPECT_EQ(s(2, 0), 5);
  EXPECT_EQ(s(2, 1), 1);
  expect_error<engage::invalid_input>([] { (void)engage::scored_items(matrix({{1, 9}})); },
                                      "items[0, 1] = 9: not a response on the scale");
  expect_error<engage::invalid_input>([&] { (void)engage::scored_items(matrix({{1, 2.5}}), o); },
                                      "or the don't-know code 9");
}

TEST(EngagementBadInput, ShapesAndEmpty) {
  using engage::insufficient_data;
  using engage::invalid_input;
  const engage::row_matrix no_columns(3, 0), no_rows(0, 3);
  expect_error<invalid_input>([&] { (void)engage::engagement_index(no_columns); }, "0 columns");
  expect_error<invalid_input>([&] { (void)engage::favourability(no_columns); }, "0 columns");
  expect_error<insufficient_data>([&] { (void)engage::engagement_index(no_rows); }, "no rows");
  expect_error<insufficient_data>([&] { (void)engage::favourability(no_rows); }, "no rows");
  expect_error<insufficient_data>([&] { (void)engage::scale_scores(no_rows); }, "no rows");
  const auto all_missing = matrix({{NAN, NAN}, {NAN, NAN}});
  expect_error<insufficient_data>([&] { (void)engage::engagement_index(all_missing); }, "4 skipped cells");
  expect_error<insufficient_data>([&] { (void)engage::scale_scores(all_missing); }, "no person");
  expect_error<insufficient_data>([&] { (void)engage::engagement_categories(all_missing); }, "no person");
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(2);
  keys << 1, 2;
  expect_error<insufficient_data>([&] { (void)engage::engagement_index_by(all_missing, keys); }, "no person");
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> short_keys(1);
  short_keys << 1;
  expect_error<invalid_input>([&] { (void)engage::engagement_index_by(all_missing, short_keys); }, "same length");
  engage::engagement_by_options zero;
  zero.min_group_size = 0;
  expect_error<invalid_input>([&] { (void)engage::engagement_index_by(matrix({{1, 2}, {3, 4}}), keys, zero); },
                              "min_group_size = 0");
  // A single person: the t interval of a mean index is undefined (NaN), its SE too.
  const auto one = run(matrix({{4, 5}}), index_method::person_mean);
  EXPECT_TRUE(std::isnan(one.standard_error) && std::isnan(engage::confidence_interval(one).low));
}

TEST(EngagementBadInput, Options) {
  using engage::invalid_input;
  const auto x = matrix({{1, 2}, {3, 4}});
  expect_error<invalid_input>([] { (void)engage::glint_scale(1, 1); }, "has 1 points; engagement items need 2 to 11");
  expect_error<invalid_input>([] { (void)engage::glint_scale(0, 11); }, "has 12 points");
  expect_error<invalid_input>([] { (void)engage::parse_index_method("favourable"); },
                              "method = 'favourable': expected one of 'favourable_items'");
  engage::engagement_options o;
  o.scale = {1, 5, 4, 4};
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "bands = (unfavourable_max 4");
  o = {};
  o.scale.high = 20;
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "has 20 points");
  o = {};
  o.reverse = {2};
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); },
                              "reverse[0] = 2: column index out of range");
  o.reverse = {1, 1};
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "reverse[1] = 1: listed twice");
  o = {};
  o.dont_know = 3;
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "dont_know = 3: lies on the scale");
  o.dont_know = NAN;
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "dont_know = nan");
  o = {};
  o.min_answered = 3;
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "min_answered = 3: more than the 2 items");
  expect_error<invalid_input>([&] { (void)engage::scale_scores(x, {}, 0); }, "min_answered = 0");
  o = {};
  o.scale = engage::glint_scale(1, 3);
  o.method = index_method::top3;
  expect_error<invalid_input>([&] { (void)engage::engagement_index(matrix({{1, 2}}), o); }, "top three points");
  o = {};
  o.rescale = engage::interval{0, 10};
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "rescale: only for method");
  o.method = index_method::person_mean;
  o.rescale = engage::interval{1, 1};
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "rescale = (1, 1)");
  o = {};
  o.population_size = 1;
  expect_error<invalid_input>([&] { (void)engage::engagement_index(x, o); }, "population_size = 1");
  const auto r = engage::engagement_index(x);
  expect_error<invalid_input>([&] { (void)engage::confidence_interval(r, 95); }, "confidence_level = 95");
  engage::category_rule rule;
  rule.engaged = 2, rule.actively_disengaged = 3;
  expect_error<invalid_input>([&] { (void)engage::engagement_categories(x, {}, rule); },
                              "actively_disengaged < engaged");
  rule = {engage::category_basis::share, 0.5, 0.5};
  expect_error<invalid_input>([&] { (void)engage::engagement_categories(x, {}, rule); }, "sum to more than 1");
  const auto c = engage::engagement_categories(x);
  expect_error<invalid_input>([&] { (void)engage::rounded_percentages(c, -1); }, "decimals = -1");
}

}  // namespace
