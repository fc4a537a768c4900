// Reliability: reference values (tests/data/reliability_reference.json, made by
// tests/data/reliability_reference.R from psych 2.2.9 and multilevel 2.7), the one-pass moments against a direct
// two-pass computation, omega's minres fit, the grouped table and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <engage/reliability.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

using engage_test::load;
using engage_test::nan_aware::expect_close;

using engage::missing_policy;

double num(const nlohmann::json& v) { return v.is_null() ? NAN : v.get<double>(); }

engage::row_matrix matrix_of(const nlohmann::json& columns) {
  const auto k = static_cast<Eigen::Index>(columns.size());
  const auto n = static_cast<Eigen::Index>(columns[0].size());
  engage::row_matrix x(n, k);
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index i = 0; i < n; ++i) x(i, j) = num(columns[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)]);
  return x;
}

missing_policy policy(const nlohmann::json& c) { return engage::parse_missing_policy(c["missing"].get<std::string>()); }

void expect_all_close(const std::vector<double>& got, const nlohmann::json& expected, const std::string& what,
                      double rel = 1e-8) {
  ASSERT_EQ(got.size(), expected.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) expect_close(got[i], num(expected[i]), what + "[" + std::to_string(i) + "]", rel);
}

TEST(CronbachAlpha, MatchesPsychReference) {
  const auto ref = load("reliability_reference.json");
  ASSERT_GE(ref["alpha"].size(), 10u);
  for (const auto& c : ref["alpha"]) {
    const std::string id = c["name"].get<std::string>() + "/" + c["missing"].get<std::string>();
    const auto x = matrix_of(c["columns"]);
    const auto a = engage::cronbach_alpha(x, policy(c));
    EXPECT_EQ(a.n, c["n"].get<std::uint64_t>()) << id;
    EXPECT_EQ(a.n_items, c["n_items"].get<std::uint64_t>()) << id;
    EXPECT_EQ(a.missing, c["missing_cells"].get<std::uint64_t>()) << id;
    EXPECT_EQ(a.rows_dropped, c["rows_dropped"].get<std::uint64_t>()) << id;
    const auto& t = c["total"];
    expect_close(a.statistic, t["raw_alpha"], id + " alpha");
    expect_close(a.standardized, t["std_alpha"], id + " std alpha");
    expect_close(a.g6, t["g6"], id + " G6");
    expect_close(a.average_r, t["average_r"], id + " average_r");
    expect_close(a.median_r, t["median_r"], id + " median_r");
    expect_close(a.signal_to_noise, t["signal_to_noise"], id + " S/N");
    expect_close(a.standard_error, t["ase"], id + " ase");
    expect_close(a.mean, t["mean"], id + " mean");
    expect_close(a.sd, t["sd"], id + " sd");
    for (const auto& f : c["feldt"]) {
      const auto ci = engage::confidence_interval(a, f["level"].get<double>());
      expect_close(ci.low, f["low"], id + " feldt low");
      expect_close(ci.high, f["high"], id + " feldt high");
    }
    const auto& is = c["item_stats"];
    for (std::size_t i = 0; i < a.items.n.size(); ++i)
      EXPECT_EQ(static_cast<double>(a.items.n[i]), is["n"][i].get<double>()) << id << " item n " << i;
    expect_all_close(a.items.raw_r, is["raw_r"], id + " raw.r");
    expect_all_close(a.items.std_r, is["std_r"], id + " std.r");
    expect_all_close(a.items.r_cor, is["r_cor"], id + " r.cor");
    expect_all_close(a.items.r_drop, is["r_drop"], id + " r.drop");
    expect_all_close(a.items.mean, is["mean"], id + " item mean");
    expect_all_close(a.items.sd, is["sd"], id + " item sd");
    if (c.contains("alpha_drop")) {
      const auto& d = c["alpha_drop"];
      expect_all_close(a.items.alpha_if_dropped, d["raw_alpha"], id + " alpha.drop");
      expect_all_close(a.items.std_alpha_if_dropped, d["std_alpha"], id + " std alpha.drop");
      expect_all_close(a.items.g6_if_dropped, d["g6"], id + " G6 drop");
      expect_all_close(a.items.average_r_if_dropped, d["average_r"], id + " average_r drop");
      expect_all_close(a.items.signal_to_noise_if_dropped, d["signal_to_noise"], id + " S/N drop");
      expect_all_close(a.items.standard_error_if_dropped, d["alpha_se"], id + " alpha se drop");
      expect_all_close(a.items.var_r_if_dropped, d["var_r"], id + " var.r drop");
      expect_all_close(a.items.median_r_if_dropped, d["median_r"], id + " med.r drop");
    } else {
      for (const double v : a.items.alpha_if_dropped) EXPECT_TRUE(std::isnan(v)) << id << ": 2 items";
    }
    if (c.contains("multilevel")) {
      expect_close(a.statistic, c["multilevel"]["alpha"], id + " multilevel::cronbach");
      EXPECT_EQ(a.n, c["multilevel"]["n"].get<std::uint64_t>()) << id;
    }
  }
}

// psych::alpha(x, use = "complete.obs") and pingouin's nan_policy = "listwise": alpha from the complete rows (engage's
// listwise alpha), but n = every row for the ase and the Feldt interval.
TEST(CronbachAlpha, PsychCompleteObsConvention) {
  const auto ref = load("reliability_reference.json");
  ASSERT_EQ(ref["complete_obs"].size(), 3u);
  for (const auto& c : ref["complete_obs"]) {
    const std::string id = c["name"].get<std::string>();
    const auto& data = *std::find_if(ref["alpha"].begin(), ref["alpha"].end(), [&](const nlohmann::json& a) {
      return a["name"] == c["name"] && a["missing"] == "pairwise";
    });
    const auto a = engage::cronbach_alpha(matrix_of(data["columns"]), missing_policy::listwise);
    EXPECT_EQ(a.n, c["n_complete"].get<std::uint64_t>()) << id;
    expect_close(a.statistic, c["raw_alpha"], id + " alpha");
    const auto n_rows = c["n_rows"].get<std::uint64_t>();
    const auto ci = engage::cronbach_alpha_feldt_interval(a.statistic, n_rows, a.n_items);
    expect_close(ci.low, c["feldt_low"], id + " feldt low at n = all rows");
    expect_close(ci.high, c["feldt_high"], id + " feldt high at n = all rows");
    expect_close(a.standard_error * std::sqrt(static_cast<double>(a.n) / static_cast<double>(n_rows)), c["ase"],
                 id + " ase at n = all rows");
  }
}

// pingouin 0.7.0 (tests/data/reliability_reference.py): alpha under both policies; its interval (rounded to 3 dp)
// is the Feldt interval with n = every row of the input.
TEST(CronbachAlpha, MatchesPingouinReference) {
  const auto ref = load("reliability_reference_pingouin.json");
  ASSERT_GE(ref["cases"].size(), 10u);
  for (const auto& c : ref["cases"]) {
    const auto x = matrix_of(c["columns"]);
    for (const char* p : {"pairwise", "listwise"}) {
      const std::string id = c["name"].get<std::string>() + "/" + p;
      const auto& pg = c["pingouin"][p];
      const auto a = engage::cronbach_alpha(x, engage::parse_missing_policy(p));
      expect_close(a.statistic, pg["alpha"], id + " alpha", 1e-10);
      const auto ci = engage::cronbach_alpha_feldt_interval(a.statistic, pg["feldt_n"].get<std::uint64_t>(), a.n_items);
      expect_close(ci.low, pg["feldt_unrounded"][0], id + " feldt low");
      expect_close(ci.high, pg["feldt_unrounded"][1], id + " feldt high");
      EXPECT_NEAR(ci.low, pg["ci_rounded"][0].get<double>(), 5e-4 + 1e-12) << id;
      EXPECT_NEAR(ci.high, pg["ci_rounded"][1].get<double>(), 5e-4 + 1e-12) << id;
      if (std::string(p) == "pairwise") {
        EXPECT_EQ(a.n, pg["feldt_n"].get<std::uint64_t>()) << id;  // same n as engage's own interval
      } else {
        EXPECT_EQ(a.n, c["n_complete"].get<std::uint64_t>()) << id;
      }
    }
  }
}

TEST(CronbachAlpha, MethodsMdGoldenValues) {
  const auto ref = load("reliability_reference.json");
  const auto a = engage::cronbach_alpha(matrix_of(ref["alpha"][0]["columns"]));  // attitude
  EXPECT_NEAR(a.statistic, 0.8431428, 5e-8);
  EXPECT_NEAR(a.standardized, 0.8390838, 5e-8);
  EXPECT_NEAR(a.g6, 0.8752151, 5e-8);
  EXPECT_NEAR(a.standard_error, 0.0424357, 5e-8);
  const auto ci = engage::confidence_interval(a);
  EXPECT_NEAR(ci.low, 0.7393757, 5e-8);
  EXPECT_NEAR(ci.high, 0.9157731, 5e-8);
  const std::vector<double> drop{.8097602, .7969175, .8278478, .8030310, .7953866, .8638723, .8404649};
  const std::vector<double> rdrop{.6712621, .7421097, .5607111, .7144455, .7862756, .2650343, .4608105};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_NEAR(a.items.alpha_if_dropped[i], drop[i], 5e-8);
    EXPECT_NEAR(a.items.r_drop[i], rdrop[i], 5e-8);
  }
  EXPECT_NEAR(engage::cronbach_alpha_feldt_interval(0.8431428, 30, 7).low, 0.7393757, 1e-6);
}

// Direct two-pass pairwise covariance, as R's cov(use = "pairwise").
Eigen::MatrixXd pairwise_cov(const engage::row_matrix& x) {
  const Eigen::Index k = x.cols();
  Eigen::MatrixXd c(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    for (Eigen::Index j = 0; j < k; ++j) {
      double n = 0, mi = 0, mj = 0;
      for (Eigen::Index r = 0; r < x.rows(); ++r)
        if (!std::isnan(x(r, i)) && !std::isnan(x(r, j))) ++n, mi += x(r, i), mj += x(r, j);
      mi /= n, mj /= n;
      double s = 0;
      for (Eigen::Index r = 0; r < x.rows(); ++r)
        if (!std::isnan(x(r, i)) && !std::isnan(x(r, j))) s += (x(r, i) - mi) * (x(r, j) - mj);
      c(i, j) = s / (n - 1);
    }
  }
  return c;
}

engage::row_matrix simulate(Eigen::Index n, Eigen::Index k, double skip, std::uint64_t seed, double offset = 3.0) {
  boost::random::mt19937_64 gen(seed);
  boost::random::normal_distribution<double> z;
  boost::random::uniform_01<double> u;
  engage::row_matrix x(n, k);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double f = z(gen);
    for (Eigen::Index j = 0; j < k; ++j) {
      x(i, j) = u(gen) < skip ? NAN : std::round(offset + 0.8 * f + z(gen));
    }
  }
  return x;
}

TEST(CronbachAlpha, OnePassMatchesTwoPassAcrossChunks) {
  // 40k rows span two fixed chunks (threads) and many blocks; a large offset tests the shifted sums.
  for (const double offset : {3.0, 1e6}) {
    const auto x = simulate(40000, 6, 0.05, 7, offset);
    const auto a = engage::cronbach_alpha(x, missing_policy::pairwise);
    const Eigen::MatrixXd c = pairwise_cov(x);
    const double k = 6.0;
    const double alpha = k / (k - 1) * (1 - c.trace() / c.sum());
    EXPECT_NEAR(a.statistic, alpha, 1e-11) << offset;
    EXPECT_NEAR((a.covariance - c).cwiseAbs().maxCoeff(), 0.0, 1e-10) << offset;
    EXPECT_EQ(a.n, 40000u);
  }
}

TEST(CronbachAlpha, ListwiseEqualsCompleteRows) {
  const auto x = simulate(500, 4, 0.1, 11);
  std::vector<Eigen::Index> keep;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    if (!x.row(i).array().isNaN().any()) keep.push_back(i);
  engage::row_matrix cc(static_cast<Eigen::Index>(keep.size()), 4);
  for (std::size_t r = 0; r < keep.size(); ++r) cc.row(static_cast<Eigen::Index>(r)) = x.row(keep[r]);
  const auto a = engage::cronbach_alpha(x, missing_policy::listwise);
  const auto b = engage::cronbach_alpha(cc, missing_policy::pairwise);
  EXPECT_NEAR(a.statistic, b.statistic, 1e-13);
  EXPECT_NEAR(a.standardized, b.standardized, 1e-13);
  EXPECT_NEAR(a.mean, b.mean, 1e-12);
  EXPECT_EQ(a.n, keep.size());
  EXPECT_EQ(a.rows_dropped, static_cast<std::uint64_t>(x.rows()) - keep.size());
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(a.items.raw_r[i], b.items.raw_r[i], 1e-12);
}

TEST(CronbachAlpha, Bootstrap) {
  const auto x = simulate(300, 5, 0.05, 3);
  const auto a = engage::cronbach_alpha(x);
  const auto ci = engage::cronbach_alpha_bootstrap_interval(x, missing_policy::pairwise, 0.95, 400, 42);
  const auto again = engage::cronbach_alpha_bootstrap_interval(x, missing_policy::pairwise, 0.95, 400, 42);
  EXPECT_EQ(ci.low, again.low);
  EXPECT_EQ(ci.high, again.high);
  EXPECT_LT(ci.low, a.statistic);
  EXPECT_GT(ci.high, a.statistic);
  const auto feldt = engage::confidence_interval(a);
  EXPECT_NEAR(ci.low, feldt.low, 0.03);
  EXPECT_NEAR(ci.high, feldt.high, 0.03);
  const auto lw = engage::cronbach_alpha_bootstrap_interval(x, missing_policy::listwise, 0.9, 200, 1);
  EXPECT_LT(lw.low, lw.high);
  EXPECT_THROW(engage::cronbach_alpha_bootstrap_interval(x, missing_policy::pairwise, 0.95, 1, 0), engage::invalid_input);
  EXPECT_THROW(engage::cronbach_alpha_bootstrap_interval(x, missing_policy::pairwise, 95, 10, 0), engage::invalid_input);
}

TEST(CronbachAlpha, BadInput) {
  engage::row_matrix one(5, 1);
  one << 1, 2, 3, 4, 5;
  EXPECT_THROW(engage::cronbach_alpha(one), engage::invalid_input);
  engage::row_matrix empty(0, 3);
  EXPECT_THROW(engage::cronbach_alpha(empty), engage::insufficient_data);
  engage::row_matrix nan = engage::row_matrix::Constant(4, 3, NAN);
  EXPECT_THROW(engage::cronbach_alpha(nan), engage::insufficient_data);
  engage::row_matrix row1(1, 3);
  row1 << 1, 2, 3;
  EXPECT_THROW(engage::cronbach_alpha(row1), engage::insufficient_data);
  engage::row_matrix constant(4, 3);
  constant << 1, 2, 3, 2, 2, 4, 3, 2, 5, 4, 2, 1;
  try {
    engage::cronbach_alpha(constant);
    FAIL() << "constant item accepted";
  } catch (const engage::insufficient_data& e) {
    EXPECT_NE(std::string(e.what()).find("items[:, 1] has zero variance"), std::string::npos) << e.what();
  }
  engage::row_matrix inf(3, 2);
  inf << 1, 2, 2, INFINITY, 3, 3;
  try {
    engage::cronbach_alpha(inf);
    FAIL() << "infinite answer accepted";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("items[1, 1] = inf"), std::string::npos) << e.what();
  }
  engage::row_matrix gaps(4, 3);  // listwise: no complete row
  gaps << 1, NAN, 2, NAN, 2, 3, 3, 4, NAN, 2, NAN, 5;
  EXPECT_THROW(engage::cronbach_alpha(gaps, missing_policy::listwise), engage::insufficient_data);
  engage::row_matrix apart(4, 2);  // pairwise: the two items never answered together
  apart << 1, NAN, 2, NAN, NAN, 3, NAN, 4;
  EXPECT_THROW(engage::cronbach_alpha(apart), engage::insufficient_data);
  EXPECT_THROW(engage::cronbach_alpha_feldt_interval(0.8, 30, 7, 1.0), engage::invalid_input);
  EXPECT_THROW(engage::cronbach_alpha_feldt_interval(0.8, 1, 7), engage::insufficient_data);
  EXPECT_THROW(engage::parse_missing_policy("complete"), engage::invalid_input);
}

TEST(Omega, MatchesPsychReference) {
  const auto ref = load("reliability_reference.json");
  ASSERT_GE(ref["omega"].size(), 4u);
  for (const auto& c : ref["omega"]) {
    const std::string id = c["name"].get<std::string>() + "/" + c["missing"].get<std::string>();
    const auto o = engage::omega(matrix_of(c["columns"]), policy(c));
    const auto& t = c["tight"];
    // The exact minres minimiser: 1e-8.
    expect_all_close(o.loadings, t["loadings"], id + " loadings (exact minres)");
    expect_all_close(o.uniquenesses, t["uniquenesses"], id + " uniquenesses");
    expect_close(o.omega_total, t["omega_total"], id + " omega_total");
    expect_close(o.omega_total_model, t["omega_total_model"], id + " omega_total_model");
    expect_close(o.explained_variance, t["explained_variance"], id + " explained variance");
    // psych's optimiser stops up to ~2.5e-6 from the minimiser.
    const auto& p = c["psych"];
    for (std::size_t i = 0; i < o.loadings.size(); ++i)
      EXPECT_NEAR(o.loadings[i], p["loadings"][i].get<double>(), 5e-6) << id << " psych loading " << i;
    EXPECT_NEAR(o.omega_total, p["omega_total"].get<double>(), 2e-7) << id << " psych omega.tot";
    EXPECT_EQ(o.n, c["n"].get<std::uint64_t>()) << id;
    EXPECT_LE(o.fit.max_gradient, 1e-9) << id;
    EXPECT_FALSE(o.heywood) << id;
  }
}

TEST(Omega, ExactOneFactorStructureIsRecovered) {
  const Eigen::Vector4d l(0.8, 0.7, 0.6, 0.5);
  Eigen::MatrixXd r = l * l.transpose();
  r.diagonal().setOnes();
  const auto o = engage::omega_from_correlation(r);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(o.loadings[static_cast<std::size_t>(i)], l[i], 1e-12);
  const double s = l.sum(), psi = 4.0 - l.squaredNorm();
  EXPECT_NEAR(o.omega_total, s * s / (s * s + psi), 1e-12);  // both denominators agree for an exact fit
  EXPECT_NEAR(o.omega_total_model, o.omega_total, 1e-12);
  // A negative factor direction is turned positive.
  const auto flipped = engage::minres_one_factor(r);
  EXPECT_GT(flipped.loadings.sum(), 0.0);
  // Heywood case: r_12 r_13 / r_23 > 1 forces lambda_1^2 > 1.
  Eigen::Matrix3d h;
  h << 1, 0.9, 0.9, 0.9, 1, 0.7, 0.9, 0.7, 1;
  EXPECT_TRUE(engage::omega_from_correlation(h).heywood);
  // Uncorrelated items: zero loadings, omega 0.
  const auto zero = engage::omega_from_correlation(Eigen::MatrixXd::Identity(3, 3));
  EXPECT_EQ(zero.omega_total, 0.0);
}

TEST(Omega, BadInputAndConvergence) {
  engage::row_matrix two(4, 2);
  two << 1, 2, 2, 3, 3, 3, 4, 5;
  EXPECT_THROW(engage::omega(two), engage::invalid_input);
  EXPECT_THROW(engage::minres_one_factor(Eigen::MatrixXd::Identity(3, 4)), engage::invalid_input);
  Eigen::Matrix3d bad = Eigen::Matrix3d::Identity();
  bad(0, 1) = bad(1, 0) = NAN;
  EXPECT_THROW(engage::minres_one_factor(bad), engage::invalid_input);
  const auto x = simulate(200, 6, 0.0, 5);
  const auto o = engage::omega(x);
  EXPECT_THROW(engage::minres_one_factor(o.correlation, 1e-12, 1), engage::convergence_error);
  engage::row_matrix constant(4, 3);
  constant << 1, 2, 3, 2, 2, 4, 3, 2, 5, 4, 2, 1;
  EXPECT_THROW(engage::omega(constant), engage::insufficient_data);
}

std::int64_t education_key(const nlohmann::json& v) { return v.is_null() ? 99 : v.get<std::int64_t>(); }

TEST(CronbachAlphaBy, MatchesPsychPerGroup) {
  const auto ref = load("reliability_reference.json");
  const auto x = matrix_of(ref["alpha"][2]["columns"]);  // bfi_A, 2800 rows
  ASSERT_EQ(ref["alpha"][2]["name"], "bfi_A");
  // The grouping column (bfi$education, null = missing) is stored beside the data; missing is its own group.
  ASSERT_EQ(ref["education"].size(), static_cast<std::size_t>(x.rows()));
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) keys[i] = education_key(ref["education"][static_cast<std::size_t>(i)]);
  for (const char* m : {"listwise", "pairwise"}) {
    engage::alpha_by_options o;
    o.missing = engage::parse_missing_policy(m);
    o.min_group_size = 1;
    const auto rows = engage::cronbach_alpha_by(x, keys, o);
    std::map<std::int64_t, const engage::alpha_group_row*> by_key;
    for (const auto& r : rows) by_key[r.key] = &r;
    ASSERT_EQ(rows.size(), ref["grouped"][m].size());
    for (const auto& g : ref["grouped"][m]) {
      const auto key = education_key(g["education"]);
      const auto& r = *by_key.at(key);
      const std::string id = std::string(m) + " education " + std::to_string(key);
      EXPECT_EQ(r.n, g["n"].get<std::uint64_t>()) << id;
      EXPECT_EQ(r.rows_dropped, g["rows_dropped"].get<std::uint64_t>()) << id;
      expect_close(r.statistic, g["alpha"], id + " alpha");
      expect_close(r.standardized, g["standardized"], id + " std alpha");
      expect_close(r.average_r, g["average_r"], id + " average_r");
      expect_close(r.standard_error, g["standard_error"], id + " ase");
      expect_close(r.ci.low, g["low"], id + " low");
      expect_close(r.ci.high, g["high"], id + " high");
      EXPECT_EQ(r.status, engage::suppression::shown);
    }
  }
}

TEST(CronbachAlphaBy, AgreesWithSingleSampleAndSuppresses) {
  const auto x = simulate(3000, 5, 0.04, 21);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) keys[i] = i < 3 ? 1000 : (i % 7) * 10;  // group 1000 has 3 rows
  for (const auto m : {missing_policy::listwise, missing_policy::pairwise}) {
    engage::alpha_by_options o;
    o.missing = m;
    const auto rows = engage::cronbach_alpha_by(x, keys, o);
    ASSERT_EQ(rows.size(), 8u);
    int complementary = 0;
    for (const auto& r : rows) {
      if (r.key == 1000) {
        EXPECT_EQ(r.status, engage::suppression::below_minimum);
      }
      if (r.status != engage::suppression::shown) {  // 1000 and the next smallest group (complementary)
        complementary += r.status == engage::suppression::complementary;
        EXPECT_TRUE(std::isnan(r.statistic));
        EXPECT_TRUE(std::isnan(r.ci.low));
        EXPECT_EQ(r.n, 0u);
        continue;
      }
      std::vector<Eigen::Index> members;
      for (Eigen::Index i = 3; i < x.rows(); ++i)
        if (keys[i] == r.key) members.push_back(i);
      engage::row_matrix sub(static_cast<Eigen::Index>(members.size()), 5);
      for (std::size_t i = 0; i < members.size(); ++i) sub.row(static_cast<Eigen::Index>(i)) = x.row(members[i]);
      const auto a = engage::cronbach_alpha(sub, m);
      EXPECT_NEAR(r.statistic, a.statistic, 1e-12);
      EXPECT_NEAR(r.standardized, a.standardized, 1e-12);
      EXPECT_NEAR(r.standard_error, a.standard_error, 1e-12);
      EXPECT_EQ(r.n, a.n);
      const auto ci = engage::confidence_interval(a);
      EXPECT_NEAR(r.ci.low, ci.low, 1e-12);
    }
    EXPECT_EQ(complementary, 1);
  }
}

TEST(CronbachAlphaBy, UndefinedGroupsAndBadInput) {
  engage::row_matrix x(9, 3);
  x << 1, 2, 3,  2, 2, 4,  3, 2, 5,   // group 0: item 1 constant
      1, 1, 1,  2, 2, 2,  3, 3, 1,    // group 1: fine
      1, 2, 3,  NAN, 1, 1,  2, 2, 2;  // group 2: 1 complete row (listwise), group 3: 1 row
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(9);
  keys << 0, 0, 0, 1, 1, 1, 2, 2, 3;
  engage::alpha_by_options o;
  o.min_group_size = 1;
  const auto rows = engage::cronbach_alpha_by(x, keys, o);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].note, engage::alpha_note::constant_item);
  EXPECT_FALSE(std::isnan(rows[0].statistic));
  EXPECT_TRUE(std::isnan(rows[0].standardized));
  EXPECT_EQ(rows[1].note, engage::alpha_note::none);
  EXPECT_EQ(rows[2].n, 1u);
  EXPECT_EQ(rows[2].rows_dropped, 1u);
  EXPECT_EQ(rows[2].note, engage::alpha_note::too_few_rows);
  EXPECT_EQ(rows[3].note, engage::alpha_note::too_few_rows);
  EXPECT_TRUE(std::isnan(rows[3].statistic));
  EXPECT_STREQ(engage::to_string(engage::alpha_note::too_few_rows), "fewer than 2 usable rows");

  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> short_keys(3);
  short_keys << 0, 0, 0;
  EXPECT_THROW(engage::cronbach_alpha_by(x, short_keys), engage::invalid_input);
  engage::row_matrix one = x.leftCols(1);
  EXPECT_THROW(engage::cronbach_alpha_by(one, keys), engage::invalid_input);
  engage::row_matrix all_nan = engage::row_matrix::Constant(9, 3, NAN);
  EXPECT_THROW(engage::cronbach_alpha_by(all_nan, keys), engage::insufficient_data);
  o.confidence_level = 95;
  EXPECT_THROW(engage::cronbach_alpha_by(x, keys, o), engage::invalid_input);
  engage::row_matrix inf = x;
  inf(4, 2) = -INFINITY;
  EXPECT_THROW(engage::cronbach_alpha_by(inf, keys), engage::invalid_input);
}

}  // namespace
