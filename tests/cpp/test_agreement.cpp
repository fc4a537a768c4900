// Within-group agreement: reference values from R multilevel 2.7 and psych (tests/data/agreement_reference.json,
// made by tests/data/agreement_reference.R from the CSVs beside it), edge cases, suppression and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <engage/agreement.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using engage_test::load;
using engage_test::nan_aware::expect_close;
using engage_test::vec;

using engage::suppression;
using keys_vector = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>;

/// A plain numeric CSV (header line, no quotes, empty field = missing) as named columns.
std::map<std::string, std::vector<double>> read_csv(const std::string& name) {
  std::ifstream in(std::string(ENGAGE_TEST_DATA) + "/" + name);
  if (!in) throw std::runtime_error("cannot open data file " + name);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream s(line);
    std::string field;
    while (std::getline(s, field, ',')) header.push_back(field);
  }
  std::map<std::string, std::vector<double>> out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::size_t start = 0;
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::size_t end = std::min(line.find(',', start), line.size());
      const std::string field = line.substr(start, end - start);
      out[header[c]].push_back(field.empty() ? NAN : std::stod(field));
      start = end + 1;
    }
  }
  return out;
}

const std::map<std::string, std::vector<double>>& dataset(const std::string& name) {
  static std::map<std::string, std::map<std::string, std::vector<double>>> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, read_csv("agreement_" + name + ".csv")).first;
  return it->second;
}

double value(const nlohmann::json& v) { return v.is_null() ? NAN : v.get<double>(); }

keys_vector keys(std::initializer_list<std::int64_t> x) {
  keys_vector v(static_cast<Eigen::Index>(x.size()));
  Eigen::Index i = 0;
  for (auto d : x) v[i++] = d;
  return v;
}

keys_vector to_keys(const std::vector<double>& g) {
  keys_vector k(static_cast<Eigen::Index>(g.size()));
  for (std::size_t i = 0; i < g.size(); ++i) k[static_cast<Eigen::Index>(i)] = static_cast<std::int64_t>(g[i]);
  return k;
}

engage::row_matrix to_matrix(const std::vector<std::vector<double>>& columns) {
  engage::row_matrix m(static_cast<Eigen::Index>(columns.at(0).size()), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j)
    for (std::size_t i = 0; i < columns[j].size(); ++i)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = columns[j][i];
  return m;
}

engage::agreement_options all_shown() {
  engage::agreement_options o;
  o.min_group_size = 1;
  return o;
}

/// Runs the engage function a reference case names, on its data, with min_group_size 1.
std::vector<engage::agreement_row> run_case(const nlohmann::json& c, const engage::row_matrix& x,
                                            const keys_vector& g) {
  const std::string f = c["function"];
  const auto o = all_shown();
  if (f == "rwg") return engage::rwg(x.col(0), g, c["null_variance"].get<double>(), o);
  if (f == "rwg_j") return engage::rwg_j(x, g, c["null_variance"].get<double>(), o);
  if (f == "rwg_j_lindell") return engage::rwg_j_lindell(x, g, c["null_variance"].get<double>(), o);
  if (f == "ad") return engage::ad_index(x, g, engage::parse_ad_center(c["type"].get<std::string>()), o);
  if (f == "awg") return engage::awg(x, g, {c["range"][0].get<double>(), c["range"][1].get<double>()}, o);
  throw std::runtime_error("unknown function " + f);
}

/// Every group R reports matches (statistic and n); every group R leaves out has no usable respondent.
void compare(const std::vector<engage::agreement_row>& rows, const nlohmann::json& result, const std::string& id) {
  std::map<std::int64_t, const engage::agreement_row*> by_key;
  for (const auto& r : rows) by_key[r.key] = &r;
  const auto& groups = result["group"];
  ASSERT_GT(groups.size(), 0u) << id;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto key = static_cast<std::int64_t>(groups[i].get<double>());
    ASSERT_TRUE(by_key.count(key)) << id << " group " << key;
    const auto& row = *by_key[key];
    EXPECT_EQ(row.n, static_cast<std::size_t>(result["n"][i].get<double>())) << id << " group " << key;
    expect_close(row.statistic, value(result["statistic"][i]), id + " group " + std::to_string(key));
    by_key.erase(key);
  }
  for (const auto& [key, row] : by_key) {  // absent from R's output: no usable respondent
    EXPECT_EQ(row->n, 0u) << id << " group " << key;
    EXPECT_EQ(row->status, suppression::below_minimum) << id << " group " << key;
  }
}

TEST(AgreementReference, DatasetCasesMatchMultilevel) {
  const auto ref = load("agreement_reference.json");
  ASSERT_GE(ref["cases"].size(), 40u);
  for (const auto& c : ref["cases"]) {
    const auto& d = dataset(c["dataset"]);
    std::vector<std::vector<double>> columns;
    for (const auto& name : c["x"]) columns.push_back(d.at(name.get<std::string>()));
    const auto x = to_matrix(columns);
    const auto g = to_keys(d.at(c["groups"].get<std::string>()));
    const std::string id = c["function"].get<std::string>() + " " + c["dataset"].get<std::string>() + " " +
                           c["x"][0].get<std::string>() + " (" + std::to_string(columns.size()) + " items)";
    compare(run_case(c, x, g), c["result"], id);
  }
}

TEST(AgreementReference, InlineEdgeCasesMatchMultilevel) {
  const auto ref = load("agreement_reference.json");
  ASSERT_GE(ref["inline_cases"].size(), 10u);
  for (const auto& c : ref["inline_cases"]) {
    std::vector<std::vector<double>> columns;
    if (c["x"][0].is_array()) {
      for (const auto& col : c["x"]) {
        std::vector<double> v;
        for (const auto& e : col) v.push_back(value(e));
        columns.push_back(v);
      }
    } else {
      std::vector<double> v;
      for (const auto& e : c["x"]) v.push_back(value(e));
      columns.push_back(v);
    }
    std::vector<double> g;
    for (const auto& e : c["groups"]) g.push_back(e.get<double>());
    compare(run_case(c, to_matrix(columns), to_keys(g)), c["result"],
            "inline " + c["function"].get<std::string>() + " " + c["result"]["group"].dump());
  }
}

TEST(AgreementReference, IccMatchesAovAndStatsBy) {
  const auto ref = load("agreement_reference.json");
  ASSERT_EQ(ref["icc"].size(), 5u);
  for (const auto& c : ref["icc"]) {
    const auto& d = dataset(c["dataset"]);
    const auto g = to_keys(d.at(c["groups"].get<std::string>()));
    Eigen::VectorXd x(g.size());
    if (c["scale_mean"].get<bool>()) {  // row mean of the items (R: rowMeans)
      x.setZero();
      for (const auto& name : c["x"]) {
        const auto& col = d.at(name.get<std::string>());
        for (Eigen::Index i = 0; i < x.size(); ++i) x[i] += col[static_cast<std::size_t>(i)];
      }
      x /= static_cast<double>(c["x"].size());
    } else {
      const auto& col = d.at(c["x"][0].get<std::string>());
      for (Eigen::Index i = 0; i < x.size(); ++i) x[i] = col[static_cast<std::size_t>(i)];
    }
    const std::string id = c["label"];
    const auto r = engage::icc(x, g);
    expect_close(r.icc1, c["icc1"], id + " icc1");
    expect_close(r.icc2, c["icc2"], id + " icc2");
    expect_close(r.f, c["f"], id + " f");
    EXPECT_NEAR(r.pvalue, c["pvalue"].get<double>(), 1e-8 * c["pvalue"].get<double>() + 1e-300) << id;
    expect_close(r.ms_between, c["ms_between"], id + " msb");
    expect_close(r.ms_within, c["ms_within"], id + " msw");
    expect_close(r.mean_group_size, c["mean_group_size"], id + " kbar");
    EXPECT_EQ(r.df_between, c["df_between"].get<std::size_t>()) << id;
    EXPECT_EQ(r.df_within, c["df_within"].get<std::size_t>()) << id;
    EXPECT_EQ(r.n_groups, c["n_groups"].get<std::size_t>()) << id;
    EXPECT_EQ(r.n, c["n"].get<std::size_t>()) << id;
    EXPECT_EQ(r.missing, c["missing"].get<std::size_t>()) << id;
    for (const auto& iv : c["intervals"]) {
      const double level = iv["level"];
      const auto c1 = engage::confidence_interval(r, engage::icc_kind::icc1, level);
      const auto c2 = engage::confidence_interval(r, engage::icc_kind::icc2, level);
      expect_close(c1.low, iv["icc1_low"], id + " icc1 low");
      expect_close(c1.high, iv["icc1_high"], id + " icc1 high");
      expect_close(c2.low, iv["icc2_low"], id + " icc2 low");
      expect_close(c2.high, iv["icc2_high"], id + " icc2 high");
    }
  }
}

TEST(NullVariance, UniformAndTabulatedShapes) {
  EXPECT_DOUBLE_EQ(engage::null_variance(5), 2.0);
  EXPECT_DOUBLE_EQ(engage::null_variance(7), 4.0);
  EXPECT_NEAR(engage::null_variance(9), 20.0 / 3.0, 1e-15);
  EXPECT_DOUBLE_EQ(engage::null_variance(2), 0.25);
  using engage::null_distribution;
  EXPECT_DOUBLE_EQ(engage::null_variance(5, null_distribution::slight_skew), 1.34);
  EXPECT_DOUBLE_EQ(engage::null_variance(5, null_distribution::moderate_skew), 0.90);
  EXPECT_DOUBLE_EQ(engage::null_variance(5, null_distribution::heavy_skew), 0.44);
  EXPECT_DOUBLE_EQ(engage::null_variance(5, null_distribution::triangular), 1.32);
  EXPECT_DOUBLE_EQ(engage::null_variance(5, null_distribution::normal), 1.04);
  EXPECT_EQ(engage::parse_null_distribution("heavy_skew"), null_distribution::heavy_skew);
  EXPECT_THROW((void)engage::null_variance(7, null_distribution::normal), engage::invalid_input);
  EXPECT_THROW((void)engage::null_variance(1), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_null_distribution("skewed"), engage::invalid_input);
}

TEST(Rwg, HandValuesTruncationAndSingleRaters) {
  // group 1: var 1 -> 0.5; group 2: var 0 -> 1; group 3: var 16/3 > 2 -> 0; group 4: one rater -> NaN.
  const auto x = vec({1, 2, 3, 5, 5, 5, 1, 5, 1, 5, 4});
  const auto g = keys({1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4});
  const auto rows = engage::rwg(x, g, 2.0, all_shown());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_DOUBLE_EQ(rows[0].statistic, 0.5);
  EXPECT_DOUBLE_EQ(rows[0].variance, 1.0);
  EXPECT_DOUBLE_EQ(rows[1].statistic, 1.0);
  EXPECT_DOUBLE_EQ(rows[2].statistic, 0.0);
  EXPECT_TRUE(std::isnan(rows[3].statistic));
  EXPECT_EQ(rows[3].n, 1u);
  EXPECT_EQ(rows[3].status, suppression::shown);
  // rwg(j) with one item is rwg; r*wg(j) is not truncated.
  const auto j1 = engage::rwg_j(engage::row_matrix(x), g, 2.0, all_shown());
  const auto l1 = engage::rwg_j_lindell(engage::row_matrix(x), g, 2.0, all_shown());
  for (std::size_t i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(j1[i].statistic, rows[i].statistic);
  EXPECT_NEAR(l1[2].statistic, 1.0 - (16.0 / 3.0) / 2.0, 1e-15);
}

TEST(Rwg, MissingAnswersDroppedAndCounted) {
  const auto x = vec({1, 3, NAN, 2, NAN, NAN});
  const auto g = keys({7, 7, 7, 7, 8, 8});
  const auto rows = engage::rwg(x, g, 2.0, all_shown());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].n, 3u);
  EXPECT_EQ(rows[0].missing, 1u);
  EXPECT_DOUBLE_EQ(rows[0].statistic, 0.5);
  EXPECT_EQ(rows[1].n, 0u);  // no answer at all: kept, hidden
  EXPECT_EQ(rows[1].status, suppression::below_minimum);
}

TEST(Rwg, StableForLargeOffsets) {
  // Welford moments: shifting every answer by 1e9 leaves the variance (1.0) intact.
  const auto x = vec({1, 2, 3, 1, 2, 3});
  const Eigen::VectorXd shifted = x.array() + 1e9;
  const auto g = keys({1, 1, 1, 2, 2, 2});
  const auto a = engage::rwg(x, g, 2.0, all_shown());
  const auto b = engage::rwg(shifted, g, 2.0, all_shown());
  EXPECT_NEAR(b[0].statistic, a[0].statistic, 1e-9);
  EXPECT_NEAR(b[1].variance, 1.0, 1e-9);
}

TEST(Rwg, SparseKeysGiveTheSameTableAsDenseKeys) {
  // Keys spanning far more than n go through factorize; the table must not depend on the path.
  const auto x = vec({1, 2, 3, 4, 4, 5, 2, 2});
  const auto dense = engage::rwg(x, keys({0, 0, 0, 1, 1, 1, 2, 2}), 2.0, all_shown());
  const auto sparse = engage::rwg(x, keys({-5'000'000'000, -5'000'000'000, -5'000'000'000, 3, 3, 3,
                                           9'000'000'000'000, 9'000'000'000'000}),
                                  2.0, all_shown());
  ASSERT_EQ(sparse.size(), 3u);
  EXPECT_EQ(sparse[0].key, -5'000'000'000);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(sparse[i].statistic, dense[i].statistic);
    EXPECT_EQ(sparse[i].n, dense[i].n);
  }
}

TEST(RwgJ, WholeNumberFastPathAgreesWithTheGeneralPath) {
  // Whole-number answers take the exact integer pass; the same answers shifted by 0.25 (same variances) take the
  // sorted general path. Several chunks, missing answers, both policies, rwg and a_wg included.
  std::mt19937_64 rng(11);
  const Eigen::Index n = 200'000, items = 6;
  engage::row_matrix x(n, items);
  keys_vector g(n);
  std::uniform_int_distribution<int> answer(1, 5), team(0, 499), hole(0, 40);
  for (Eigen::Index i = 0; i < n; ++i) {
    g[i] = 1000 + team(rng);
    for (Eigen::Index j = 0; j < items; ++j) x(i, j) = hole(rng) == 0 ? NAN : answer(rng);
  }
  const engage::row_matrix shifted = x.array() + 0.25;
  for (const auto policy : {engage::missing_policy::listwise, engage::missing_policy::pairwise}) {
    auto o = all_shown();
    o.missing = policy;
    const auto a = engage::rwg_j(x, g, 2.0, o);
    const auto b = engage::rwg_j(shifted, g, 2.0, o);
    ASSERT_EQ(a.size(), 500u);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t) {
      EXPECT_EQ(a[t].key, b[t].key);
      EXPECT_EQ(a[t].n, b[t].n);
      EXPECT_EQ(a[t].missing, b[t].missing);
      EXPECT_NEAR(a[t].variance, b[t].variance, 1e-12 * b[t].variance);
      EXPECT_NEAR(a[t].statistic, b[t].statistic, 1e-12);
    }
  }
  const auto c = engage::rwg(x.col(0), g, 2.0, all_shown());
  const auto d = engage::rwg(shifted.col(0), g, 2.0, all_shown());
  for (std::size_t t = 0; t < c.size(); ++t) EXPECT_NEAR(c[t].statistic, d[t].statistic, 1e-12);
}

TEST(RwgJ, PairwiseUsesEveryAnswer) {
  // Item a: group 1 answers 1, 2, 3 (var 1); item b: 2, NaN, 4 (var 2).
  engage::row_matrix m(3, 2);
  m << 1, 2, 2, NAN, 3, 4;
  const auto g = keys({1, 1, 1});
  auto o = all_shown();
  o.missing = engage::missing_policy::pairwise;
  const auto p = engage::rwg_j_lindell(m, g, 2.0, o);
  EXPECT_EQ(p[0].n, 3u);
  EXPECT_EQ(p[0].missing, 0u);
  EXPECT_DOUBLE_EQ(p[0].variance, 1.5);
  EXPECT_DOUBLE_EQ(p[0].statistic, 0.25);
  const auto l = engage::rwg_j_lindell(m, g, 2.0, all_shown());  // listwise: rows 1 and 3 (vars 2 and 2)
  EXPECT_EQ(l[0].n, 2u);
  EXPECT_EQ(l[0].missing, 1u);
  EXPECT_DOUBLE_EQ(l[0].variance, 2.0);
  // Pairwise with an item answered once in the group: not defined.
  engage::row_matrix m2(3, 2);
  m2 << 1, 2, 2, NAN, 3, NAN;
  EXPECT_TRUE(std::isnan(engage::rwg_j(m2, g, 2.0, o)[0].statistic));
  // Without missing answers the policies agree.
  engage::row_matrix full(4, 2);
  full << 1, 2, 2, 2, 3, 4, 2, 5;
  const auto g4 = keys({1, 1, 1, 1});
  EXPECT_DOUBLE_EQ(engage::rwg_j(full, g4, 2.0, o)[0].statistic, engage::rwg_j(full, g4, 2.0, all_shown())[0].statistic);
}

TEST(Ad, MeanAndMedianByHand) {
  // 1, 1, 2, 5: mean |dev| 5.5/4 from the mean 2.25 and 5/4 from the median 1.5.
  const auto x = vec({1, 1, 2, 5});
  const auto g = keys({1, 1, 1, 1});
  EXPECT_NEAR(engage::ad_index(x, g, engage::ad_center::median, all_shown())[0].statistic, 1.25, 1e-15);
  EXPECT_NEAR(engage::ad_index(x, g, engage::ad_center::mean, all_shown())[0].statistic, 1.375, 1e-15);
  EXPECT_TRUE(std::isnan(engage::ad_index(vec({3}), keys({1}), engage::ad_center::mean, all_shown())[0].statistic));
}

TEST(Awg, BandsEndsAndSingleRaters) {
  const engage::scale_range r{1, 5};
  const auto one = [&](std::initializer_list<double> x) {
    std::vector<std::int64_t> z(x.size(), 1);
    const Eigen::Map<const keys_vector> g(z.data(), static_cast<Eigen::Index>(z.size()));
    return engage::awg(vec(x), g, r, all_shown())[0].statistic;
  };
  EXPECT_TRUE(std::isnan(one({5})));           // a single rater
  EXPECT_DOUBLE_EQ(one({1, 1, 1}), 1.0);      // all at L
  EXPECT_DOUBLE_EQ(one({5, 5}), 1.0);         // all at H
  EXPECT_TRUE(std::isnan(one({4, 4, 4})));    // mean 4 above H - (H-L)/3
  EXPECT_TRUE(std::isnan(one({1, 2, 3})));    // mean 2 below L + (H-L)/3
  EXPECT_DOUBLE_EQ(one({2, 4}), 0.5);         // k = 2: the band is the midpoint
  EXPECT_NEAR(one({1, 1, 1, 5}), -1.0, 1e-12);  // on the bound (mean 2 = L + (H-L)/4): kept
  EXPECT_THROW((void)one({1, 6}), engage::invalid_input);
  EXPECT_THROW((void)engage::awg(vec({1, 2}), keys({1, 1}), {5, 1}), engage::invalid_input);
}

TEST(AgreementSuppression, SmallGroupsHiddenWithComplementary) {
  // Sizes 6, 2, 5, 7: 2 is below 5, then 5 is hidden too (2 alone could be recovered by subtraction).
  std::vector<double> x;
  std::vector<std::int64_t> g;
  const int sizes[] = {6, 2, 5, 7};
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < sizes[k]; ++i) x.push_back(1 + (i % 3)), g.push_back(k);
  const Eigen::Map<const Eigen::VectorXd> xv(x.data(), static_cast<Eigen::Index>(x.size()));
  const Eigen::Map<const keys_vector> gv(g.data(), static_cast<Eigen::Index>(g.size()));
  const auto rows = engage::rwg(xv, gv);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].status, suppression::shown);
  EXPECT_EQ(rows[1].status, suppression::below_minimum);
  EXPECT_EQ(rows[2].status, suppression::complementary);
  EXPECT_EQ(rows[3].status, suppression::shown);
  for (int k : {1, 2}) {
    EXPECT_TRUE(std::isnan(rows[static_cast<std::size_t>(k)].statistic));
    EXPECT_TRUE(std::isnan(rows[static_cast<std::size_t>(k)].variance));
    EXPECT_EQ(rows[static_cast<std::size_t>(k)].n, 0u);
  }
  engage::agreement_options o;
  o.show_suppressed_n = true;
  EXPECT_EQ(engage::ad_index(xv, gv, engage::ad_center::mean, o)[1].n, 2u);
  o.parent_of = [](std::int64_t key) { return key / 2; };  // parents {0, 1} and {2, 3}: 2 hides behind 6
  const auto p = engage::awg(xv, gv, {1, 5}, o);
  EXPECT_EQ(p[0].status, suppression::complementary);
  EXPECT_EQ(p[2].status, suppression::shown);
}

TEST(AgreementBadInput, ClearErrors) {
  const auto x = vec({1, 2, 3});
  const auto g = keys({1, 1, 1});
  EXPECT_THROW((void)engage::rwg(x, keys({1, 1}), 2.0), engage::invalid_input);
  EXPECT_THROW((void)engage::rwg(x, g, 0.0), engage::invalid_input);
  EXPECT_THROW((void)engage::rwg(x, g, NAN), engage::invalid_input);
  EXPECT_THROW((void)engage::rwg(vec({1, INFINITY, 2}), g, 2.0), engage::invalid_input);
  EXPECT_THROW((void)engage::rwg(Eigen::VectorXd(0), keys_vector(0), 2.0), engage::insufficient_data);
  EXPECT_THROW((void)engage::rwg(vec({NAN, NAN, NAN}), g, 2.0), engage::insufficient_data);
  engage::row_matrix m(2, 2);
  m << 1, 2, 3, -INFINITY;
  try {
    (void)engage::rwg_j(m, keys({1, 1}));
    ADD_FAILURE() << "no error";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("items[1, 1] = -inf"), std::string::npos) << e.what();
  }
  try {
    (void)engage::rwg(x, keys({1, 1}), 2.0);
    ADD_FAILURE() << "no error";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("x has 3 elements but groups has 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)engage::rwg_j(engage::row_matrix(3, 0), g), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_missing_policy("available"), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_ad_center("mode"), engage::invalid_input);
  engage::agreement_options o;
  o.min_group_size = 0;
  EXPECT_THROW((void)engage::rwg(x, g, 2.0, o), engage::invalid_input);
}

TEST(AgreementBadInput, AnswersWiderThanTheScale) {
  auto o = all_shown();
  o.max_span = 4.0;  // a 5-point scale
  const auto g = keys({1, 1, 2, 2});
  // Any coding of 5 points passes (0-4 as well as 1-5); NaN is not an answer.
  EXPECT_NO_THROW((void)engage::rwg(vec({0, 4, 2, NAN}), g, 2.0, o));
  try {
    (void)engage::rwg(vec({2, 1, 7, 3}), g, 2.0, o);
    ADD_FAILURE() << "no error";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("x[2] = 7 and x[1] = 1 are 6 apart: more than a 5-point scale"),
              std::string::npos)
        << e.what();
  }
  engage::row_matrix m(2, 2);
  m << 1, 2, 3, 6;
  try {
    (void)engage::rwg_j_lindell(m, keys({1, 1}), 2.0, o);
    ADD_FAILURE() << "no error";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("items[1, 1] = 6 and items[0, 0] = 1"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW((void)engage::rwg_j(m, keys({1, 1}), 2.0, all_shown()));  // unchecked by default
}

TEST(Icc, EdgeCases) {
  // Constant within groups but different between: F infinite, both ICCs 1, intervals [1, 1].
  const auto r = engage::icc(vec({1, 1, 2, 2, 3, 3}), keys({1, 1, 2, 2, 3, 3}));
  EXPECT_TRUE(std::isinf(r.f));
  EXPECT_EQ(r.icc1, 1.0);
  EXPECT_EQ(r.icc2, 1.0);
  EXPECT_EQ(r.pvalue, 0.0);
  const auto ci = engage::confidence_interval(r, engage::icc_kind::icc1);
  EXPECT_EQ(ci.low, 1.0);
  EXPECT_EQ(ci.high, 1.0);
  // Groups of one count in J and N (aov's degrees of freedom); an all-missing group does not count.
  const auto s = engage::icc(vec({1, 2, 3, 4, NAN, NAN, 5, 4, 3, 2, 2, 2}), keys({1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5}));
  EXPECT_EQ(s.n_groups, 4u);
  EXPECT_EQ(s.n, 10u);
  EXPECT_EQ(s.missing, 2u);
  EXPECT_EQ(s.df_between, 3u);
  EXPECT_EQ(s.df_within, 6u);
  EXPECT_NEAR(s.f, 4.8, 1e-12);  // R: summary(aov(...)) F = 4.8, ICC1 0.6031746, ICC2 0.7916667
  EXPECT_NEAR(s.icc1, 0.6031746031746, 1e-12);
  EXPECT_NEAR(s.icc2, 0.7916666666667, 1e-12);
  EXPECT_THROW((void)engage::icc(vec({1, 2, 3}), keys({1, 1, 1})), engage::insufficient_data);       // one group
  EXPECT_THROW((void)engage::icc(vec({1, 2, 3}), keys({1, 2, 3})), engage::insufficient_data);       // df_within 0
  EXPECT_THROW((void)engage::icc(vec({2, 2, 2, 2}), keys({1, 1, 2, 2})), engage::insufficient_data);  // no variance
  EXPECT_THROW((void)engage::icc(vec({NAN, NAN}), keys({1, 2})), engage::insufficient_data);
  EXPECT_THROW((void)engage::icc(Eigen::VectorXd(0), keys_vector(0)), engage::insufficient_data);
  EXPECT_THROW((void)engage::icc(vec({1, 2}), keys({1})), engage::invalid_input);
  EXPECT_THROW((void)engage::confidence_interval(s, engage::icc_kind::icc1, 95.0), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_icc_kind("icc3"), engage::invalid_input);
}

}  // namespace
