// Linkage: weighted unit-level correlation, quartile comparison and the fitted line with its band against
// tests/data/linkage_reference.json (linkage_reference.R: boot::corr, cor.test, t.test, predict.lm), the
// end-to-end unit tables of the sample organisation, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <engage/correlation.hpp>
#include <engage/linkage.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

using engage_test::expect_close;
using engage_test::expect_p;
using engage_test::load;
using engage_test::vec;

using engage::correlation_alternative;

const Eigen::VectorXd no_weights;

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST(WeightedCorrelation, MatchesRBootCorrAndFormulas) {
  const auto ref = load("linkage_reference.json");
  for (const auto& c : ref["weighted"]) {
    const std::string name = c["name"];
    const auto x = vec(c["x"]), y = vec(c["y"]), w = vec(c["w"]);
    for (const auto& t : c["tests"]) {
      const auto alt = engage::parse_correlation_alternative(t["alternative"].get<std::string>());
      for (const auto& iv : t["intervals"]) {
        const auto r = engage::weighted_correlation(x, y, w, iv["level"].get<double>(), alt);
        expect_close(r.statistic, c["statistic"], name + " r");
        expect_close(r.effective_n, c["effective_n"], name + " n_eff");
        expect_close(r.df, c["df"], name + " df");
        expect_close(r.test_statistic, c["t"], name + " t");
        expect_p(r.pvalue, t["pvalue"], name + " p " + t["alternative"].get<std::string>());
        expect_close(r.ci.low, iv["ci"][0], name + " low");
        expect_close(r.ci.high, iv["ci"][1], name + " high");
        EXPECT_EQ(r.n, c["x"].size());
      }
    }
  }
}

TEST(WeightedCorrelation, EqualWeightsAreTheUnweightedCorrelation) {
  const auto ref = load("linkage_reference.json");
  const auto& c = ref["weighted"][0];
  const auto x = vec(c["x"]), y = vec(c["y"]);
  const auto plain = engage::correlation(x, y);
  const auto ci = engage::confidence_interval(plain);
  const auto u = engage::weighted_correlation(x, y, no_weights);
  const Eigen::VectorXd twos = Eigen::VectorXd::Constant(x.size(), 2.0);
  const auto e = engage::weighted_correlation(x, y, twos);
  for (const auto& r : {u, e}) {
    expect_close(r.statistic, plain.statistic, "r", 1e-13);
    expect_close(r.pvalue, plain.pvalue, "p", 1e-10);
    expect_close(r.ci.low, ci.low, "low", 1e-12);
    expect_close(r.ci.high, ci.high, "high", 1e-12);
  }
  EXPECT_EQ(u.effective_n, double(x.size()));
}

TEST(WeightedCorrelation, ZeroWeightUnitsDoNotCount) {
  const auto x = vec({1, 2, 3, 4, 100}), y = vec({2, 1, 4, 3, -50}), w = vec({1, 1, 1, 1, 0});
  const auto r = engage::weighted_correlation(x, y, w);
  EXPECT_NEAR(r.statistic, 0.6, 1e-14);
  EXPECT_NEAR(r.effective_n, 4.0, 1e-14);
}

TEST(WeightedCorrelation, BadInput) {
  const auto x = vec({1, 2, 3, 4}), y = vec({2, 1, 4, 3});
  EXPECT_NE(error_of([&] { engage::weighted_correlation(x, vec({1, 2, 3}), no_weights); }).find("x has 4 elements but y has 3"),
            std::string::npos);
  EXPECT_THROW(engage::weighted_correlation(vec({1, 2}), vec({2, 1}), no_weights), engage::insufficient_data);
  EXPECT_NE(error_of([&] { engage::weighted_correlation(x, vec({5, 5, 5, 5}), no_weights); }).find("y is constant"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::weighted_correlation(vec({1, NAN, 3, 4}), y, no_weights); }).find("x[1] = nan"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::weighted_correlation(x, y, vec({1, -1, 1, 1})); }).find("weights[1] = -1"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::weighted_correlation(x, y, vec({1, 1, 0, 0})); }).find("at least 3 units with positive"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::weighted_correlation(x, y, vec({1e6, 1, 1, 1})); }).find("effective number of units"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::weighted_correlation(x, y, vec({1, 1})); }).find("weights has 2 elements"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::weighted_correlation(x, y, no_weights, 95); }).find("confidence_level = 95"),
            std::string::npos);
}

TEST(QuartileComparison, MatchesRWelchTTest) {
  const auto ref = load("linkage_reference.json");
  for (const auto& c : ref["quartiles"]) {
    const std::string name = c["name"];
    const auto q = engage::quartile_comparison(vec(c["measure"]), vec(c["outcome"]), c["level"].get<double>());
    expect_close(q.q1, c["q1"], name + " q1");
    expect_close(q.q3, c["q3"], name + " q3");
    EXPECT_EQ(q.n_bottom, c["n_bottom"].get<std::size_t>()) << name;
    EXPECT_EQ(q.n_top, c["n_top"].get<std::size_t>()) << name;
    expect_close(q.mean_bottom, c["mean_bottom"], name + " mean bottom");
    expect_close(q.mean_top, c["mean_top"], name + " mean top");
    expect_close(q.sd_bottom, c["sd_bottom"], name + " sd bottom");
    expect_close(q.sd_top, c["sd_top"], name + " sd top");
    expect_close(q.difference, c["difference"], name + " difference");
    expect_close(q.standard_error, c["standard_error"], name + " se");
    expect_close(q.df, c["df"], name + " df");
    expect_close(q.test_statistic, c["t"], name + " t");
    expect_p(q.pvalue, c["pvalue"], name + " p");
    expect_close(q.ci.low, c["ci"][0], name + " low");
    expect_close(q.ci.high, c["ci"][1], name + " high");
    if (c["relative_difference"].is_null()) {
      EXPECT_TRUE(std::isnan(q.relative_difference)) << name;
    } else {
      expect_close(q.relative_difference, c["relative_difference"], name + " relative");
    }
  }
}

TEST(QuartileComparison, BadInput) {
  EXPECT_THROW(engage::quartile_comparison(vec({1, 2, 3}), vec({1, 2, 3})), engage::insufficient_data);
  EXPECT_NE(error_of([&] { engage::quartile_comparison(vec({1, 1, 1, 1, 1, 2}), vec({1, 2, 3, 4, 5, 6})); })
                .find("quartiles of the measure coincide"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::quartile_comparison(vec({1, 2, 3, 4}), vec({1, 2, INFINITY, 4})); })
                .find("outcome[2] = inf"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::quartile_comparison(vec({1, 2, 3, 4, 5, 6, 7, 8}), vec({3, 3, 1, 1, 1, 1, 5, 5})); })
                .find("outcome is constant within both"),
            std::string::npos);
  EXPECT_NE(error_of([&] { engage::quartile_comparison(vec({1, 2, 3, 4}), vec({1, 2, 3})); }).find("measure has 4"),
            std::string::npos);
}

TEST(FitLineBand, MatchesRPredictLm) {
  const auto ref = load("linkage_reference.json");
  for (const auto& c : ref["bands"]) {
    const std::string name = c["name"];
    const Eigen::VectorXd w = c["weighted"].get<bool>() ? vec(c["w"]) : Eigen::VectorXd();
    const auto f = engage::fit_line_band(vec(c["x"]), vec(c["y"]), w, vec(c["at"]), c["level"].get<double>());
    expect_close(f.intercept, c["intercept"], name + " intercept");
    expect_close(f.slope, c["slope"], name + " slope");
    expect_close(f.residual_sd, c["residual_sd"], name + " sigma");
    for (std::size_t i = 0; i < f.at.size(); ++i) {
      expect_close(f.fit[i], c["fit"][i], name + " fit");
      expect_close(f.low[i], c["low"][i], name + " low");
      expect_close(f.high[i], c["high"][i], name + " high");
    }
  }
  EXPECT_THROW(engage::fit_line_band(vec({1, 1, 1}), vec({1, 2, 3}), no_weights, vec({1})), engage::invalid_input);
  EXPECT_THROW(engage::fit_line_band(vec({1, 2}), vec({1, 2}), no_weights, vec({1})), engage::insufficient_data);
}

TEST(Linkage, SampleOrganisationUnitTablesMatchR) {
  // The unit tables R built from examples/data: correlation, weighting and quartiles on them.
  const auto ref = load("linkage_reference.json");
  for (const auto& e : ref["end_to_end"]) {
    const std::string name = e["measure"].get<std::string>() + " lag " + std::to_string(e["lag"].get<int>());
    const auto x = vec(e["units"]["measure"]), y = vec(e["units"]["outcome"]), n = vec(e["units"]["n"]);
    const auto r = engage::weighted_correlation(x, y, no_weights);
    expect_close(r.statistic, e["statistic"], name + " r");
    expect_p(r.pvalue, e["pvalue"], name + " p");
    expect_close(r.ci.low, e["ci"][0], name + " low");
    expect_close(r.ci.high, e["ci"][1], name + " high");
    const auto c = engage::correct_attenuation(r.statistic, e["reliability"].get<double>());
    expect_close(c.statistic, e["corrected"], name + " corrected");
    const auto wr = engage::weighted_correlation(x, y, n);
    expect_close(wr.statistic, e["weighted"]["statistic"], name + " weighted r");
    expect_close(wr.effective_n, e["weighted"]["effective_n"], name + " n_eff");
    expect_close(wr.ci.low, e["weighted"]["ci"][0], name + " weighted low");
    const auto q = engage::quartile_comparison(x, y);
    expect_close(q.difference, e["quartiles"]["difference"], name + " quartile difference");
    expect_close(q.ci.high, e["quartiles"]["ci"][1], name + " quartile high");
  }
}
