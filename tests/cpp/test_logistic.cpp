// Logistic churn model and model quality: reference values (tests/data/logistic_reference.json, made by
// tests/data/logistic_reference.R from R glm, pROC and survival; tests/data/logistic_time_dependent_auc_reference.json
// from scikit-survival), separation, collinearity and bad input.
#include <gtest/gtest.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <engage/logistic.hpp>
#include <engage/model_quality.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.hpp"

namespace {

using engage_test::expect_close;
using engage_test::load;
using engage_test::vec;

using nlohmann::json;

const json& reference() {
  static const json ref = load("logistic_reference.json");
  return ref;
}

/// A numeric CSV with a header line (the data files written by the reference script).
std::map<std::string, std::vector<double>> read_csv(const char* name) {
  std::ifstream in(std::string(ENGAGE_TEST_DATA) + "/" + name);
  if (!in) throw std::runtime_error(std::string("cannot open data file ") + name);
  std::string line, cell;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  while (std::getline(hs, cell, ',')) header.push_back(cell.substr(1, cell.size() - 2));  // strip quotes
  std::map<std::string, std::vector<double>> out;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    for (std::size_t j = 0; std::getline(ls, cell, ','); ++j) out[header[j]].push_back(cell == "NA" ? NAN : std::stod(cell));
  }
  return out;
}

Eigen::VectorXd vec(const std::vector<double>& a) {
  return Eigen::Map<const Eigen::VectorXd>(a.data(), static_cast<Eigen::Index>(a.size()));
}

/// Relative tolerance without the absolute floor (p-values can be 1e-20).
void expect_rel(double got, double expected, const std::string& what, double rel) {
  EXPECT_NEAR(got, expected, rel * std::fabs(expected)) << what;
}

struct problem {
  engage::row_matrix X;
  Eigen::VectorXd y;
};

/// The data of a logistic reference case, with NaN where the reference script set NA.
problem case_data(const json& c) {
  static const auto sim = read_csv("logistic_attrition_sim.csv");
  static const auto ibm = read_csv("logistic_ibm_attrition.csv");
  const std::string name = c["name"];
  std::map<std::string, std::vector<double>> d;
  std::string ycol = "left";
  if (name.rfind("mtcars", 0) == 0) {
    for (const auto& [k, v] : reference()["data"]["mtcars"].items()) d[k] = v.get<std::vector<double>>();
    ycol = "am";
  } else if (name.rfind("ibm", 0) == 0) {
    d = ibm;
  } else {
    d = sim;
  }
  if (name == "simulated_attrition_missing") {
    for (const auto& [k, rows] : reference()["data"]["simulated_missing"].items())
      for (const auto& r : rows) d[k][r.get<std::size_t>()] = NAN;
  }
  const auto cols = c["columns"].get<std::vector<std::string>>();
  problem p;
  p.y = vec(d[ycol]);
  p.X.resize(p.y.size(), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) p.X.col(static_cast<Eigen::Index>(j)) = vec(d.at(cols[j]));
  return p;
}

engage::logistic_options options_for(const json& c) {
  engage::logistic_options o;
  o.fit_intercept = c.value("fit_intercept", true);
  o.column_names = c["columns"].get<std::vector<std::string>>();
  return o;
}

TEST(LogisticRegression, MatchesRGlm) {
  ASSERT_GE(reference()["logistic"].size(), 6u);
  for (const auto& c : reference()["logistic"]) {
    const std::string id = c["name"];
    const auto p = case_data(c);
    const auto fit = engage::logistic_regression(p.X, p.y, options_for(c));
    EXPECT_TRUE(fit.converged) << id;
    EXPECT_FALSE(fit.penalized) << id;
    EXPECT_EQ(fit.n, c["n"].get<std::size_t>()) << id;
    EXPECT_EQ(fit.missing, c["missing"].get<std::size_t>()) << id;
    EXPECT_EQ(fit.events, c["events"].get<std::size_t>()) << id;
    EXPECT_EQ(fit.df_residual, c["df_residual"].get<std::size_t>()) << id;
    EXPECT_LE(fit.n_iter, 10u) << id;
    const auto q = fit.params.size();
    ASSERT_EQ(q, static_cast<Eigen::Index>(c["params"].size())) << id;
    const auto ci95 = engage::confidence_intervals(fit, 0.95), ci90 = engage::confidence_intervals(fit, 0.90);
    for (Eigen::Index j = 0; j < q; ++j) {
      const auto k = static_cast<std::size_t>(j);
      const std::string at = id + " parameter " + fit.names[k];
      expect_rel(fit.params[j], c["params"][k], at, 1e-8);
      expect_rel(fit.standard_errors[j], c["standard_errors"][k], at + " se", 1e-8);
      expect_rel(fit.z[j], c["z"][k], at + " z", 1e-8);
      expect_rel(fit.pvalues[j], c["pvalues"][k], at + " p", 1e-7);
      expect_rel(ci95[k].low, c["low95"][k], at + " low95", 1e-8);
      expect_rel(ci95[k].high, c["high95"][k], at + " high95", 1e-8);
      expect_rel(ci90[k].low, c["low90"][k], at + " low90", 1e-8);
      expect_rel(ci90[k].high, c["high90"][k], at + " high90", 1e-8);
      for (Eigen::Index l = 0; l < q; ++l) {
        const double ref = c["covariance"][k][static_cast<std::size_t>(l)];
        EXPECT_NEAR(fit.covariance(j, l), ref, 1e-8 * std::sqrt(fit.covariance(j, j) * fit.covariance(l, l))) << at;
      }
    }
    expect_close(fit.deviance, c["deviance"], id + " deviance", 1e-10);
    expect_close(fit.null_deviance, c["null_deviance"], id + " null deviance", 1e-10);
    expect_close(fit.aic, c["aic"], id + " aic", 1e-10);
    expect_close(fit.log_likelihood, c["log_likelihood"], id + " loglik", 1e-10);
    // Predictions for rows of the data.
    const auto rows = c["predict_rows"].get<std::vector<Eigen::Index>>();
    engage::row_matrix nd(static_cast<Eigen::Index>(rows.size()), p.X.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) nd.row(static_cast<Eigen::Index>(i)) = p.X.row(rows[i]);
    const Eigen::VectorXd pred = engage::logistic_predict(fit, nd);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const double got = pred[static_cast<Eigen::Index>(i)];
      if (c["predicted"][i].is_null()) EXPECT_TRUE(std::isnan(got)) << id << " predicted (row with NaN)";
      else expect_close(got, c["predicted"][i], id + " predicted");
    }
  }
}

TEST(LogisticRegression, NamesInterceptFirst) {
  const auto& c = reference()["logistic"][2];  // mtcars am ~ hp + wt
  const auto p = case_data(c);
  const auto fit = engage::logistic_regression(p.X, p.y, options_for(c));
  EXPECT_EQ(fit.names, (std::vector<std::string>{"intercept", "hp", "wt"}));
  engage::logistic_options o;
  o.fit_intercept = false;
  const auto unnamed = engage::logistic_regression(p.X, p.y, o);
  EXPECT_EQ(unnamed.names, (std::vector<std::string>{"x0", "x1"}));
}

TEST(LogisticRegression, RidgeMatchesDirectOptimum) {
  for (const auto& c : reference()["ridge"]) {
    const std::string id = c["name"];
    const auto p = case_data(c);
    auto o = options_for(c);
    o.penalizer = c["penalizer"];
    const auto fit = engage::logistic_regression(p.X, p.y, o);
    EXPECT_TRUE(fit.penalized && fit.converged) << id;
    for (std::size_t k = 0; k < c["params"].size(); ++k) {
      expect_rel(fit.params[static_cast<Eigen::Index>(k)], c["params"][k], id + " param", 1e-8);
      expect_rel(fit.standard_errors[static_cast<Eigen::Index>(k)], c["standard_errors"][k], id + " se", 1e-8);
    }
    expect_close(fit.deviance, c["deviance"], id + " deviance", 1e-10);
    expect_close(fit.effective_df, c["effective_df"], id + " edf", 1e-8);
    expect_close(fit.aic, c["aic"], id + " aic", 1e-10);
  }
}

TEST(LogisticRegression, ScaleAndRowOrderInvariant) {
  const auto& c = reference()["logistic"][0];
  const auto p = case_data(c);
  const auto base = engage::logistic_regression(p.X, p.y);
  engage::row_matrix X = p.X;
  X.col(2) *= 1000.0;  // salary in currency units instead of thousands
  X.col(0).array() += 1e4;
  const auto scaled = engage::logistic_regression(X, p.y);
  expect_rel(scaled.params[3] * 1000.0, base.params[3], "rescaled slope", 1e-10);
  expect_rel(scaled.standard_errors[3] * 1000.0, base.standard_errors[3], "rescaled se", 1e-10);
  expect_rel(scaled.params[1], base.params[1], "shifted slope", 1e-10);
  expect_close(scaled.deviance, base.deviance, "deviance", 1e-12);
  // A column-major copy (Eigen::Ref makes a temporary) gives the same fit.
  const Eigen::MatrixXd col_major = p.X;
  const auto cm = engage::logistic_regression(col_major, p.y);
  for (Eigen::Index j = 0; j < base.params.size(); ++j) EXPECT_DOUBLE_EQ(cm.params[j], base.params[j]);
  // Columns in units of 1e-200 or 1e200 (squares that underflow or overflow a double) fit like any other.
  for (const double unit : {1e-200, 1e200}) {
    engage::row_matrix Xu = p.X;
    Xu.col(2) *= unit;
    const auto u = engage::logistic_regression(Xu, p.y);
    expect_rel(u.params[3] * unit, base.params[3], "slope in units " + std::to_string(unit), 1e-10);
    expect_rel(u.standard_errors[3] * unit, base.standard_errors[3], "se in units", 1e-10);
    expect_rel(u.params[0], base.params[0], "intercept in units", 1e-10);
    expect_close(u.deviance, base.deviance, "deviance in units", 1e-12);
  }
}

TEST(LogisticRegression, NumericallyConstantColumnIsNamed) {
  // Variation only in the 15th digit: not literally constant, but indistinguishable from the intercept.
  engage::row_matrix X(8, 2);
  Eigen::VectorXd y(8);
  X << 1, 1.0, 2, 1.0 + 2e-15, 3, 1.0, 4, 1.0 - 2e-15, 5, 1.0, 6, 1.0, 7, 1.0 + 4e-15, 8, 1.0;
  y << 0, 0, 1, 0, 1, 0, 1, 1;
  engage::logistic_options o;
  o.column_names = {"engagement", "grade"};
  try {
    (void)engage::logistic_regression(X, y, o);
    ADD_FAILURE() << "no error";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("'grade' is numerically constant"), std::string::npos) << e.what();
  }
}

TEST(LogisticRegression, LargeDataMatchesAcrossBlocksAndThreads) {
  // 70 000 rows span three partial-sum blocks and two threads; dropping rows with NaN equals fitting the rest.
  const Eigen::Index n = 70000, p = 4;
  engage::row_matrix X(n, p);
  Eigen::VectorXd y(n);
  boost::random::mt19937 rng(7);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> unif;
  for (Eigen::Index i = 0; i < n; ++i) {
    double eta = -1.0;
    for (Eigen::Index j = 0; j < p; ++j) {
      X(i, j) = normal(rng) * (j + 1.0);
      eta += 0.3 * X(i, j) / (j + 1.0);
    }
    y[i] = unif(rng) < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  engage::row_matrix Xm = X;
  Xm(5, 1) = NAN, Xm(44444, 3) = NAN;
  Eigen::VectorXd ym = y;
  ym[69999] = NAN;
  const auto with_nan = engage::logistic_regression(Xm, ym);
  EXPECT_EQ(with_nan.missing, 3u);
  engage::row_matrix Xs(n - 3, p);
  Eigen::VectorXd ys(n - 3);
  for (Eigen::Index i = 0, k = 0; i < n; ++i) {
    if (i == 5 || i == 44444 || i == 69999) continue;
    Xs.row(k) = X.row(i), ys[k++] = y[i];
  }
  const auto subset = engage::logistic_regression(Xs, ys);
  for (Eigen::Index j = 0; j <= p; ++j) {
    expect_rel(with_nan.params[j], subset.params[j], "param", 1e-12);
    expect_rel(with_nan.standard_errors[j], subset.standard_errors[j], "se", 1e-12);
  }
  for (Eigen::Index j = 1; j <= p; ++j) EXPECT_NEAR(subset.params[j], 0.3 / j, 0.05);
}

TEST(LogisticRegression, SeparationRaisesNamingTheColumns) {
  for (const auto& c : reference()["separation"]) {
    const std::string id = c["name"];
    const auto& rows = c["x"];
    engage::row_matrix X(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (std::size_t j = 0; j < rows[i].size(); ++j) X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
    const Eigen::VectorXd y = vec(c["y"]);
    engage::logistic_options o;
    if (X.cols() == 2) o.column_names = {"dept", "score"};
    try {
      (void)engage::logistic_regression(X, y, o);
      ADD_FAILURE() << id << ": no separation_error";
    } catch (const engage::separation_error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(c["kind"].get<std::string>() + " separation"), std::string::npos) << id << ": " << msg;
      EXPECT_NE(msg.find(X.cols() == 2 ? "'dept'" : "'x0'"), std::string::npos) << msg;
      EXPECT_EQ(msg.find("'score'"), std::string::npos) << msg;
    }
    o.separation = engage::separation_policy::flag;
    const auto fit = engage::logistic_regression(X, y, o);
    EXPECT_TRUE(fit.separation) << id;
    EXPECT_EQ(fit.separating_columns, (std::vector<std::string>{X.cols() == 2 ? "dept" : "x0"})) << id;
    EXPECT_GT(fit.perfectly_predicted, 0u) << id;
    // A ridge penalty gives a finite, converged fit on the same data.
    o.penalizer = 1.0;
    const auto ridge = engage::logistic_regression(X, y, o);
    EXPECT_TRUE(ridge.converged && !ridge.separation) << id;
  }
}

TEST(LogisticRegression, NoFalseSeparationWithExtremeButFiniteFits) {
  // Strong but overlapping effect: a few fitted probabilities are within 1e-6 of 0/1, yet the MLE exists.
  const Eigen::Index n = 4000;
  engage::row_matrix X(n, 1);
  Eigen::VectorXd y(n);
  boost::random::mt19937 rng(11);
  boost::random::normal_distribution<double> normal;
  boost::random::uniform_01<double> unif;
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = normal(rng) * 2.5;
    y[i] = unif(rng) < 1.0 / (1.0 + std::exp(-3.0 * X(i, 0))) ? 1.0 : 0.0;
  }
  const auto fit = engage::logistic_regression(X, y);
  EXPECT_TRUE(fit.converged);
  EXPECT_FALSE(fit.separation);
  EXPECT_NEAR(fit.params[1], 3.0, 0.5);
}

TEST(LogisticRegression, CollinearAndConstantColumnsAreNamed) {
  engage::row_matrix X(8, 3);
  X << 1, 2, 3, 2, 1, 3, 3, 5, 8, 4, 1, 5, 5, 2, 7, 6, 9, 15, 7, 3, 10, 8, 1, 9;  // x2 = x0 + x1
  Eigen::VectorXd y(8);
  y << 0, 1, 0, 1, 1, 0, 1, 0;
  engage::logistic_options o;
  o.column_names = {"tenure", "grade", "total"};
  try {
    (void)engage::logistic_regression(X, y, o);
    ADD_FAILURE() << "no error";
  } catch (const engage::invalid_input& e) {
    const std::string msg = e.what();
    for (const char* name : {"'tenure'", "'grade'", "'total'"}) EXPECT_NE(msg.find(name), std::string::npos) << msg;
  }
  X.col(2).setConstant(4.0);
  try {
    (void)engage::logistic_regression(X, y, o);
    ADD_FAILURE() << "no error";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("'total' is constant"), std::string::npos) << e.what();
  }
  // Without an intercept a constant column is the intercept; an all-zero column is not.
  o.fit_intercept = false;
  EXPECT_NO_THROW((void)engage::logistic_regression(X, y, o));
  X.col(2).setZero();
  EXPECT_THROW((void)engage::logistic_regression(X, y, o), engage::invalid_input);
}

TEST(LogisticRegression, BadInput) {
  engage::row_matrix X(6, 1);
  X << 1, 2, 3, 4, 5, 6;
  Eigen::VectorXd y(6);
  y << 0, 0, 1, 0, 1, 1;
  EXPECT_NO_THROW((void)engage::logistic_regression(X, y));
  Eigen::VectorXd bad = y;
  bad[2] = 2.0;
  try {
    (void)engage::logistic_regression(X, bad);
    ADD_FAILURE();
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("y[2] = 2"), std::string::npos) << e.what();
  }
  engage::row_matrix Xi = X;
  Xi(3, 0) = INFINITY;
  EXPECT_THROW((void)engage::logistic_regression(Xi, y), engage::invalid_input);
  EXPECT_THROW((void)engage::logistic_regression(X, y.head(5)), engage::invalid_input);
  EXPECT_THROW((void)engage::logistic_regression(X, Eigen::VectorXd::Constant(6, NAN)), engage::insufficient_data);
  EXPECT_THROW((void)engage::logistic_regression(X, Eigen::VectorXd::Ones(6)), engage::insufficient_data);
  EXPECT_THROW((void)engage::logistic_regression(engage::row_matrix(0, 1), Eigen::VectorXd(0)), engage::insufficient_data);
  EXPECT_THROW((void)engage::logistic_regression(X.topRows(2), y.topRows(2)), engage::insufficient_data);
  engage::logistic_options o;
  o.penalizer = -1.0;
  EXPECT_THROW((void)engage::logistic_regression(X, y, o), engage::invalid_input);
  o = {};
  o.tol = 0.0;
  EXPECT_THROW((void)engage::logistic_regression(X, y, o), engage::invalid_input);
  o = {};
  o.max_iter = 0;
  EXPECT_THROW((void)engage::logistic_regression(X, y, o), engage::invalid_input);
  o = {};
  o.column_names = {"a", "b"};
  EXPECT_THROW((void)engage::logistic_regression(X, y, o), engage::invalid_input);
  o = {};
  o.fit_intercept = false;
  EXPECT_THROW((void)engage::logistic_regression(engage::row_matrix(6, 0), y, o), engage::invalid_input);
  o = {};
  o.max_iter = 1;
  EXPECT_THROW((void)engage::logistic_regression(X, y, o), engage::convergence_error);
  EXPECT_THROW((void)engage::parse_separation_policy("warn"), engage::invalid_input);
  const auto fit = engage::logistic_regression(X, y);
  EXPECT_THROW((void)engage::logistic_predict(fit, engage::row_matrix(2, 3)), engage::invalid_input);
  EXPECT_THROW((void)engage::confidence_intervals(fit, 95.0), engage::invalid_input);
  engage::row_matrix nd(2, 1);
  nd << NAN, 3.5;
  const auto pr = engage::logistic_predict(fit, nd);
  EXPECT_TRUE(std::isnan(pr[0]));
  EXPECT_GT(pr[1], 0.0);
}

// ---------------------------------------------------------------------------------------------------------------
// Model quality

TEST(RocAuc, MatchesPROC) {
  for (const auto& c : reference()["auc"]) {
    const std::string id = c["name"];
    const auto r = engage::roc_auc(vec(c["y"]), vec(c["score"]));
    EXPECT_EQ(r.n_positive, c["n_positive"].get<std::size_t>()) << id;
    EXPECT_EQ(r.n_negative, c["n_negative"].get<std::size_t>()) << id;
    expect_close(r.statistic, c["statistic"], id + " auc", 1e-12);
    expect_close(r.standard_error, c["standard_error"], id + " se", 1e-10);
    const auto ci95 = engage::confidence_interval(r, 0.95), ci90 = engage::confidence_interval(r, 0.90);
    expect_close(ci95.low, c["low95"], id + " low95", 1e-10);
    expect_close(ci95.high, c["high95"], id + " high95", 1e-10);
    expect_close(ci90.low, c["low90"], id + " low90", 1e-10);
    expect_close(ci90.high, c["high90"], id + " high90", 1e-10);
    const auto lg = engage::confidence_interval(r, 0.95, engage::auc_ci_method::delong_logit);
    EXPECT_TRUE(lg.low > 0.0 && lg.high <= 1.0 && lg.low < r.statistic && r.statistic <= lg.high) << id;
  }
}

TEST(RocAuc, PairedDeLongMatchesRocTest) {
  const auto& ref = reference();
  const auto& c = ref["auc_compare"];
  const auto cmp = engage::roc_auc_compare(vec(ref["auc"][0]["y"]), vec(ref["auc"][0]["score"]), vec(ref["auc"][1]["score"]));
  expect_close(cmp.statistic_a, c["statistic_a"], "a", 1e-12);
  expect_close(cmp.statistic_b, c["statistic_b"], "b", 1e-12);
  expect_close(cmp.difference, c["difference"], "difference", 1e-12);
  expect_close(cmp.standard_error, c["standard_error"], "se", 1e-10);
  expect_close(cmp.z, c["z"], "z", 1e-9);
  expect_rel(cmp.pvalue, c["pvalue"], "p", 1e-7);
  expect_close(cmp.correlation, c["correlation"], "correlation", 1e-9);
  const auto same = engage::roc_auc_compare(vec(ref["auc"][0]["y"]), vec(ref["auc"][0]["score"]), vec(ref["auc"][0]["score"]));
  EXPECT_EQ(same.difference, 0.0);
  EXPECT_TRUE(std::isnan(same.pvalue));
}

TEST(RocAuc, EdgeCasesAndBadInput) {
  Eigen::VectorXd y(4), s(4);
  y << 0, 0, 1, 1;
  s << 0.1, 0.2, 0.8, 0.9;
  const auto perfect = engage::roc_auc(y, s);
  EXPECT_EQ(perfect.statistic, 1.0);
  EXPECT_EQ(perfect.standard_error, 0.0);
  const auto ci = engage::confidence_interval(perfect, 0.95, engage::auc_ci_method::delong_logit);
  EXPECT_EQ(ci.low, 1.0);
  EXPECT_EQ(engage::roc_auc(y, -s).statistic, 0.0);  // not flipped
  Eigen::VectorXd y1(3), s1(3);
  y1 << 0, 0, 1;
  s1 << 0.1, 0.5, 0.3;
  EXPECT_TRUE(std::isnan(engage::roc_auc(y1, s1).standard_error));  // one positive: no DeLong SE
  Eigen::VectorXd yn = y;
  yn[0] = NAN;
  EXPECT_EQ(engage::roc_auc(yn, s).missing, 1u);
  EXPECT_THROW((void)engage::roc_auc(Eigen::VectorXd::Zero(4), s), engage::insufficient_data);
  EXPECT_THROW((void)engage::roc_auc(Eigen::VectorXd::Constant(4, NAN), s), engage::insufficient_data);
  EXPECT_THROW((void)engage::roc_auc(Eigen::VectorXd(0), Eigen::VectorXd(0)), engage::insufficient_data);
  EXPECT_THROW((void)engage::roc_auc(y, s.head(3)), engage::invalid_input);
  Eigen::VectorXd y2 = y;
  y2[1] = 2.0;
  EXPECT_THROW((void)engage::roc_auc(y2, s), engage::invalid_input);
  Eigen::VectorXd si = s;
  si[1] = INFINITY;
  EXPECT_THROW((void)engage::roc_auc(y, si), engage::invalid_input);
  EXPECT_THROW((void)engage::confidence_interval(perfect, 1.5), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_auc_ci_method("wald"), engage::invalid_input);
  EXPECT_THROW((void)engage::roc_auc_compare(y1, s1, s1), engage::insufficient_data);
}

TEST(Concordance, MatchesSurvival) {
  const auto& ref = reference();
  const auto& lung = ref["data"]["lung"];
  for (const auto& c : ref["concordance"]) {
    const std::string id = c["name"];
    const bool small = c.contains("time");
    const Eigen::VectorXd t = vec(small ? c["time"] : lung["time"]);
    const Eigen::VectorXd e = vec(small ? c["event"] : lung["event"]);
    const Eigen::VectorXd s = vec(small ? c["values"] : lung[c["score"].get<std::string>()]);
    const engage::vector_view ev(e);
    const auto r = engage::concordance_index(t, s, &ev);
    EXPECT_EQ(r.n, c["n"].get<std::size_t>()) << id;
    EXPECT_EQ(r.concordant, c["concordant"].get<std::uint64_t>()) << id;
    EXPECT_EQ(r.discordant, c["discordant"].get<std::uint64_t>()) << id;
    EXPECT_EQ(r.tied_risk, c["tied_risk"].get<std::uint64_t>()) << id;
    EXPECT_EQ(r.tied_time, c["tied_time"].get<std::uint64_t>()) << id;
    EXPECT_EQ(r.tied_both, c["tied_both"].get<std::uint64_t>()) << id;
    expect_close(r.statistic, c["statistic"], id + " C", 1e-12);
    expect_close(r.standard_error, c["standard_error"], id + " se", 1e-10);
  }
}

TEST(Concordance, SignConventionAndBruteForce) {
  // Higher score = higher risk: reversing the score gives 1 - C; counts agree with an O(n^2) count.
  const Eigen::Index n = 300;
  Eigen::VectorXd t(n), e(n), s(n);
  boost::random::mt19937 rng(3);
  boost::random::uniform_01<double> unif;
  for (Eigen::Index i = 0; i < n; ++i) {
    t[i] = std::floor(unif(rng) * 40.0), e[i] = unif(rng) < 0.6 ? 1.0 : 0.0, s[i] = std::floor(unif(rng) * 10.0);
  }
  const engage::vector_view ev(e);
  const auto r = engage::concordance_index(t, s, &ev);
  std::uint64_t conc = 0, disc = 0, tied = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      if (!(e[i] == 1.0 && (t[i] < t[j] || (t[i] == t[j] && e[j] == 0.0)))) continue;
      if (s[i] > s[j]) ++conc;
      else if (s[i] < s[j]) ++disc;
      else ++tied;
    }
  EXPECT_EQ(r.concordant, conc);
  EXPECT_EQ(r.discordant, disc);
  EXPECT_EQ(r.tied_risk, tied);
  const Eigen::VectorXd neg = -s;
  const auto rev = engage::concordance_index(t, neg, &ev);
  EXPECT_NEAR(rev.statistic, 1.0 - r.statistic, 1e-15);
  EXPECT_NEAR(rev.standard_error, r.standard_error, 1e-15);
  // Without `event` every row is an event.
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(n);
  const engage::vector_view all(ones);
  EXPECT_EQ(engage::concordance_index(t, s).concordant, engage::concordance_index(t, s, &all).concordant);
}

TEST(Concordance, BadInput) {
  Eigen::VectorXd t(4), e(4), s(4);
  t << 1, 2, 3, 4;
  e << 1, 1, 0, 1;
  s << 0.9, 0.5, 0.7, 0.1;
  const engage::vector_view ev(e);
  const auto r = engage::concordance_index(t, s, &ev);
  EXPECT_EQ(r.concordant, 4u);
  EXPECT_EQ(r.discordant, 1u);
  EXPECT_DOUBLE_EQ(r.statistic, 0.8);
  EXPECT_THROW((void)engage::concordance_index(t, s.head(3), &ev), engage::invalid_input);
  Eigen::VectorXd tn = t;
  tn[0] = -1.0;
  EXPECT_THROW((void)engage::concordance_index(tn, s, &ev), engage::invalid_input);
  Eigen::VectorXd eb = e;
  eb[0] = 2.0;
  const engage::vector_view ebv(eb);
  EXPECT_THROW((void)engage::concordance_index(t, s, &ebv), engage::invalid_input);
  const Eigen::VectorXd none = Eigen::VectorXd::Zero(4);
  const engage::vector_view nv(none);
  EXPECT_THROW((void)engage::concordance_index(t, s, &nv), engage::insufficient_data);
  EXPECT_THROW((void)engage::concordance_index(Eigen::VectorXd(0), Eigen::VectorXd(0)), engage::insufficient_data);
  Eigen::VectorXd sn = s;
  sn[1] = NAN;
  EXPECT_EQ(engage::concordance_index(t, sn, &ev).missing, 1u);
}

// Time-dependent AUC: tests/data/logistic_time_dependent_auc_reference.json (scikit-survival cumulative_dynamic_auc
// and a direct O(n^2) IPCW sum, which agree to 1e-12; lung from logistic_reference.json).
TEST(TimeDependentAuc, MatchesScikitSurvival) {
  const json td = load("logistic_time_dependent_auc_reference.json");
  const auto& lung = reference()["data"]["lung"];
  ASSERT_GE(td["cases"].size(), 9u);
  for (const auto& c : td["cases"]) {
    const std::string id = c["name"].get<std::string>() + " at " + std::to_string(c["horizon"].get<double>());
    const bool own = c.contains("data");
    const Eigen::VectorXd t = vec(own ? c["data"]["time"] : lung["time"]);
    const Eigen::VectorXd e = vec(own ? c["data"]["event"] : lung["event"]);
    const Eigen::VectorXd s = vec(own ? c["data"]["score"] : (c["name"] == "lung_coxph_lp" ? lung["lp"] : lung["ph_ecog"]));
    const auto r = engage::time_dependent_auc(t, e, s, c["horizon"].get<double>());
    EXPECT_EQ(r.n, c["n"].get<std::size_t>()) << id;
    EXPECT_EQ(r.missing, c["missing"].get<std::size_t>()) << id;
    EXPECT_EQ(r.cases, c["cases"].get<std::size_t>()) << id;
    EXPECT_EQ(r.controls, c["controls"].get<std::size_t>()) << id;
    EXPECT_EQ(r.censored, c["censored"].get<std::size_t>()) << id;
    expect_rel(r.statistic, c["sksurv"].get<double>(), id + " AUC(t) vs sksurv", 1e-12);
    expect_rel(r.statistic, c["statistic"].get<double>(), id + " AUC(t) vs direct", 1e-12);
    expect_rel(r.weighted_cases, c["weighted_cases"].get<double>(), id + " weights", 1e-12);
  }
}

TEST(TimeDependentAuc, WithoutCensoringIsTheRocAuc) {
  // With every row an event, the weights are 1 and AUC(t) is the ROC AUC of the score for "time <= t".
  const Eigen::Index n = 500;
  Eigen::VectorXd t(n), s(n), y(n);
  boost::random::mt19937 rng(11);
  boost::random::uniform_01<double> unif;
  for (Eigen::Index i = 0; i < n; ++i) t[i] = std::floor(unif(rng) * 30.0), s[i] = std::floor(unif(rng) * 8.0 - t[i] / 6.0);
  const Eigen::VectorXd e = Eigen::VectorXd::Ones(n);
  for (Eigen::Index i = 0; i < n; ++i) y[i] = t[i] <= 12.0 ? 1.0 : 0.0;
  const auto r = engage::time_dependent_auc(t, e, s, 12.0);
  EXPECT_EQ(r.censored, 0u);
  EXPECT_NEAR(r.weighted_cases, static_cast<double>(r.cases), 1e-12);
  EXPECT_NEAR(r.statistic, engage::roc_auc(y, s).statistic, 1e-14);
  // Shuffling the rows changes nothing; reversing the score gives 1 - AUC.
  const Eigen::VectorXd neg = -s;
  EXPECT_NEAR(engage::time_dependent_auc(t, e, neg, 12.0).statistic, 1.0 - r.statistic, 1e-14);
  const Eigen::VectorXd tr = t.reverse(), er = e.reverse(), sr = s.reverse();
  EXPECT_NEAR(engage::time_dependent_auc(tr, er, sr, 12.0).statistic, r.statistic, 1e-14);
}

TEST(TimeDependentAuc, BadInput) {
  Eigen::VectorXd t(6), e(6), s(6);
  t << 1, 2, 3, 4, 5, 6;
  e << 1, 0, 1, 1, 0, 1;
  s << 6, 2, 3, 5, 1, 4;
  const auto r = engage::time_dependent_auc(t, e, s, 3.5);  // hand count: (3 + 1.25 * 1) / (2.25 * 3)
  EXPECT_NEAR(r.statistic, 4.25 / 6.75, 1e-15);
  EXPECT_EQ(r.cases, 2u);
  EXPECT_EQ(r.controls, 3u);
  EXPECT_EQ(r.censored, 1u);
  EXPECT_THROW((void)engage::time_dependent_auc(t, e.head(5), s, 3.5), engage::invalid_input);
  EXPECT_THROW((void)engage::time_dependent_auc(t, e, s.head(5), 3.5), engage::invalid_input);
  EXPECT_THROW((void)engage::time_dependent_auc(t, e, s, NAN), engage::invalid_input);
  EXPECT_THROW((void)engage::time_dependent_auc(t, e, s, INFINITY), engage::invalid_input);
  EXPECT_THROW((void)engage::time_dependent_auc(t, e, s, 0.5), engage::insufficient_data);  // no case yet
  EXPECT_THROW((void)engage::time_dependent_auc(t, e, s, 6.0), engage::insufficient_data);  // no control left
  Eigen::VectorXd bad = t;
  bad[2] = -1.0;
  EXPECT_THROW((void)engage::time_dependent_auc(bad, e, s, 3.5), engage::invalid_input);
  bad = e;
  bad[2] = 2.0;
  EXPECT_THROW((void)engage::time_dependent_auc(t, bad, s, 3.5), engage::invalid_input);
  bad = s;
  bad[2] = INFINITY;
  EXPECT_THROW((void)engage::time_dependent_auc(t, e, bad, 3.5), engage::invalid_input);
  bad = s;
  bad[3] = NAN;  // a control dropped
  const auto m = engage::time_dependent_auc(t, e, bad, 3.5);
  EXPECT_EQ(m.missing, 1u);
  EXPECT_EQ(m.controls, 2u);
  try {
    (void)engage::time_dependent_auc(t, e, s, 0.5);
  } catch (const engage::insufficient_data& ex) {
    EXPECT_NE(std::string(ex.what()).find("horizon = 0.5"), std::string::npos) << ex.what();
  }
}

// ---------------------------------------------------------------------------------------------------------------

TEST(BrierAndCalibration, MatchR) {
  const auto& ref = reference();
  const auto& c0 = ref["logistic"][0];
  const auto p = case_data(c0);
  const auto fit = engage::logistic_regression(p.X, p.y);
  const Eigen::VectorXd prob = engage::logistic_predict(fit, p.X);
  const auto b = engage::brier_score(p.y, prob);
  expect_close(b.statistic, ref["brier"]["statistic"], "brier", 1e-10);
  expect_close(b.reference, ref["brier"]["reference"], "brier reference", 1e-12);
  expect_close(b.skill, ref["brier"]["skill"], "brier skill", 1e-9);
  for (const auto& c : ref["calibration"]) {
    const std::string id = c["name"];
    const bool own = c.contains("p");
    const auto t = own ? engage::calibration_table(vec(c["y"]), vec(c["p"]), c["bins"], c["confidence_level"])
                       : engage::calibration_table(p.y, prob, c["bins"], c["confidence_level"]);
    ASSERT_EQ(t.bins.size(), c["n"].size()) << id;
    for (std::size_t k = 0; k < t.bins.size(); ++k) {
      const auto& row = t.bins[k];
      EXPECT_EQ(row.n, c["n"][k].get<std::size_t>()) << id << " bin " << k;
      EXPECT_EQ(row.events, c["events"][k].get<std::size_t>()) << id << " bin " << k;
      const double tol = own ? 1e-14 : 1e-8;  // fitted probabilities carry the fit's ~1e-10 agreement
      expect_close(row.low, c["low"][k], id + " low", tol);
      expect_close(row.high, c["high"][k], id + " high", tol);
      expect_close(row.mean_predicted, c["mean_predicted"][k], id + " mean predicted", tol);
      expect_close(row.observed_rate, c["observed_rate"][k], id + " observed", 1e-14);
      expect_close(row.observed_low, c["observed_low"][k], id + " wilson low", 1e-10);
      expect_close(row.observed_high, c["observed_high"][k], id + " wilson high", 1e-10);
    }
  }
}

TEST(BrierAndCalibration, BadInput) {
  Eigen::VectorXd y(4), p(4);
  y << 0, 1, 1, 0;
  p << 0.1, 0.8, 0.6, 0.3;
  EXPECT_DOUBLE_EQ(engage::brier_score(y, p).statistic, 0.075);
  Eigen::VectorXd pb = p;
  pb[2] = 1.2;
  EXPECT_THROW((void)engage::brier_score(y, pb), engage::invalid_input);
  EXPECT_THROW((void)engage::calibration_table(y, pb), engage::invalid_input);
  EXPECT_THROW((void)engage::brier_score(y, p.head(2)), engage::invalid_input);
  EXPECT_THROW((void)engage::brier_score(Eigen::VectorXd::Constant(4, NAN), p), engage::insufficient_data);
  EXPECT_THROW((void)engage::calibration_table(y, p, 0), engage::invalid_input);
  EXPECT_THROW((void)engage::calibration_table(y, p, 10, 0.0), engage::invalid_input);
  EXPECT_TRUE(std::isnan(engage::brier_score(Eigen::VectorXd::Ones(4), p).skill));
  // All predictions equal: one bin.
  const auto one = engage::calibration_table(y, Eigen::VectorXd::Constant(4, 0.3), 10);
  ASSERT_EQ(one.bins.size(), 1u);
  EXPECT_EQ(one.bins[0].n, 4u);
  // More bins than rows: empty bins are left out, every row is counted once.
  const auto many = engage::calibration_table(y, p, 50);
  std::size_t total = 0;
  for (const auto& b : many.bins) total += b.n;
  EXPECT_EQ(total, 4u);
}

}  // namespace
