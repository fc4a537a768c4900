// Hunter-Schmidt meta-analysis: reference values (tests/data/meta_analysis_reference.json, made by
// tests/data/meta_analysis_reference.R from the formulas, R psychometric 2.3, metafor 3.8 and the METHODS.md
// psychmeta 2.7.0 values), presets, intervals at other levels, edge cases and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <engage/meta_analysis.hpp>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

using engage_test::load;

using engage::meta_analysis_options;
using engage::meta_artifacts;
using engage::meta_interval_method;

double num(const nlohmann::json& v) {
  if (v.is_null()) return NAN;
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (v.is_string()) return v.get<std::string>() == "inf" ? INFINITY : -INFINITY;
  return v.get<double>();
}

Eigen::VectorXd vec(const nlohmann::json& a) {
  if (a.is_null()) return {};
  Eigen::VectorXd v(static_cast<Eigen::Index>(a.size()));
  for (std::size_t i = 0; i < a.size(); ++i) v[static_cast<Eigen::Index>(i)] = num(a[i]);
  return v;
}

Eigen::VectorXd vec(std::initializer_list<double> x) { return engage_test::vec(x); }

void expect_close(double got, double expected, const std::string& what, double rel = 1e-8) {
  if (std::isinf(expected) || std::isnan(expected)) {
    if (std::isnan(expected)) EXPECT_TRUE(std::isnan(got)) << what;
    else EXPECT_EQ(got, expected) << what;
    return;
  }
  EXPECT_NEAR(got, expected, rel * std::max(1.0, std::fabs(expected))) << what << " got " << got;
}

/// Summary figure of a result by its JSON name.
double summary(const engage::meta_analysis_result& m, const std::string& name) {
  static const std::map<std::string, std::function<double(const engage::meta_analysis_result&)>> get{
      {"k", [](auto& x) { return double(x.k); }},
      {"n_total", [](auto& x) { return x.n_total; }},
      {"mean_r", [](auto& x) { return x.mean_r; }},
      {"var_r", [](auto& x) { return x.var_r; }},
      {"var_e", [](auto& x) { return x.var_e; }},
      {"var_res", [](auto& x) { return x.var_res; }},
      {"var_res_truncated", [](auto& x) { return double(x.var_res_truncated); }},
      {"sd_r", [](auto& x) { return x.sd_r; }},
      {"sd_e", [](auto& x) { return x.sd_e; }},
      {"sd_res", [](auto& x) { return x.sd_res; }},
      {"se_mean_r", [](auto& x) { return x.se_mean_r; }},
      {"pct_var_sampling_error", [](auto& x) { return x.pct_var_sampling_error; }},
      {"ci_low", [](auto& x) { return x.confidence_interval.low; }},
      {"ci_high", [](auto& x) { return x.confidence_interval.high; }},
      {"cr_low", [](auto& x) { return x.credibility_interval.low; }},
      {"cr_high", [](auto& x) { return x.credibility_interval.high; }},
      {"mean_rho", [](auto& x) { return x.mean_rho; }},
      {"var_r_c", [](auto& x) { return x.var_r_c; }},
      {"var_e_c", [](auto& x) { return x.var_e_c; }},
      {"var_rho", [](auto& x) { return x.var_rho; }},
      {"var_rho_truncated", [](auto& x) { return double(x.var_rho_truncated); }},
      {"sd_r_c", [](auto& x) { return x.sd_r_c; }},
      {"sd_e_c", [](auto& x) { return x.sd_e_c; }},
      {"sd_rho", [](auto& x) { return x.sd_rho; }},
      {"se_mean_rho", [](auto& x) { return x.se_mean_rho; }},
      {"pct_var_artifacts", [](auto& x) { return x.pct_var_artifacts; }},
      {"ci_rho_low", [](auto& x) { return x.confidence_interval_rho.low; }},
      {"ci_rho_high", [](auto& x) { return x.confidence_interval_rho.high; }},
      {"cr_rho_low", [](auto& x) { return x.credibility_interval_rho.low; }},
      {"cr_rho_high", [](auto& x) { return x.credibility_interval_rho.high; }},
  };
  const auto it = get.find(name);
  if (it == get.end()) throw std::runtime_error("unknown summary field " + name);
  return it->second(m);
}

double study(const engage::meta_study& s, const std::string& name) {
  static const std::map<std::string, std::function<double(const engage::meta_study&)>> get{
      {"r_bias_corrected", [](auto& x) { return x.r_bias_corrected; }},
      {"weight", [](auto& x) { return x.weight; }},
      {"low", [](auto& x) { return x.ci.low; }},
      {"high", [](auto& x) { return x.ci.high; }},
      {"attenuation", [](auto& x) { return x.attenuation; }},
      {"rho", [](auto& x) { return x.rho; }},
      {"weight_rho", [](auto& x) { return x.weight_rho; }},
      {"var_e", [](auto& x) { return x.var_e; }},
      {"var_e_rho", [](auto& x) { return x.var_e_rho; }},
      {"rho_low", [](auto& x) { return x.ci_rho.low; }},
      {"rho_high", [](auto& x) { return x.ci_rho.high; }},
  };
  const auto it = get.find(name);
  if (it == get.end()) throw std::runtime_error("unknown study field " + name);
  return it->second(s);
}

meta_analysis_options options_of(const nlohmann::json& o) {
  meta_analysis_options x;
  x.correct_bias = o["correct_bias"];
  x.var_unbiased = o["var_unbiased"];
  x.error_type = engage::parse_meta_error_type(o["error_type"].get<std::string>());
  x.conf_method = engage::parse_meta_interval_method(o["conf_method"].get<std::string>());
  x.cred_method = engage::parse_meta_interval_method(o["cred_method"].get<std::string>());
  x.confidence_level = o["confidence_level"];
  x.credibility_level = o["credibility_level"];
  return x;
}

engage::meta_analysis_result run(const nlohmann::json& c) {
  meta_artifacts a;
  a.rxx = vec(c["rxx"]), a.ryy = vec(c["ryy"]), a.ux = vec(c["ux"]);
  a.rxx_restricted = c["rxx_restricted"];
  return engage::meta_analysis(vec(c["r"]), vec(c["n"]), a, options_of(c["options"]));
}

// half a unit in the 7th significant digit (R's default print), or in the given decimal
double rounded_tolerance(double v, const nlohmann::json& rounded) {
  if (rounded.contains("decimals")) return 0.5 * std::pow(10.0, -rounded["decimals"].get<double>());
  return 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(v))) - 6.0);
}

TEST(MetaAnalysisReference, FormulasMatchR) {
  const auto ref = load("meta_analysis_reference.json");
  ASSERT_GE(ref["cases"].size(), 14u);
  for (const auto& c : ref["cases"]) {
    const std::string id = c["name"];
    const auto m = run(c);
    for (const auto& [name, v] : c["expected"].items()) expect_close(summary(m, name), num(v), id + " " + name);
    ASSERT_EQ(m.studies.size(), c["r"].size()) << id;
    for (const auto& [name, v] : c["studies"].items()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        expect_close(study(m.studies[i], name), num(v[i]), id + " study " + std::to_string(i) + " " + name);
      }
    }
  }
}

TEST(MetaAnalysisReference, MatchesPsychometricAndMetafor) {
  const auto ref = load("meta_analysis_reference.json");
  int checked = 0;
  for (const auto& c : ref["cases"]) {
    const auto m = run(c);
    for (const auto& o : c["oracles"]) {
      const std::string id = c["name"].get<std::string>() + " [" + o["source"].get<std::string>() + "]";
      if (o.contains("values")) {
        for (const auto& [name, v] : o["values"].items()) expect_close(summary(m, name), num(v), id + " " + name), ++checked;
      }
      if (o.contains("studies")) {
        for (const auto& [name, v] : o["studies"].items()) {
          for (std::size_t i = 0; i < v.size(); ++i) expect_close(study(m.studies[i], name), num(v[i]), id + " " + name), ++checked;
        }
      }
    }
  }
  EXPECT_GE(checked, 40);
}

TEST(MetaAnalysisReference, MatchesPublishedPsychmetaValuesAtTheirPrecision) {
  const auto ref = load("meta_analysis_reference.json");
  int checked = 0;
  for (const auto& c : ref["cases"]) {
    if (!c.contains("rounded")) continue;
    const auto m = run(c);
    const auto& rounded = c["rounded"];
    for (const auto& [name, v] : rounded["values"].items()) {
      const double value = v.get<double>();
      const bool is_study = name == "rho" || name == "rho_low" || name == "rho_high";
      const double got = is_study ? study(m.studies[0], name) : summary(m, name);
      EXPECT_LE(std::fabs(got - value), rounded_tolerance(value, rounded))
          << c["name"].get<std::string>() << " " << name << " got " << got << " published " << value;
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);
}

TEST(MetaAnalysisReference, IntervalsAtOtherLevels) {
  const auto ref = load("meta_analysis_reference.json");
  const nlohmann::json* base = nullptr;
  for (const auto& c : ref["cases"]) if (c["name"] == ref["intervals_at"]["case"]) base = &c;
  ASSERT_NE(base, nullptr);
  const auto m = run(*base);
  for (const auto& lv : ref["intervals_at"]["levels"]) {
    const double level = lv["level"];
    const std::string id = "level " + std::to_string(level);
    const auto ct = engage::meta_confidence_interval(m, level, meta_interval_method::t);
    const auto cn = engage::meta_confidence_interval(m, level, meta_interval_method::norm);
    const auto rt = engage::meta_credibility_interval(m, level, meta_interval_method::t);
    const auto rn = engage::meta_credibility_interval(m, level, meta_interval_method::norm);
    expect_close(ct.low, lv["conf_t"][0], id), expect_close(ct.high, lv["conf_t"][1], id);
    expect_close(cn.low, lv["conf_norm"][0], id), expect_close(cn.high, lv["conf_norm"][1], id);
    expect_close(rt.low, lv["cred_t"][0], id), expect_close(rt.high, lv["cred_t"][1], id);
    expect_close(rn.low, lv["cred_norm"][0], id), expect_close(rn.high, lv["cred_norm"][1], id);
  }
  // the default levels reproduce the result's own intervals; corrected = true uses rho
  const auto same = engage::meta_confidence_interval(m, 0.95, meta_interval_method::t);
  EXPECT_DOUBLE_EQ(same.low, m.confidence_interval.low);
  const auto rho = engage::meta_credibility_interval(m, 0.80, meta_interval_method::t, true);
  EXPECT_DOUBLE_EQ(rho.high, m.credibility_interval_rho.high);
}

TEST(MetaAnalysis, PresetsAreThePublishedConventions) {
  const auto ref = load("meta_analysis_reference.json");
  for (const auto& [name, p] : ref["provenance"]["presets"].items()) {
    const auto o = engage::meta_analysis_preset(engage::parse_meta_preset(name));
    EXPECT_EQ(o.correct_bias, p["correct_bias"].get<bool>()) << name;
    EXPECT_EQ(o.var_unbiased, p["var_unbiased"].get<bool>()) << name;
    EXPECT_EQ(o.error_type, engage::parse_meta_error_type(p["error_type"].get<std::string>())) << name;
    EXPECT_EQ(o.conf_method, engage::parse_meta_interval_method(p["conf_method"].get<std::string>())) << name;
    EXPECT_EQ(o.cred_method, engage::parse_meta_interval_method(p["cred_method"].get<std::string>())) << name;
  }
  const meta_analysis_options defaults;
  const auto pm = engage::meta_analysis_preset(engage::meta_preset::psychmeta);
  EXPECT_EQ(defaults.correct_bias, pm.correct_bias);
  EXPECT_EQ(defaults.conf_method, pm.conf_method);
}

TEST(MetaAnalysis, NoArtifactsMeansRhoEqualsBareBones) {
  const auto m = engage::meta_analysis(vec({0.1, 0.3, 0.2}), vec({50, 80, 120}));
  EXPECT_FALSE(m.corrected);
  EXPECT_DOUBLE_EQ(m.mean_rho, m.mean_r);
  EXPECT_NEAR(m.var_rho, m.var_res, 1e-15);
  EXPECT_EQ(m.rho_out_of_range, 0u);
  for (const auto& s : m.studies) EXPECT_DOUBLE_EQ(s.attenuation, 1.0);
}

TEST(MetaAnalysis, EqualCorrelationsGiveInfinitePercentAndTruncation) {
  const auto classic = engage::meta_analysis_preset(engage::meta_preset::classic);
  const auto m = engage::meta_analysis(vec({0.3, 0.3, 0.3}), vec({40, 60, 80}), {}, classic);
  EXPECT_EQ(m.mean_r, 0.3);
  EXPECT_EQ(m.var_r, 0.0);
  EXPECT_TRUE(std::isinf(m.pct_var_sampling_error));
  EXPECT_TRUE(m.var_res_truncated);
  EXPECT_EQ(m.var_res, 0.0);
  EXPECT_EQ(m.credibility_interval.low, m.credibility_interval.high);
  // all r = 1: no sampling error either -> 0/0 is reported as NaN, not a number
  const auto one = engage::meta_analysis(vec({1, 1}), vec({10, 20}), {}, classic);
  EXPECT_TRUE(std::isnan(one.pct_var_sampling_error));
}

TEST(MetaAnalysis, SmallStudiesHaveNoFisherInterval) {
  const auto m = engage::meta_analysis(vec({0.5, 0.2}), vec({3, 2.5}));
  EXPECT_TRUE(std::isnan(m.studies[0].ci.low));
  EXPECT_TRUE(std::isnan(m.studies[1].ci_rho.high));
  EXPECT_TRUE(std::isfinite(m.mean_r));
}

TEST(MetaAnalysis, CorrectedCorrelationsAboveOneAreKeptAndCounted) {
  meta_artifacts a;
  a.rxx = vec({0.5}), a.ryy = vec({0.5});
  const auto m = engage::meta_analysis(vec({0.7, 0.2}), vec({50, 50}), a);
  EXPECT_EQ(m.rho_out_of_range, 1u);
  EXPECT_GT(m.studies[0].rho, 1.0);
}

TEST(MetaAnalysis, ScalarAndPerStudyArtifactsAgree) {
  meta_artifacts scalar, per;
  scalar.rxx = vec({0.8}), scalar.ryy = vec({0.7}), scalar.ux = vec({0.75});
  per.rxx = vec({0.8, 0.8, 0.8}), per.ryy = vec({0.7, 0.7, 0.7}), per.ux = vec({0.75, 0.75, 0.75});
  const auto a = engage::meta_analysis(vec({0.1, 0.3, 0.2}), vec({50, 80, 120}), scalar);
  const auto b = engage::meta_analysis(vec({0.1, 0.3, 0.2}), vec({50, 80, 120}), per);
  EXPECT_DOUBLE_EQ(a.mean_rho, b.mean_rho);
  EXPECT_DOUBLE_EQ(a.var_e_c, b.var_e_c);
}

TEST(MetaAnalysis, SignFlipMirrorsTheResult) {
  meta_artifacts a;
  a.rxx = vec({0.8}), a.ux = vec({0.7});
  const auto p = engage::meta_analysis(vec({0.1, 0.3, 0.2}), vec({50, 80, 120}), a);
  const auto q = engage::meta_analysis(vec({-0.1, -0.3, -0.2}), vec({50, 80, 120}), a);
  EXPECT_NEAR(p.mean_rho, -q.mean_rho, 1e-15);
  EXPECT_NEAR(p.var_rho, q.var_rho, 1e-15);
  EXPECT_NEAR(p.credibility_interval_rho.low, -q.credibility_interval_rho.high, 1e-15);
}

// ---- bad input -----------------------------------------------------------------------------------------------

template <class E>
void expect_error(const std::function<void()>& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning: " << fragment;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(MetaAnalysisBadInput, TooFewStudies) {
  expect_error<engage::insufficient_data>([] { (void)engage::meta_analysis(vec({0.3}), vec({50})); }, "at least 2 studies");
  expect_error<engage::insufficient_data>([] { (void)engage::meta_analysis(Eigen::VectorXd(), Eigen::VectorXd()); },
                                          "got k = 0");
}

TEST(MetaAnalysisBadInput, ValuesNameTheirIndex) {
  const auto r = vec({0.1, 0.2, 0.3});
  const auto n = vec({50, 60, 70});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(vec({0.1, NAN, 0.3}), n); }, "r[1] = nan: missing");
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(vec({0.1, 0.2, 1.5}), n); }, "r[2] = 1.5");
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(vec({0.1, 0.2, -INFINITY}), n); }, "r[2] = -inf");
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, vec({50, 1, 70})); }, "n[1] = 1: sample sizes");
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, vec({50, 60, NAN})); }, "n[2] = nan: missing");
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, vec({INFINITY, 60, 70})); }, "n[0] = inf");
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, vec({50, 60})); }, "r has 3 elements but n has 2");
  meta_artifacts a;
  a.rxx = vec({0.8, 0.7});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, a); }, "rxx has 2 elements but r has 3");
  a.rxx = vec({0.8, 0.0, 0.9});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, a); }, "rxx[1] = 0: reliabilities");
  a.rxx = vec({0.8, 1.1, 0.9});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, a); }, "rxx[1] = 1.1");
  a.rxx = {};
  a.ryy = vec({NAN});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, a); }, "ryy[0] = nan: missing");
  a.ryy = {};
  a.ux = vec({0.5, -0.2, 0.7});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, a); }, "ux[1] = -0.2000");
  a.ux = vec({0.5, INFINITY, 0.7});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, a); }, "ux[1] = inf");
}

TEST(MetaAnalysisBadInput, ImpossibleCorrections) {
  const auto n = vec({50, 60, 70});
  meta_artifacts a;
  a.rxx = vec({0.3}), a.ux = vec({1.0, 1.5, 1.0});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(vec({0.1, 0.2, 0.3}), n, a); },
                                      "rxx[0] = 0.29999999999999999: with ux = 1.5 (study 1)");
  meta_artifacts b;
  b.ryy = vec({0.5}), b.ux = vec({2.0});
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(vec({0.1, 0.9, 0.3}), n, b); },
                                      "r[1] = 0.90000000000000002: corrected for ryy");
}

TEST(MetaAnalysisBadInput, OptionsAndLevels) {
  const auto r = vec({0.1, 0.2, 0.3});
  const auto n = vec({50, 60, 70});
  meta_analysis_options o;
  o.confidence_level = 95;
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, {}, o); }, "confidence_level = 95");
  o = {};
  o.credibility_level = 0;
  expect_error<engage::invalid_input>([&] { (void)engage::meta_analysis(r, n, {}, o); }, "credibility_level = 0");
  const auto m = engage::meta_analysis(r, n);
  expect_error<engage::invalid_input>([&] { (void)engage::meta_credibility_interval(m, 1.0, meta_interval_method::t); },
                                      "credibility_level = 1");
  expect_error<engage::invalid_input>([] { (void)engage::parse_meta_error_type("sample"); }, "'mean' or 'mean_n'");
  expect_error<engage::invalid_input>([] { (void)engage::parse_meta_interval_method("z", "conf_method"); },
                                      "conf_method = 'z'");
  expect_error<engage::invalid_input>([] { (void)engage::parse_meta_preset("metafor"); }, "preset = 'metafor'");
}

}  // namespace
