// Survival (churn risk): Kaplan-Meier, log-rank and Cox PH against R survival (tests/data/survival_reference.json,
// made by tests/data/survival_reference.R), invariances, grouped output under the confidentiality engine and bad
// input.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <engage/survival.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.hpp"

namespace {

using engage::suppression;
using engage_test::load;
using engage_test::vec;

const nlohmann::json& reference() {
  static const nlohmann::json ref = load("survival_reference.json");
  return ref;
}

Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> keys(const Eigen::VectorXd& x) { return x.cast<std::int64_t>(); }

// Relative tolerance 1e-8 (deterministic methods), absolute near zero; NaN (R's NA/NaN) must match NaN.
void expect_close(double got, double expected, const std::string& what, double rel = 1e-8) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", expected NaN";
    return;
  }
  EXPECT_NEAR(got, expected, rel * std::max(1.0, std::fabs(expected))) << what;
}

template <class V>
void expect_all_close(const V& got, const nlohmann::json& expected, const std::string& what, double rel = 1e-8) {
  ASSERT_EQ(static_cast<std::size_t>(got.size()), expected.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    expect_close(static_cast<double>(got[i]), expected[i].is_null() ? NAN : expected[i].get<double>(),
                 what + "[" + std::to_string(i) + "]", rel);
  }
}

engage::survival_curve curve_of(const nlohmann::json& c, const nlohmann::json& fit) {
  engage::kaplan_meier_options o;
  o.conf_type = engage::parse_survival_ci_type(fit["conf_type"].get<std::string>());
  o.confidence_level = fit["confidence_level"];
  return engage::kaplan_meier(vec(c["time"]), vec(c["event"]), o);
}

void expect_table(const engage::survival_curve& km, const nlohmann::json& t, const std::string& id) {
  expect_all_close(km.time, t["time"], id + " time");
  expect_all_close(km.at_risk, t["at_risk"], id + " at_risk");
  expect_all_close(km.events, t["events"], id + " events");
  expect_all_close(km.censored, t["censored"], id + " censored");
  expect_all_close(km.survival, t["survival"], id + " survival");
  expect_all_close(km.standard_error, t["standard_error"], id + " standard_error");
  expect_all_close(km.low, t["low"], id + " low");
  expect_all_close(km.high, t["high"], id + " high");
}

void expect_median(const engage::survival_curve& km, const nlohmann::json& m, const std::string& id) {
  expect_close(km.median, m["median"].is_null() ? NAN : m["median"].get<double>(), id + " median");
  expect_close(km.median_low, m["low"].is_null() ? NAN : m["low"].get<double>(), id + " median low");
  expect_close(km.median_high, m["high"].is_null() ? NAN : m["high"].get<double>(), id + " median high");
  EXPECT_EQ(km.median_defined, !m["median"].is_null()) << id;
}

// ---------------------------------------------------------------------------------------------------------------
// Kaplan-Meier
// ---------------------------------------------------------------------------------------------------------------

TEST(KaplanMeier, MatchesSurvfitTablesAndMedians) {
  const auto& ref = reference();
  ASSERT_GE(ref["kaplan_meier"].size(), 9u);
  for (const auto& c : ref["kaplan_meier"]) {
    for (const auto& fit : c["fits"]) {
      const std::string id = c["name"].get<std::string>() + " " + fit["conf_type"].get<std::string>() + " " +
                             fit["confidence_level"].dump();
      const auto km = curve_of(c, fit);
      EXPECT_EQ(km.n, c["time"].size()) << id;
      expect_table(km, fit["table"], id);
      expect_median(km, fit["median"], id);
    }
  }
}

TEST(KaplanMeier, SurvivalAtMatchesSummaryTimes) {
  int cases = 0;
  for (const auto& c : reference()["kaplan_meier"]) {
  if (!c["fits"][0].contains("at")) continue;
  ++cases;
  for (const auto& fit : c["fits"]) {
    const auto km = curve_of(c, fit);
    const auto& at = fit["at"];
    const auto p = engage::survival_at(km, vec(at["time"]));
    const std::string id = c["name"].get<std::string>() + " at " + fit["conf_type"].get<std::string>();
    expect_all_close(p.at_risk, at["at_risk"], id + " at_risk");
    expect_all_close(p.events, at["events"], id + " events");
    expect_all_close(p.censored, at["censored"], id + " censored");
    expect_all_close(p.survival, at["survival"], id + " survival");
    expect_all_close(p.standard_error, at["standard_error"], id + " standard_error");
    expect_all_close(p.low, at["low"], id + " low");
    expect_all_close(p.high, at["high"], id + " high");
  }
  }
  EXPECT_EQ(cases, 2);
}

TEST(KaplanMeier, MethodsGoldenValues) {
  const auto& lung = reference()["data"]["lung"];
  const auto km = engage::kaplan_meier(vec(lung["time"]), vec(lung["event"]));
  const auto p = engage::survival_at(km, vec({100, 365}));
  EXPECT_NEAR(p.survival[0], 0.8639690, 5e-8);
  EXPECT_NEAR(p.standard_error[0], 0.02271023, 5e-9);
  EXPECT_NEAR(p.low[0], 0.82058489, 5e-8);
  EXPECT_NEAR(p.high[0], 0.9096467, 5e-8);
  EXPECT_NEAR(p.survival[1], 0.4092416, 5e-8);
  EXPECT_EQ(km.median, 310.0);
  EXPECT_EQ(km.median_low, 285.0);
  EXPECT_EQ(km.median_high, 363.0);
  const auto ll = engage::survival_at(engage::with_confidence(km, 0.95, engage::survival_ci_type::log_log), vec({365}));
  EXPECT_NEAR(ll.low[0], 0.3387143, 5e-8);
  EXPECT_NEAR(ll.high[0], 0.4783808, 5e-8);
}

TEST(KaplanMeier, WithConfidenceEqualsRefit) {
  const auto& c = reference()["kaplan_meier"][0];
  const auto base = engage::kaplan_meier(vec(c["time"]), vec(c["event"]));
  for (const auto& fit : c["fits"]) {
    const auto km = engage::with_confidence(base, fit["confidence_level"],
                                            engage::parse_survival_ci_type(fit["conf_type"].get<std::string>()));
    expect_table(km, fit["table"], "with_confidence " + fit["conf_type"].get<std::string>());
    expect_median(km, fit["median"], "with_confidence");
  }
}

TEST(KaplanMeier, SurvivalAtEdges) {
  // 2 3 3+ 5 8+: S = 0.8, 0.6, 0.3, 0.3
  const auto km = engage::kaplan_meier(vec({2, 3, 3, 5, 8}), vec({1, 1, 0, 1, 0}));
  const auto p = engage::survival_at(km, vec({0, 1, 2, 2.5, 8, 9}));
  EXPECT_EQ(p.survival[0], 1.0);
  EXPECT_EQ(p.standard_error[1], 0.0);
  EXPECT_EQ(p.at_risk[1], 5u);
  EXPECT_NEAR(p.survival[2], 0.8, 1e-15);
  EXPECT_EQ(p.at_risk[2], 5u);
  EXPECT_EQ(p.at_risk[3], 4u);
  EXPECT_NEAR(p.survival[4], 0.3, 1e-15);
  EXPECT_EQ(p.at_risk[4], 1u);
  EXPECT_TRUE(std::isnan(p.survival[5]));  // beyond the last follow-up: not defined
  EXPECT_EQ(p.at_risk[5], 0u);
  // A curve that reached zero stays zero.
  const auto zero = engage::kaplan_meier(vec({1, 2}), vec({1, 1}));
  EXPECT_EQ(engage::survival_at(zero, vec({10})).survival[0], 0.0);
  EXPECT_THROW((void)engage::survival_at(km, vec({3, 2})), engage::invalid_input);
  EXPECT_THROW((void)engage::survival_at(km, vec({-1})), engage::invalid_input);
  EXPECT_THROW((void)engage::survival_at(km, vec({NAN})), engage::invalid_input);
}

TEST(KaplanMeier, NoEventsGivesUndefinedMedianNotAnError) {
  const auto km = engage::kaplan_meier(vec({3, 5, 7}), vec({0, 0, 0}));
  EXPECT_EQ(km.n_events, 0u);
  EXPECT_FALSE(km.median_defined);
  EXPECT_TRUE(std::isnan(km.median));
  EXPECT_EQ(km.survival.back(), 1.0);
}

TEST(KaplanMeier, BadInputNamesTheRow) {
  try {
    (void)engage::kaplan_meier(vec({1, -2, 3}), vec({1, 1, 0}));
    FAIL();
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("duration[1] = -2"), std::string::npos) << e.what();
  }
  try {
    (void)engage::kaplan_meier(vec({1, 2, 3}), vec({1, 2, 0}));
    FAIL();
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("event[1] = 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("status == 2"), std::string::npos) << e.what();
  }
  try {
    (void)engage::kaplan_meier(vec({1, NAN, 3}), vec({1, 1, 0}));
    FAIL();
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("duration[1] = nan"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)engage::kaplan_meier(vec({1, INFINITY}), vec({1, 1})), engage::invalid_input);
  EXPECT_THROW((void)engage::kaplan_meier(vec({1, 2}), vec({1, 0.5})), engage::invalid_input);
  EXPECT_THROW((void)engage::kaplan_meier(vec({1, 2}), vec({1})), engage::invalid_input);
  EXPECT_THROW((void)engage::kaplan_meier(Eigen::VectorXd(0), Eigen::VectorXd(0)), engage::insufficient_data);
  engage::kaplan_meier_options o;
  o.confidence_level = 95;
  EXPECT_THROW((void)engage::kaplan_meier(vec({1, 2}), vec({1, 0}), o), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_survival_ci_type("logit"), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_survival_nan_policy("drop"), engage::invalid_input);
}

TEST(KaplanMeier, OmitPolicyDropsAndCountsMissingRows) {
  engage::kaplan_meier_options o;
  o.nan_policy = engage::survival_nan_policy::omit;
  const auto km = engage::kaplan_meier(vec({2, NAN, 3, 3, 5, 8, 4}), vec({1, 1, 1, 0, 1, 0, NAN}), o);
  const auto ref = engage::kaplan_meier(vec({2, 3, 3, 5, 8}), vec({1, 1, 0, 1, 0}));
  EXPECT_EQ(km.dropped, 2u);
  EXPECT_EQ(km.survival, ref.survival);
  EXPECT_THROW((void)engage::kaplan_meier(vec({NAN, NAN}), vec({1, 0}), o), engage::insufficient_data);
  // Invalid values stay errors under omit.
  EXPECT_THROW((void)engage::kaplan_meier(vec({-1, 2}), vec({1, 0}), o), engage::invalid_input);
}

TEST(KaplanMeierBy, MatchesPerGroupSurvfit) {
  const auto& ref = reference();
  const auto& lung = ref["data"]["lung"];
  engage::kaplan_meier_by_options o;
  o.min_group_size = 1;
  const auto curves = engage::kaplan_meier_by(vec(lung["time"]), vec(lung["event"]), keys(vec(lung["sex"])), o);
  ASSERT_EQ(curves.size(), 2u);
  for (std::size_t g = 0; g < 2; ++g) {
    const auto& r = ref["kaplan_meier_by_sex"][g];
    EXPECT_EQ(curves[g].key, r["key"].get<std::int64_t>());
    EXPECT_EQ(curves[g].status, suppression::shown);
    EXPECT_EQ(curves[g].curve.n, r["n"].get<std::uint64_t>());
    expect_table(curves[g].curve, r["table"], "sex " + r["key"].dump());
    expect_median(curves[g].curve, r["median"], "sex " + r["key"].dump());
  }
}

TEST(KaplanMeierBy, SmallGroupsAreHidden) {
  // Groups of 7, 3 and 6: the 3 is below the minimum; 3 alone could be recovered, so the 6 is hidden too.
  Eigen::VectorXd t(16), e(16), k(16);
  for (int i = 0; i < 16; ++i) t[i] = i + 1, e[i] = i % 2, k[i] = i < 7 ? 1 : (i < 10 ? 2 : 3);
  const auto curves = engage::kaplan_meier_by(t, e, keys(k));
  ASSERT_EQ(curves.size(), 3u);
  EXPECT_EQ(curves[0].status, suppression::shown);
  EXPECT_EQ(curves[1].status, suppression::below_minimum);
  EXPECT_EQ(curves[2].status, suppression::complementary);
  EXPECT_EQ(curves[1].curve.n, 0u);
  EXPECT_TRUE(curves[1].curve.time.empty());
  EXPECT_TRUE(std::isnan(curves[2].curve.median));
  EXPECT_THROW((void)engage::kaplan_meier_by(t, e, keys(k.head(3))), engage::invalid_input);
}

// ---------------------------------------------------------------------------------------------------------------
// Log-rank
// ---------------------------------------------------------------------------------------------------------------

TEST(Logrank, MatchesSurvdiff) {
  const auto& ref = reference();
  ASSERT_GE(ref["logrank"].size(), 3u);
  for (const auto& c : ref["logrank"]) {
    const std::string id = c["name"];
    engage::logrank_options o;
    o.min_group_size = 1;
    const auto r = engage::logrank_test(vec(c["time"]), vec(c["event"]), keys(vec(c["group"])), o);
    expect_close(r.statistic, c["statistic"], id + " statistic");
    EXPECT_EQ(r.df, c["df"].get<std::size_t>()) << id;
    expect_close(r.pvalue, c["pvalue"], id + " pvalue");
    ASSERT_EQ(r.groups.size(), c["keys"].size()) << id;
    for (std::size_t g = 0; g < r.groups.size(); ++g) {
      EXPECT_EQ(r.groups[g].key, c["keys"][g].get<std::int64_t>()) << id;
      EXPECT_EQ(r.groups[g].n, c["n"][g].get<std::uint64_t>()) << id;
      expect_close(r.groups[g].observed, c["observed"][g], id + " observed");
      expect_close(r.groups[g].expected, c["expected"][g], id + " expected");
    }
  }
  EXPECT_NEAR(ref["logrank"][0]["statistic"].get<double>(), 10.3, 0.05);  // METHODS.md: lung by sex
}

TEST(Logrank, SuppressesSmallGroupsButTestsAll) {
  const auto& c = reference()["logrank"][1];  // lung by ph.ecog: ecog 3 has one patient
  const auto r = engage::logrank_test(vec(c["time"]), vec(c["event"]), keys(vec(c["group"])));
  expect_close(r.statistic, c["statistic"], "statistic with hidden groups");
  ASSERT_EQ(r.groups.size(), 4u);
  EXPECT_EQ(r.groups[3].status, suppression::below_minimum);
  EXPECT_TRUE(std::isnan(r.groups[3].observed));
  EXPECT_EQ(r.groups[3].n, 0u);
  EXPECT_NE(r.groups[0].status, suppression::below_minimum);
}

TEST(Logrank, BadInput) {
  EXPECT_THROW((void)engage::logrank_test(vec({1, 2, 3}), vec({1, 1, 0}), keys(vec({1, 1, 1}))),
               engage::insufficient_data);
  EXPECT_THROW((void)engage::logrank_test(vec({1, 2, 3, 4}), vec({0, 0, 0, 0}), keys(vec({1, 1, 2, 2}))),
               engage::insufficient_data);
  EXPECT_THROW((void)engage::logrank_test(vec({1, 2}), vec({1, 0}), keys(vec({1}))), engage::invalid_input);
  EXPECT_THROW((void)engage::logrank_test(Eigen::VectorXd(0), Eigen::VectorXd(0), keys(Eigen::VectorXd(0))),
               engage::insufficient_data);
  EXPECT_THROW((void)engage::logrank_test(vec({1, 2, -3, 4}), vec({1, 1, 0, 1}), keys(vec({1, 1, 2, 2}))),
               engage::invalid_input);
}

// ---------------------------------------------------------------------------------------------------------------
// Cox proportional hazards
// ---------------------------------------------------------------------------------------------------------------

struct cox_case_data {
  engage::row_matrix x;
  Eigen::VectorXd duration, event;
};

cox_case_data data_of(const nlohmann::json& c) {
  const std::string name = c["name"];
  const auto& d = reference()["data"][name.rfind("lung", 0) == 0 ? "lung" : "rossi"];
  cox_case_data out;
  out.duration = vec(d[c["duration_col"].get<std::string>()]);
  out.event = vec(d[c["event_col"].get<std::string>()]);
  const auto& covs = c["covariates"];
  out.x.resize(out.duration.size(), static_cast<Eigen::Index>(covs.size()));
  for (std::size_t j = 0; j < covs.size(); ++j) out.x.col(static_cast<Eigen::Index>(j)) = vec(d[covs[j].get<std::string>()]);
  return out;
}

engage::cox_result fit_case(const nlohmann::json& c) {
  const auto d = data_of(c);
  engage::cox_options o;
  o.ties = engage::parse_cox_ties(c["ties"].get<std::string>());
  o.nan_policy = engage::survival_nan_policy::omit;
  if (c.contains("penalizer")) o.penalizer = c["penalizer"];
  for (const auto& name : c["covariates"]) o.names.push_back(name);
  return engage::cox_ph(d.x, d.duration, d.event, o);
}

TEST(CoxPH, MatchesCoxph) {
  const auto& ref = reference();
  ASSERT_GE(ref["cox"].size(), 7u);
  for (const auto& c : ref["cox"]) {
    const std::string id = c["name"];
    const auto fit = fit_case(c);
    const auto p = static_cast<Eigen::Index>(c["covariates"].size());
    EXPECT_EQ(fit.n, c["n"].get<std::uint64_t>()) << id;
    EXPECT_EQ(fit.n_events, c["n_events"].get<std::uint64_t>()) << id;
    EXPECT_EQ(fit.dropped, c["dropped"].get<std::uint64_t>()) << id;
    if (!c["iterations"].is_array()) {
      EXPECT_EQ(fit.iterations, c["iterations"].get<int>()) << id;
    }
    expect_all_close(fit.params, c["params"], id + " params");
    expect_all_close(fit.standard_errors, c["standard_errors"], id + " standard_errors");
    for (Eigen::Index j = 0; j < p; ++j) expect_all_close(fit.covariance.row(j), c["covariance"][j], id + " covariance");
    expect_all_close(fit.z, c["z"], id + " z");
    expect_all_close(fit.pvalues, c["pvalues"], id + " pvalues");
    expect_close(fit.log_likelihood, c["log_likelihood"], id + " log_likelihood");
    expect_close(fit.log_likelihood_null, c["log_likelihood_null"], id + " log_likelihood_null");
    if (c.contains("likelihood_ratio")) {
      for (const auto& [name, test] : {std::pair{"likelihood_ratio", fit.likelihood_ratio},
                                       std::pair{"wald", fit.wald}, std::pair{"score", fit.score}}) {
        expect_close(test.statistic, c[name]["statistic"], id + " " + name);
        expect_close(test.pvalue, c[name]["pvalue"], id + " " + name + " pvalue");
        EXPECT_EQ(test.df, c[name]["df"].get<std::size_t>()) << id;
      }
    } else {
      expect_close(fit.penalty, c["penalty"], id + " penalty");
    }
    const auto& cc = c["concordance"];
    EXPECT_EQ(fit.concordance.concordant, cc["concordant"].get<std::uint64_t>()) << id;
    EXPECT_EQ(fit.concordance.discordant, cc["discordant"].get<std::uint64_t>()) << id;
    EXPECT_EQ(fit.concordance.tied_risk, cc["tied_risk"].get<std::uint64_t>()) << id;
    EXPECT_EQ(fit.concordance.tied_time, cc["tied_time"].get<std::uint64_t>()) << id;
    EXPECT_EQ(fit.concordance.tied_both, cc["tied_both"].get<std::uint64_t>()) << id;
    expect_close(fit.concordance.statistic, cc["statistic"], id + " concordance");
    expect_close(fit.concordance.standard_error, cc["standard_error"], id + " concordance se");
  }
}

TEST(CoxPH, PredictionsMatchSurvfitCoxph) {
  for (const auto& c : reference()["cox"]) {
    const std::string id = c["name"];
    const auto fit = fit_case(c);
    const auto p = static_cast<Eigen::Index>(c["covariates"].size());
    engage::row_matrix nd(static_cast<Eigen::Index>(c["newdata"].size()), p);
    for (Eigen::Index i = 0; i < nd.rows(); ++i) nd.row(i) = vec(c["newdata"][static_cast<std::size_t>(i)]).transpose();
    // R centres 0/1 covariates at 0, engage at the mean: partial hazards and the baseline differ by a constant.
    const double shift = std::exp((fit.means - vec(c["means"])).dot(fit.params));
    const Eigen::VectorXd risk = engage::cox_partial_hazard(fit, nd) * shift;
    expect_all_close(risk, c["partial_hazard"], id + " partial hazard");
    const Eigen::VectorXd bh = Eigen::Map<const Eigen::VectorXd>(fit.baseline_cumulative_hazard.data(),
                                                                 static_cast<Eigen::Index>(fit.baseline_time.size())) / shift;
    expect_all_close(fit.baseline_time, c["baseline"]["time"], id + " baseline time");
    expect_all_close(bh, c["baseline"]["cumulative_hazard"], id + " baseline");
    const auto times = vec(c["survival_times"]);
    const auto s = engage::cox_survival(fit, nd, times);
    for (Eigen::Index i = 0; i < nd.rows(); ++i) {
      expect_all_close(s.row(i), c["survival"][static_cast<std::size_t>(i)], id + " survival");
      const auto churn = engage::cox_churn_probability(fit, nd.row(i), times[times.size() - 1]);
      expect_close(churn[0], 1.0 - s(i, times.size() - 1), id + " churn");
    }
  }
}

TEST(CoxPH, MethodsGoldenValues) {
  const auto fit = fit_case(reference()["cox"][0]);
  EXPECT_NEAR(fit.params[0], 0.017045, 5e-7);
  EXPECT_NEAR(fit.params[1], -0.513219, 5e-7);
  EXPECT_NEAR(fit.standard_errors[0], 0.009223, 5e-7);
  EXPECT_NEAR(fit.standard_errors[1], 0.167458, 5e-7);
  EXPECT_NEAR(fit.log_likelihood_null, -749.9098, 5e-5);
  EXPECT_NEAR(fit.log_likelihood, -742.8482, 5e-5);
  EXPECT_NEAR(fit.likelihood_ratio.statistic, 14.12, 5e-3);
  EXPECT_NEAR(fit.wald.statistic, 13.47, 5e-3);
  EXPECT_NEAR(fit.score.statistic, 13.72, 5e-3);
  EXPECT_NEAR(fit.concordance.statistic, 0.6029, 5e-5);
  EXPECT_NEAR(fit.concordance.standard_error, 0.0255, 5e-5);
  const auto breslow = fit_case(reference()["cox"][1]);
  EXPECT_NEAR(breslow.params[0], 0.01701289, 5e-9);
}

TEST(CoxPH, ConcordanceOfTheLinearPredictor) {
  const auto& c = reference()["cox"][3];
  const auto d = data_of(c);
  const auto fit = fit_case(c);
  const Eigen::VectorXd lp = d.x * fit.params;
  const auto conc = engage::harrell_concordance(d.duration, d.event, lp);
  EXPECT_EQ(conc.concordant, fit.concordance.concordant);
  EXPECT_EQ(conc.tied_risk, fit.concordance.tied_risk);
  EXPECT_NEAR(conc.statistic, fit.concordance.statistic, 1e-15);
  EXPECT_NEAR(conc.standard_error, fit.concordance.standard_error, 1e-15);
  EXPECT_NEAR(conc.statistic, 0.6403292, 5e-8);  // METHODS.md: Rossi
}

TEST(Concordance, CountsByHand) {
  // times 1 2 2 3+ 4; risk 5 4 4 1 2. Comparable: (1,*) 4 pairs; (2a,3+),(2a,4),(2b,3+),(2b,4); 2a-2b tied in time.
  const auto c = engage::harrell_concordance(vec({1, 2, 2, 3, 4}), vec({1, 1, 1, 0, 1}), vec({5, 4, 4, 1, 2}));
  EXPECT_EQ(c.concordant, 8u);
  EXPECT_EQ(c.discordant, 0u);
  EXPECT_EQ(c.tied_both, 1u);
  EXPECT_EQ(c.statistic, 1.0);
  // An event and a censoring at the same time are comparable; equal scores count 1/2.
  const auto t = engage::harrell_concordance(vec({2, 2}), vec({1, 0}), vec({3, 3}));
  EXPECT_EQ(t.tied_risk, 1u);
  EXPECT_EQ(t.statistic, 0.5);
  const auto none = engage::harrell_concordance(vec({1, 2}), vec({0, 0}), vec({1, 2}));
  EXPECT_TRUE(std::isnan(none.statistic));
  EXPECT_THROW((void)engage::harrell_concordance(vec({1, 2}), vec({1, 0}), vec({1, NAN})), engage::invalid_input);
  EXPECT_THROW((void)engage::harrell_concordance(vec({1, 2}), vec({1, 0}), vec({1})), engage::invalid_input);
}

TEST(CoxPH, InvariantToRowOrderAndCovariateScale) {
  const auto& c = reference()["cox"][3];
  auto d = data_of(c);
  const auto base = fit_case(c);
  const Eigen::Index n = d.duration.size();
  engage::row_matrix x(n, d.x.cols());
  Eigen::VectorXd t(n), e(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Index src = (i * 7) % n;  // 7 and 432 are coprime: a permutation
    x.row(i) = d.x.row(src), t[i] = d.duration[src], e[i] = d.event[src];
  }
  x.col(1) *= 12.0;  // age in months
  x.col(6).array() += 100.0;
  const auto fit = engage::cox_ph(x, t, e);
  EXPECT_NEAR(fit.params[1] * 12.0, base.params[1], 1e-12);
  EXPECT_NEAR(fit.params[6], base.params[6], 1e-12);
  EXPECT_NEAR(fit.log_likelihood, base.log_likelihood, 1e-9);
  EXPECT_NEAR(fit.concordance.statistic, base.concordance.statistic, 1e-15);
}

TEST(CoxPH, EfronEqualsBreslowWithoutTies) {
  engage::row_matrix x(8, 1);
  x << 1, 0, 3, 2, 5, 1, 4, 0;
  const auto t = vec({1, 2, 3, 4, 5, 6, 7, 8}), e = vec({1, 1, 0, 1, 1, 1, 0, 1});
  engage::cox_options o;
  const auto efron = engage::cox_ph(x, t, e, o);
  o.ties = engage::cox_ties::breslow;
  const auto breslow = engage::cox_ph(x, t, e, o);
  EXPECT_NEAR(efron.params[0], breslow.params[0], 1e-14);
  EXPECT_NEAR(efron.log_likelihood, breslow.log_likelihood, 1e-12);
}

TEST(CoxPH, ConstantCovariateIsNamed) {
  engage::row_matrix x(6, 2);
  x << 1, 7, 2, 7, 3, 7, 4, 7, 5, 7, 6, 7;
  engage::cox_options o;
  o.names = {"age", "site"};
  try {
    (void)engage::cox_ph(x, vec({1, 2, 3, 4, 5, 6}), vec({1, 0, 1, 1, 0, 1}), o);
    FAIL();
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("'site' is constant"), std::string::npos) << e.what();
  }
}

TEST(CoxPH, CollinearCovariatesAreNamed) {
  engage::row_matrix x(8, 4);
  for (int i = 0; i < 8; ++i) {
    const double a = i % 3, b = (i * 5) % 7, c = i % 2;
    x.row(i) << a, b, c, a + 2.0 * b;
  }
  engage::cox_options o;
  o.names = {"a", "b", "c", "a_plus_2b"};
  try {
    (void)engage::cox_ph(x, vec({1, 2, 3, 4, 5, 6, 7, 8}), vec({1, 0, 1, 1, 0, 1, 1, 1}), o);
    FAIL();
  } catch (const engage::invalid_input& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("collinear"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'a', 'b', 'a_plus_2b'"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("'c'"), std::string::npos) << msg;
  }
}

TEST(CoxPH, MissingCovariateNamesColumnAndRow) {
  engage::row_matrix x(8, 2);
  x << 3, 2, 1, 1, 4, NAN, 2, 2, 5, 1, 1, 2, 4, 1, 2, 2;
  const auto t = vec({1, 2, 3, 4, 5, 6, 7, 8}), e = vec({1, 0, 1, 1, 1, 1, 0, 1});
  engage::cox_options o;
  o.names = {"age", "score"};
  try {
    (void)engage::cox_ph(x, t, e, o);
    FAIL();
  } catch (const engage::invalid_input& err) {
    EXPECT_NE(std::string(err.what()).find("'score' is missing (NaN) in row 2"), std::string::npos) << err.what();
  }
  o.nan_policy = engage::survival_nan_policy::omit;
  const auto fit = engage::cox_ph(x, t, e, o);
  EXPECT_EQ(fit.dropped, 1u);
  EXPECT_EQ(fit.n, 7u);
  x(1, 0) = INFINITY;
  EXPECT_THROW((void)engage::cox_ph(x, t, e, o), engage::invalid_input);
}

TEST(CoxPH, NoEventsAndEmptyInput) {
  engage::row_matrix x(4, 1);
  x << 1, 2, 3, 4;
  EXPECT_THROW((void)engage::cox_ph(x, vec({1, 2, 3, 4}), vec({0, 0, 0, 0})), engage::insufficient_data);
  EXPECT_THROW((void)engage::cox_ph(engage::row_matrix(0, 1), Eigen::VectorXd(0), Eigen::VectorXd(0)),
               engage::insufficient_data);
  EXPECT_THROW((void)engage::cox_ph(engage::row_matrix(4, 0), vec({1, 2, 3, 4}), vec({1, 1, 1, 1})),
               engage::invalid_input);
  EXPECT_THROW((void)engage::cox_ph(x, vec({1, 2, 3}), vec({1, 1, 1})), engage::invalid_input);
  EXPECT_THROW((void)engage::cox_ph(x, vec({1, 2, 3, 4}), vec({1, 1, 1})), engage::invalid_input);
}

TEST(CoxPH, OptionValidation) {
  engage::row_matrix x(4, 1);
  x << 1, 2, 3, 4;
  const auto t = vec({1, 2, 3, 4}), e = vec({1, 0, 1, 1});
  for (double bad : {-1.0, std::nan(""), HUGE_VAL}) {
    engage::cox_options o;
    o.penalizer = bad;
    EXPECT_THROW((void)engage::cox_ph(x, t, e, o), engage::invalid_input) << bad;
  }
  engage::cox_options o;
  o.eps = 0;
  EXPECT_THROW((void)engage::cox_ph(x, t, e, o), engage::invalid_input);
  o = {};
  o.max_iter = 0;
  EXPECT_THROW((void)engage::cox_ph(x, t, e, o), engage::invalid_input);
  o = {};
  o.names = {"a", "b"};
  EXPECT_THROW((void)engage::cox_ph(x, t, e, o), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_cox_ties("exact"), engage::invalid_input);
}

TEST(CoxPH, NonConvergenceIsReported) {
  const auto& c = reference()["cox"][3];
  const auto d = data_of(c);
  engage::cox_options o;
  o.max_iter = 2;
  EXPECT_THROW((void)engage::cox_ph(d.x, d.duration, d.event, o), engage::convergence_error);
  o.max_iter = 50;
  EXPECT_NO_THROW((void)engage::cox_ph(d.x, d.duration, d.event, o));
}

TEST(CoxPH, MonotoneLikelihoodIsDetected) {
  // Everyone with x = 1 leaves before anyone with x = 0: the hazard ratio of x is infinite.
  engage::row_matrix x(12, 2);
  Eigen::VectorXd t(12), e(12);
  for (int i = 0; i < 12; ++i) {
    x(i, 0) = i < 5 ? 1.0 : 0.0;
    x(i, 1) = (i * 7) % 5;  // an unrelated covariate
    t[i] = i + 1, e[i] = i % 4 == 3 ? 0.0 : 1.0;
  }
  engage::cox_options o;
  o.names = {"low_engagement", "noise"};
  try {
    (void)engage::cox_ph(x, t, e, o);
    FAIL();
  } catch (const engage::convergence_error& err) {
    const std::string msg = err.what();
    EXPECT_NE(msg.find("monotone likelihood"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'low_engagement'"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("'noise'"), std::string::npos) << msg;
  }
  o.max_iter = 200;
  EXPECT_THROW((void)engage::cox_ph(x, t, e, o), engage::convergence_error);
  // A penalty makes the estimate finite.
  o.penalizer = 0.1;
  const auto fit = engage::cox_ph(x, t, e, o);
  EXPECT_GT(fit.params[0], 0.0);
  EXPECT_TRUE(std::isfinite(fit.standard_errors[0]));
}

TEST(CoxPH, PenalizerShrinksTowardZero) {
  const auto& c = reference()["cox"][3];
  const auto d = data_of(c);
  double previous = INFINITY;
  for (double lambda : {0.0, 0.01, 0.1, 1.0}) {
    engage::cox_options o;
    o.penalizer = lambda;
    const auto fit = engage::cox_ph(d.x, d.duration, d.event, o);
    const double size = fit.params.cwiseProduct(fit.scales).norm();
    EXPECT_LT(size, previous) << lambda;
    previous = size;
  }
}

TEST(CoxPH, PredictionInputChecks) {
  const auto fit = fit_case(reference()["cox"][0]);
  engage::row_matrix wrong(1, 3);
  wrong << 60, 1, 0;
  EXPECT_THROW((void)engage::cox_partial_hazard(fit, wrong), engage::invalid_input);
  engage::row_matrix x(2, 2);
  x << 60, 1, NAN, 2;
  const auto s = engage::cox_survival(fit, x, vec({0, 100, 5000}));
  EXPECT_EQ(s(0, 0), 1.0);
  EXPECT_TRUE(std::isnan(s(0, 2)));  // beyond the follow-up
  EXPECT_TRUE(std::isnan(s(1, 1)));  // missing covariate
  EXPECT_THROW((void)engage::cox_survival(fit, x, vec({-1})), engage::invalid_input);
  EXPECT_THROW((void)engage::cox_churn_probability(fit, x, 5000), engage::invalid_input);
  EXPECT_THROW((void)engage::cox_churn_probability(fit, x, NAN), engage::invalid_input);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Expected leavers per group (Poisson-binomial), checked against brute-force enumeration of all outcomes.

namespace {

// Distribution of the number of successes by enumerating all 2^n outcomes (independent of the recursion).
std::vector<double> enumerate_pmf(const std::vector<double>& p) {
  const std::size_t n = p.size();
  std::vector<double> pmf(n + 1, 0.0);
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    double prob = 1.0;
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool hit = (mask >> i) & 1U;
      prob *= hit ? p[i] : 1.0 - p[i];
      k += hit ? 1 : 0;
    }
    pmf[k] += prob;
  }
  return pmf;
}

double quantile_of(const std::vector<double>& pmf, double q) {
  double cum = 0.0;
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    cum += pmf[k];
    if (cum >= q * (1 - 1e-12)) return static_cast<double>(k);
  }
  return static_cast<double>(pmf.size() - 1);
}

}  // namespace

TEST(ExpectedEventsBy, MatchesEnumeration) {
  const Eigen::VectorXd p = vec({0.1, 0.5, 0.9, 0.3, 0.05, 0.7, 0.2, 0.2, 0.6, 0.01, 0.4, 0.35, 0.8, 0.15});
  const Eigen::VectorXd obs = vec({0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0});
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> k(14);
  k << 2, 2, 2, 2, 2, 2, 2, 2, 7, 7, 7, 7, 7, 7;
  engage::expected_events_options o;
  o.min_group_size = 1;
  for (const double level : {0.95, 0.8}) {
    o.confidence_level = level;
    const Eigen::Ref<const Eigen::VectorXd> ov(obs);
    const auto g = engage::expected_events_by(p, k, o, &ov);
    ASSERT_EQ(g.size(), 2U);
    for (std::size_t j = 0; j < 2; ++j) {
      std::vector<double> pg;
      double observed = 0.0;
      for (Eigen::Index i = 0; i < 14; ++i)
        if (k[i] == g[j].key) pg.push_back(p[i]), observed += obs[i];
      const auto pmf = enumerate_pmf(pg);
      double mean = 0.0, var = 0.0;
      for (std::size_t c = 0; c < pmf.size(); ++c) mean += static_cast<double>(c) * pmf[c];
      for (std::size_t c = 0; c < pmf.size(); ++c) var += (static_cast<double>(c) - mean) * (static_cast<double>(c) - mean) * pmf[c];
      EXPECT_EQ(g[j].n, pg.size());
      EXPECT_NEAR(g[j].expected, mean, 1e-12);
      EXPECT_NEAR(g[j].standard_error, std::sqrt(var), 1e-12);
      EXPECT_EQ(g[j].low, quantile_of(pmf, (1 - level) / 2));
      EXPECT_EQ(g[j].high, quantile_of(pmf, 1 - (1 - level) / 2));
      EXPECT_EQ(g[j].observed, observed);
      EXPECT_EQ(g[j].status, suppression::shown);
    }
  }
}

TEST(ExpectedEventsBy, ConfidentialityNormalApproximationAndErrors) {
  Eigen::VectorXd p(13);
  p.setConstant(0.3);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> k(13);
  k << 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3;
  const auto g = engage::expected_events_by(p, k);  // min_group_size 5: 3 (n 2) hidden, 2 (n 5) complementary
  EXPECT_EQ(g[0].status, suppression::shown);
  EXPECT_EQ(g[1].status, suppression::complementary);
  EXPECT_EQ(g[2].status, suppression::below_minimum);
  EXPECT_TRUE(std::isnan(g[1].expected) && std::isnan(g[2].high));
  EXPECT_TRUE(std::isnan(g[0].observed));  // no outcomes given
  engage::expected_events_options o;
  o.exact_up_to = 0;  // normal approximation: floor / ceil of mean -/+ z sd
  const auto a = engage::expected_events_by(p, k, o);
  const double sd = std::sqrt(6 * 0.3 * 0.7);
  EXPECT_EQ(a[0].n, 6U);
  EXPECT_NEAR(a[0].expected, 1.8, 1e-12);
  EXPECT_NEAR(a[0].standard_error, sd, 1e-12);
  EXPECT_EQ(a[0].low, std::max(0.0, std::floor(1.8 - 1.959963984540054 * sd)));
  EXPECT_EQ(a[0].high, std::ceil(1.8 + 1.959963984540054 * sd));
  p[4] = 1.2;
  EXPECT_THROW(engage::expected_events_by(p, k), engage::invalid_input);
  p[4] = NAN;
  try {
    engage::expected_events_by(p, k);
    FAIL();
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("probability"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("4"), std::string::npos);
  }
}

TEST(SortByKey, RadixOrderEqualsStdSortWithTiesSignsAndZeros) {
  // The radix sort used for times and risk scores must order (key, position) exactly as std::sort does.
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> pick(0, 9);
  std::normal_distribution<double> z;
  for (const std::size_t n : {std::size_t{100}, std::size_t{5000}, std::size_t{70000}}) {
    std::vector<std::pair<double, std::size_t>> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      const int k = pick(rng);
      const double x = k == 0 ? 0.0 : k == 1 ? -0.0 : k < 5 ? std::round(3.0 * z(rng)) : z(rng) * 1e6;
      v[i] = {x, i};
    }
    auto expected = v;
    std::sort(expected.begin(), expected.end());
    engage::detail::surv::sort_by_key(v);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(v[i].second, expected[i].second) << "n = " << n << ", position " << i;
    }
  }
}
