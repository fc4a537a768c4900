// Correlation: reference values (tests/data/correlation_reference.json from correlation_reference.R, and
// correlation_reference_scipy.json from correlation_reference.py), Kendall's tau_b against a naive count, the
// paired bootstrap (determinism, Monte Carlo agreement with scipy, degenerate data), corrections and bad input.
#include <gtest/gtest.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <chrono>
#include <cmath>
#include <engage/correlation.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

using engage_test::expect_close;
using engage_test::expect_p;
using engage_test::load;
using engage_test::vec;

using engage::correlation_alternative;
using engage::correlation_ci_method;
using engage::correlation_method;

engage::row_matrix columns(const nlohmann::json& cols) {
  const auto n = static_cast<Eigen::Index>(cols[0].size());
  engage::row_matrix z(n, static_cast<Eigen::Index>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) z.col(static_cast<Eigen::Index>(j)) = vec(cols[j]);
  return z;
}

void expect_interval(const engage::interval& ci, const nlohmann::json& expected, const std::string& what) {
  expect_close(ci.low, expected[0].get<double>(), what + " low");
  expect_close(ci.high, expected[1].get<double>(), what + " high");
}

correlation_method method_of(const std::string& m) { return engage::parse_correlation_method(m); }

TEST(CorrelationReference, MatchesRCorTest) {
  const auto ref = load("correlation_reference.json");
  ASSERT_EQ(ref["cases"].size(), 4u);
  for (const auto& c : ref["cases"]) {
    const Eigen::VectorXd x = vec(c["x"]), y = vec(c["y"]);
    const std::string name = c["name"];
    for (const auto& t : c["tests"]) {
      const auto alt = engage::parse_correlation_alternative(t["alternative"].get<std::string>());
      const std::string id = name + " " + t["alternative"].get<std::string>();
      for (const std::string m : {"pearson", "spearman", "kendall"}) {
        const auto r = engage::correlation(x, y, method_of(m), alt);
        EXPECT_EQ(r.n, c["n"].get<std::size_t>()) << id;
        EXPECT_EQ(r.missing, c["missing"].get<std::size_t>()) << id;
        expect_close(r.statistic, t[m]["statistic"], id + " " + m + " statistic");
        expect_p(r.pvalue, t[m]["pvalue"], id + " " + m + " p");
        if (m == "kendall") {
          expect_close(r.test_statistic, t[m]["z"], id + " kendall z");
          EXPECT_TRUE(std::isnan(r.df));
        } else {
          expect_close(r.test_statistic, t[m]["t"], id + " " + m + " t");
          EXPECT_EQ(r.df, static_cast<double>(r.n - 2));
        }
      }
      const auto p = engage::correlation(x, y, correlation_method::pearson, alt);
      const auto s = engage::correlation(x, y, correlation_method::spearman, alt);
      const auto k = engage::correlation(x, y, correlation_method::kendall, alt);
      for (const auto& iv : t["intervals"]) {
        const double lv = iv["level"];
        const std::string at = id + " level " + iv["level"].dump();
        expect_interval(engage::confidence_interval(p, lv), iv["pearson_fisher"], at + " pearson fisher");
        expect_interval(engage::confidence_interval(p, lv, correlation_ci_method::fisher), iv["pearson_fisher"], at);
        expect_interval(engage::confidence_interval(s, lv), iv["spearman_bonett_wright"], at + " spearman BW");
        expect_interval(engage::confidence_interval(s, lv, correlation_ci_method::fieller), iv["spearman_fieller"],
                        at + " spearman fieller");
        expect_interval(engage::confidence_interval(k, lv), iv["kendall_fieller"], at + " kendall fieller");
      }
    }
  }
}

TEST(CorrelationReference, MethodsMdGoldenValues) {
  // METHODS.md section 5 [REF], rounded there to 8 significant digits.
  const auto ref = load("correlation_reference.json");
  const auto& att = ref["cases"][0];
  const Eigen::VectorXd x = vec(att["x"]), y = vec(att["y"]);
  const auto r = engage::correlation(x, y);
  EXPECT_NEAR(r.statistic, 0.82541757, 5e-9);
  EXPECT_NEAR(r.test_statistic, 7.7369777, 5e-8);
  EXPECT_NEAR(r.pvalue, 1.9876822e-08, 5e-16);
  const auto ci = engage::confidence_interval(r);
  EXPECT_NEAR(ci.low, 0.66201277, 5e-9);
  EXPECT_NEAR(ci.high, 0.91391389, 5e-9);
  const auto s = engage::correlation(x, y, correlation_method::spearman);
  EXPECT_NEAR(s.statistic, 0.83220056, 5e-9);
  const auto bw = engage::confidence_interval(s);
  EXPECT_NEAR(bw.low, 0.63965815, 5e-9);
  EXPECT_NEAR(bw.high, 0.92647469, 5e-9);
  EXPECT_NEAR(engage::correlation(x, y, correlation_method::kendall).statistic, 0.65497121, 5e-9);
  const auto& pc = ref["partial"][0];
  const auto pr = engage::partial_correlation(vec(pc["x"]), vec(pc["y"]), columns(pc["covariates"]));
  EXPECT_NEAR(pr.statistic, 0.7225924, 5e-8);
}

TEST(PartialCorrelation, MatchesRResidualsAndPingouin) {
  const auto ref = load("correlation_reference.json");
  for (const auto& c : ref["partial"]) {
    const Eigen::VectorXd x = vec(c["x"]), y = vec(c["y"]);
    const auto z = columns(c["covariates"]);
    const std::string name = c["name"];
    for (const auto& t : c["tests"]) {
      const auto alt = engage::parse_correlation_alternative(t["alternative"].get<std::string>());
      for (const std::string m : {"pearson", "spearman"}) {
        const std::string id = name + " " + m + " " + t["alternative"].get<std::string>();
        const auto r = engage::partial_correlation(x, y, z, method_of(m), alt);
        EXPECT_EQ(r.n, c["n"].get<std::size_t>()) << id;
        EXPECT_EQ(r.missing, c["missing"].get<std::size_t>()) << id;
        EXPECT_EQ(r.covariates, c["k"].get<std::size_t>()) << id;
        expect_close(r.statistic, t[m]["statistic"], id + " r");
        expect_close(r.test_statistic, t[m]["t"], id + " t");
        EXPECT_EQ(r.df, t[m]["df"].get<double>()) << id;
        expect_p(r.pvalue, t[m]["pvalue"], id + " p");
        for (const auto& iv : t[m]["intervals"]) {
          expect_interval(engage::confidence_interval(r, iv["level"].get<double>()), iv["fisher"], id + " fisher");
        }
      }
    }
  }
}

TEST(PartialCorrelation, NoCovariatesIsPearson) {
  const Eigen::VectorXd x = vec({1, 3, 2, 5, 4, 7}), y = vec({2, 2, 3, 6, 4, 5});
  const engage::row_matrix none(6, 0);
  const auto a = engage::partial_correlation(x, y, none), b = engage::correlation(x, y);
  EXPECT_NEAR(a.statistic, b.statistic, 1e-14);
  EXPECT_NEAR(a.pvalue, b.pvalue, 1e-14);
}

TEST(Kendall, MatchesScipyWithHeavyTies) {
  const auto ref = load("correlation_reference_scipy.json");
  for (const auto& c : ref["kendall_ties"]) {
    const Eigen::VectorXd x = vec(c["x"]), y = vec(c["y"]);
    for (const auto& t : c["tests"]) {
      const auto alt = engage::parse_correlation_alternative(t["alternative"].get<std::string>());
      for (const std::string m : {"pearson", "spearman", "kendall"}) {
        const auto r = engage::correlation(x, y, method_of(m), alt);
        const std::string id = m + " " + t["alternative"].get<std::string>() + " slope " + c["slope"].dump();
        expect_close(r.statistic, t[m]["statistic"], id);
        expect_p(r.pvalue, t[m]["pvalue"], id + " p");
      }
    }
  }
}

// O(n^2) definitions: S = sum_{i<j} sign(dx) sign(dy), tau_b = S / sqrt((n0 - n1)(n0 - n2)).
struct naive_kendall {
  double s = 0, tau = 0;
};
naive_kendall naive(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  const auto n = x.size();
  double s = 0, n1 = 0, n2 = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double a = x[i] - x[j], b = y[i] - y[j];
      s += static_cast<double>((a > 0) - (a < 0)) * static_cast<double>((b > 0) - (b < 0));
      n1 += a == 0, n2 += b == 0;
    }
  }
  const double n0 = static_cast<double>(n) * static_cast<double>(n - 1) / 2.0;
  return {s, s / std::sqrt((n0 - n1) * (n0 - n2))};
}

TEST(Kendall, MatchesNaiveCountWithTies) {
  boost::random::mt19937_64 gen(42);
  for (int rep = 0; rep < 200; ++rep) {
    const int n = 3 + rep % 60;
    boost::random::uniform_int_distribution<int> vx(0, 1 + rep % 7), vy(0, 2 + rep % 5);
    Eigen::VectorXd x(n), y(n);
    for (int i = 0; i < n; ++i) x[i] = vx(gen), y[i] = (rep % 3 == 0 ? x[i] : 0.0) + vy(gen);
    if (engage::detail::all_equal(x.data(), static_cast<std::size_t>(n)) ||
        engage::detail::all_equal(y.data(), static_cast<std::size_t>(n)))
      continue;
    const auto expected = naive(x, y);
    engage::detail::kendall_workspace w;
    const auto c = engage::detail::kendall_count(x.data(), y.data(), static_cast<std::size_t>(n), w);
    EXPECT_EQ(c.s(), expected.s) << "rep " << rep;
    EXPECT_NEAR(engage::correlation(x, y, correlation_method::kendall).statistic, expected.tau, 1e-14) << rep;
  }
}

TEST(Kendall, MillionPairsNestedTiesClosedForm) {
  // x = floor(i / 10), y = floor(i / 20): every pair tied in x is tied in y and no pair is discordant, so
  // tau_b = sqrt((n0 - y_ties) / (n0 - x_ties)).
  const Eigen::Index n = 1'000'000;
  Eigen::VectorXd x(n), y(n);
  for (Eigen::Index i = 0; i < n; ++i) x[(i * 7919) % n] = double(i / 10), y[(i * 7919) % n] = double(i / 20);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = engage::correlation(x, y, correlation_method::kendall);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double n0 = 0.5 * double(n) * double(n - 1);
  const double xt = double(n / 10) * 45.0, yt = double(n / 20) * 190.0;
  EXPECT_NEAR(r.statistic, std::sqrt((n0 - yt) / (n0 - xt)), 1e-12);
  RecordProperty("seconds", std::to_string(seconds));  // timing is reported, never asserted (benchmarks/)
}

TEST(Spearman, MidranksAsScipyRankdata) {
  std::vector<double> v = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
  std::vector<double> out(v.size());
  engage::detail::rank_scratch order;
  engage::detail::midranks(v.data(), v.size(), out.data(), order);
  const std::vector<double> expected = {4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8};
  EXPECT_EQ(out, expected);
}

TEST(Correlation, PerfectAndOneSided) {
  const Eigen::VectorXd x = vec({1, 2, 3, 4, 5}), y = vec({2, 4, 6, 8, 10});
  const auto r = engage::correlation(x, y);
  EXPECT_EQ(r.statistic, 1.0);
  EXPECT_EQ(r.pvalue, 0.0);
  EXPECT_TRUE(std::isinf(r.test_statistic));
  const auto ci = engage::confidence_interval(r);
  EXPECT_EQ(ci.low, 1.0);
  EXPECT_EQ(ci.high, 1.0);
  EXPECT_EQ(engage::correlation(x, y, correlation_method::pearson, correlation_alternative::less).pvalue, 1.0);
  EXPECT_EQ(engage::correlation(x, y, correlation_method::pearson, correlation_alternative::greater).pvalue, 0.0);
  // n = 3: Fisher SE is infinite, the interval is [-1, 1] (as scipy).
  const auto r3 = engage::correlation(vec({1, 2, 3}), vec({1, 3, 2}));
  const auto ci3 = engage::confidence_interval(r3);
  EXPECT_EQ(ci3.low, -1.0);
  EXPECT_EQ(ci3.high, 1.0);
}

TEST(Correlation, FromReportedStatistic) {
  const auto ref = load("correlation_reference.json");
  const auto r = engage::correlation_from_statistic(0.3, 100);
  expect_interval(engage::confidence_interval(r), ref["corrections"]["fisher_ci_r03_n100"], "CIr(0.3, 100)");
  // Same test as on data (Pearson t; Kendall without ties: Var(S) = n(n-1)(2n+5)/18).
  const Eigen::VectorXd x = vec({1, 2, 3, 4, 5, 6, 7, 8}), y = vec({2, 1, 4, 3, 7, 8, 5, 6});
  for (auto m : {correlation_method::pearson, correlation_method::spearman, correlation_method::kendall}) {
    const auto d = engage::correlation(x, y, m, correlation_alternative::greater);
    const auto s = engage::correlation_from_statistic(d.statistic, 8, m, correlation_alternative::greater);
    EXPECT_NEAR(s.pvalue, d.pvalue, 1e-14) << engage::to_string(m);
    EXPECT_NEAR(s.test_statistic, d.test_statistic, 1e-12) << engage::to_string(m);
  }
  const auto partial = engage::correlation_from_statistic(0.5, 20, correlation_method::pearson,
                                                          correlation_alternative::two_sided, 2);
  EXPECT_EQ(partial.df, 16.0);
  EXPECT_THROW((void)engage::correlation_from_statistic(1.5, 20), engage::invalid_input);
  EXPECT_THROW((void)engage::correlation_from_statistic(0.5, 2), engage::insufficient_data);
  EXPECT_THROW((void)engage::correlation_from_statistic(0.5, 4, correlation_method::pearson,
                                                        correlation_alternative::two_sided, 2),
               engage::insufficient_data);
}

TEST(Correlation, MissingPairsAreDroppedAndCounted) {
  const Eigen::VectorXd x = vec({1, 2, NAN, 4, 5, 6}), y = vec({2, 1, 3, NAN, 5, 7});
  const auto r = engage::correlation(x, y);
  EXPECT_EQ(r.n, 4u);
  EXPECT_EQ(r.missing, 2u);
  const auto c = engage::correlation(vec({1, 2, 5, 6}), vec({2, 1, 5, 7}));
  EXPECT_EQ(r.statistic, c.statistic);
}

TEST(CorrelationBadInput, ClearErrors) {
  const Eigen::VectorXd x = vec({1, 2, 3, 4}), y = vec({1, 3, 2, 4});
  EXPECT_THROW((void)engage::correlation(vec({1, 2, 3}), y), engage::invalid_input);  // lengths
  EXPECT_THROW((void)engage::correlation(Eigen::VectorXd(), Eigen::VectorXd()), engage::insufficient_data);
  EXPECT_THROW((void)engage::correlation(vec({NAN, NAN, NAN, 1}), y), engage::insufficient_data);
  EXPECT_THROW((void)engage::correlation(vec({1, 2}), vec({2, 1})), engage::insufficient_data);
  EXPECT_THROW((void)engage::correlation(vec({1, INFINITY, 3, 4}), y), engage::invalid_input);
  try {
    (void)engage::correlation(x, vec({2, 2, 2, 2}), correlation_method::spearman);
    FAIL() << "constant y accepted";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("y is constant"), std::string::npos) << e.what();
  }
  try {
    (void)engage::correlation(vec({1, 2, 3, 4}), vec({1, 2, 3, NAN}));
    (void)engage::correlation(vec({1, 2, NAN}), vec({1, 2, 3}));
    FAIL() << "n = 2 accepted";
  } catch (const engage::insufficient_data& e) {
    EXPECT_NE(std::string(e.what()).find("found 2 (1 pairs dropped because of NaN)"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)engage::parse_correlation_method("pearsons"), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_correlation_alternative("two.sided"), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_correlation_ci_method("wald"), engage::invalid_input);
  const auto r = engage::correlation(x, y);
  EXPECT_THROW((void)engage::confidence_interval(r, 95.0), engage::invalid_input);
  EXPECT_THROW((void)engage::confidence_interval(r, 0.95, correlation_ci_method::bonett_wright), engage::invalid_input);
  EXPECT_THROW((void)engage::confidence_interval(r, 0.95, correlation_ci_method::fieller), engage::invalid_input);
  EXPECT_THROW((void)engage::confidence_interval(r, 0.95, correlation_ci_method::bca), engage::invalid_input);
  const auto k = engage::correlation(x, y, correlation_method::kendall);
  EXPECT_THROW((void)engage::confidence_interval(k, 0.95, correlation_ci_method::fisher), engage::invalid_input);
  const auto k3 = engage::correlation(vec({1, 2, 3}), vec({1, 3, 2}), correlation_method::kendall);
  EXPECT_THROW((void)engage::confidence_interval(k3), engage::insufficient_data);
  const auto k4 = engage::confidence_interval(k);  // n = 4: infinite SE
  EXPECT_EQ(k4.low, -1.0);
  EXPECT_EQ(k4.high, 1.0);
}

TEST(PartialCorrelationBadInput, ClearErrors) {
  const Eigen::VectorXd x = vec({1, 2, 3, 4, 5, 6}), y = vec({2, 1, 4, 3, 6, 5});
  engage::row_matrix z(6, 2);
  z << 1, 2, 2, 4, 3, 6, 4, 8, 5, 10, 6, 12;  // second column = 2 x first
  try {
    (void)engage::partial_correlation(x, y, z);
    FAIL() << "collinear covariates accepted";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("collinear"), std::string::npos) << e.what();
  }
  engage::row_matrix c(6, 1);
  c << 3, 3, 3, 3, 3, 3;
  try {
    (void)engage::partial_correlation(x, y, c);
    FAIL() << "constant covariate accepted";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("covariates column 0 is constant"), std::string::npos) << e.what();
  }
  engage::row_matrix lin(6, 1);
  lin << 2, 4, 6, 8, 10, 12;  // x = covariate / 2
  try {
    (void)engage::partial_correlation(x, y, lin);
    FAIL() << "x = f(covariate) accepted";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("x is a linear function of the covariates"), std::string::npos) << e.what();
  }
  engage::row_matrix three(4, 2);
  three << 1, 0, 2, 1, 3, 3, 4, 2;
  EXPECT_THROW((void)engage::partial_correlation(vec({1, 2, 3, 4}), vec({2, 1, 4, 3}), three), engage::insufficient_data);
  EXPECT_THROW((void)engage::partial_correlation(x, y, engage::row_matrix(5, 1)), engage::invalid_input);  // rows
  EXPECT_THROW((void)engage::partial_correlation(x, y, c, correlation_method::kendall), engage::invalid_input);
  engage::row_matrix inf(6, 1);
  inf << 1, 2, INFINITY, 4, 5, 6;
  EXPECT_THROW((void)engage::partial_correlation(x, y, inf), engage::invalid_input);
}

// ---------------------------------------------------------------------------------------------------------------
// Bootstrap
// ---------------------------------------------------------------------------------------------------------------

TEST(CorrelationBootstrap, DeterministicAndIndependentOfChunking) {
  const auto ref = load("correlation_reference.json");
  const Eigen::VectorXd x = vec(ref["cases"][0]["x"]), y = vec(ref["cases"][0]["y"]);
  engage::correlation_bootstrap_options o;
  o.n_resamples = 1000, o.seed = 7;
  const auto a = engage::correlation_bootstrap(x, y, correlation_method::spearman, 0.95, correlation_ci_method::bca,
                                               correlation_alternative::two_sided, o);
  const auto b = engage::correlation_bootstrap(x, y, correlation_method::spearman, 0.95, correlation_ci_method::bca,
                                               correlation_alternative::two_sided, o);
  EXPECT_EQ(a.ci.low, b.ci.low);
  EXPECT_EQ(a.ci.high, b.ci.high);
  EXPECT_EQ(a.distribution, b.distribution);
  // A serial re-derivation of the documented scheme (one engine per block of 64 resamples) gives the same
  // resamples, so the result cannot depend on how blocks were spread over threads.
  const auto n = static_cast<std::size_t>(x.size());
  auto problem = engage::detail::make_problem(x, y, correlation_method::spearman);
  engage::detail::correlation_workspace w;
  std::vector<std::uint64_t> idx(n);
  for (std::size_t b0 = 0; b0 < o.n_resamples; ++b0) {
    const std::size_t blk = b0 / 64;
    if (b0 % 64 != 0) continue;
    engage::detail::xoshiro256ss gen(engage::detail::resample_block_seed(o.seed, blk));
    engage::detail::index_stream<engage::detail::xoshiro256ss> draw(gen, n);
    for (std::size_t r = b0; r < std::min(b0 + 64, o.n_resamples); ++r) {
      for (auto& i : idx) i = draw();
      const double v = engage::detail::statistic_on(problem, idx.data(), n, w);
      ASSERT_EQ(v, a.distribution[r]) << r;
    }
  }
  o.seed = 8;
  const auto c = engage::correlation_bootstrap(x, y, correlation_method::spearman, 0.95, correlation_ci_method::bca,
                                               correlation_alternative::two_sided, o);
  EXPECT_NE(a.ci.low, c.ci.low);
}

TEST(CorrelationBootstrap, IndexDrawsAndOnePassPearson) {
  // xoshiro256** known answers (the reference C implementation from state {1, 2, 3, 4}).
  auto xs = engage::detail::xoshiro256ss::from_state(1, 2, 3, 4);
  for (const std::uint64_t expected : {11520ULL, 0ULL, 1509978240ULL, 1215971899390074240ULL, 1216172134540287360ULL})
    EXPECT_EQ(xs(), expected);
  // The 128-bit product behind Lemire's mapping: the compiler route equals the portable one.
  boost::random::mt19937_64 gen(11);
  for (int k = 0; k < 10000; ++k) {
    const std::uint64_t a = gen(), b = k % 3 == 0 ? gen() : gen() % 100000 + 1;
    std::uint64_t l1 = 0, l2 = 0;
    ASSERT_EQ(engage::detail::mul_high(a, b, l1), engage::detail::mul_high_portable(a, b, l2));
    ASSERT_EQ(l1, l2);
  }
  // Indices stay in range and are roughly uniform (chi-square over 7 cells, 70000 draws), by both routes.
  engage::detail::index_stream<boost::random::mt19937_64> stream(gen, 7);
  for (int route = 0; route < 2; ++route) {
    std::vector<int> counts(7, 0);
    for (int k = 0; k < 70000; ++k) {
      const auto i = route == 0 ? engage::detail::draw_index(gen, 7) : stream();
      ASSERT_LT(i, 7u);
      ++counts[i];
    }
    double chi2 = 0;
    for (int c : counts) chi2 += (c - 10000.0) * (c - 10000.0) / 10000.0;
    EXPECT_LT(chi2, 22.5) << route;  // 99.9 % quantile of chi-square(6)
  }
  // The 32-bit route takes the low then the high half of each engine output (Lemire in 32-bit arithmetic).
  boost::random::mt19937_64 a(5), b(5);
  engage::detail::index_stream<boost::random::mt19937_64> s1000(a, 1000);
  const std::uint64_t w = b();
  EXPECT_EQ(s1000(), ((w & 0xFFFFFFFFu) * 1000) >> 32);
  EXPECT_EQ(s1000(), ((w >> 32) * 1000) >> 32);
  // The one-pass resample statistic equals the two-pass Pearson r of the gathered rows.
  boost::random::normal_distribution<double> z;
  const std::size_t n = 500;
  Eigen::VectorXd x(static_cast<Eigen::Index>(n)), y(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    x[static_cast<Eigen::Index>(i)] = 1e6 + z(gen);  // a large mean: the standardisation must absorb it
    y[static_cast<Eigen::Index>(i)] = 0.3 * x[static_cast<Eigen::Index>(i)] + z(gen);
  }
  const auto problem = engage::detail::make_problem(x, y, correlation_method::pearson);
  const auto packed = engage::detail::pack_pearson(problem.data);
  std::vector<std::uint64_t> idx(n);
  std::vector<double> gx(n), gy(n);
  for (int rep = 0; rep < 50; ++rep) {
    for (std::size_t i = 0; i < n; ++i) idx[i] = engage::detail::draw_index(gen, n), gx[i] = x[static_cast<Eigen::Index>(idx[i])], gy[i] = y[static_cast<Eigen::Index>(idx[i])];
    std::size_t k = 0;
    const double one = engage::detail::pearson_one_pass(packed.data(), n, [&] { return idx[k++]; });
    EXPECT_NEAR(one, engage::detail::pearson_r(gx.data(), gy.data(), n), 1e-12) << rep;
  }
  std::size_t k = 0;
  EXPECT_TRUE(std::isnan(engage::detail::pearson_one_pass(packed.data(), 5, [&] { return std::size_t{3} + 0 * k++; })));
}

TEST(CorrelationBootstrap, AgreesWithScipyWithinMonteCarloError) {
  const auto ref = load("correlation_reference.json");
  const auto sp = load("correlation_reference_scipy.json");
  const Eigen::VectorXd x = vec(ref["cases"][0]["x"]), y = vec(ref["cases"][0]["y"]);
  for (const std::string m : {"pearson", "spearman", "kendall"}) {
    const auto& expected = sp["bootstrap"]["methods"][m];
    for (const auto& [method, key] : {std::pair{correlation_ci_method::bootstrap_percentile, "percentile"},
                                      std::pair{correlation_ci_method::bca, "bca"}}) {
      const auto b = engage::correlation_bootstrap(x, y, method_of(m), 0.95, method);
      ASSERT_FALSE(b.degenerate) << b.reason;
      EXPECT_EQ(b.n_resamples, 9999u);
      // Different resamples (engage xoshiro256** vs numpy PCG64): agreement within Monte Carlo error.
      const double tol = m == "pearson" ? 0.01 : 0.02;
      EXPECT_NEAR(b.ci.low, expected[key][0].get<double>(), tol) << m << " " << key;
      EXPECT_NEAR(b.ci.high, expected[key][1].get<double>(), tol) << m << " " << key;
      EXPECT_NEAR(b.standard_error, expected["standard_error"].get<double>(), 0.1 * expected["standard_error"].get<double>());
    }
  }
  // R boot.ci(type = "bca") uses regression influence values for the acceleration: close, not equal.
  const auto b = engage::correlation_bootstrap(x, y);
  EXPECT_NEAR(b.ci.low, ref["bootstrap"]["bca"][0].get<double>(), 0.015);
  EXPECT_NEAR(b.ci.high, ref["bootstrap"]["bca"][1].get<double>(), 0.015);
}

TEST(CorrelationBootstrap, OneSidedAndPartial) {
  const auto ref = load("correlation_reference.json");
  const auto& pc = ref["partial"][0];
  const Eigen::VectorXd x = vec(pc["x"]), y = vec(pc["y"]);
  const auto z = columns(pc["covariates"]);
  engage::correlation_bootstrap_options o;
  o.n_resamples = 2000;
  const auto two = engage::partial_correlation_bootstrap(x, y, z, correlation_method::pearson, 0.90,
                                                         correlation_ci_method::bootstrap_percentile,
                                                         correlation_alternative::two_sided, o);
  const auto greater = engage::partial_correlation_bootstrap(x, y, z, correlation_method::pearson, 0.95,
                                                             correlation_ci_method::bootstrap_percentile,
                                                             correlation_alternative::greater, o);
  // Same resamples: the one-sided 95 % lower end is the two-sided 90 % lower end.
  EXPECT_NEAR(greater.ci.low, two.ci.low, 1e-12);
  EXPECT_EQ(greater.ci.high, 1.0);
  const double r = pc["tests"][0]["pearson"]["statistic"];
  EXPECT_LT(two.ci.low, r);
  EXPECT_GT(two.ci.high, r);
  const auto bca = engage::partial_correlation_bootstrap(x, y, z, correlation_method::spearman, 0.95,
                                                         correlation_ci_method::bca, correlation_alternative::two_sided, o);
  EXPECT_FALSE(bca.degenerate) << bca.reason;
  EXPECT_TRUE(std::isfinite(bca.acceleration));
}

TEST(CorrelationBootstrap, JackknifeShortcutsMatchDirectLeaveOneOut) {
  boost::random::mt19937_64 gen(3);
  boost::random::uniform_int_distribution<int> v(1, 5);
  Eigen::VectorXd x(40), y(40);
  for (int i = 0; i < 40; ++i) x[i] = v(gen), y[i] = v(gen) + 0.5 * x[i];
  for (auto m : {correlation_method::pearson, correlation_method::spearman, correlation_method::kendall}) {
    const auto p = engage::detail::make_problem(x, y, m);
    const auto fast = engage::detail::jackknife(p);
    engage::detail::correlation_workspace w;
    for (std::size_t j = 0; j < 40; ++j) {
      std::vector<std::uint64_t> idx;
      for (std::size_t i = 0; i < 40; ++i)
        if (i != j) idx.push_back(i);
      EXPECT_NEAR(fast[j], engage::detail::statistic_on(p, idx.data(), idx.size(), w), 1e-13)
          << engage::to_string(m) << " " << j;
    }
  }
}

TEST(CorrelationBootstrap, DegenerateDataGivesFlagNotCrash) {
  // Perfectly linear data: every resample has r = 1, the bootstrap distribution is a point.
  const Eigen::VectorXd x = vec({1, 2, 3, 4, 5, 6}), y = vec({3, 5, 7, 9, 11, 13});
  engage::correlation_bootstrap_options o;
  o.n_resamples = 500;
  const auto b = engage::correlation_bootstrap(x, y, correlation_method::pearson, 0.95, correlation_ci_method::bca,
                                               correlation_alternative::two_sided, o);
  EXPECT_TRUE(b.degenerate);
  EXPECT_TRUE(std::isnan(b.ci.low) && std::isnan(b.ci.high));
  EXPECT_NE(b.reason.find("degenerate"), std::string::npos) << b.reason;

  // One distinct x value among many: many resamples are constant in x and are dropped; leaving the odd one out
  // makes x constant, so BCa's acceleration is undefined.
  const Eigen::VectorXd x2 = vec({1, 1, 1, 1, 1, 1, 1, 2}), y2 = vec({1, 2, 3, 4, 5, 6, 7, 8});
  const auto pct = engage::correlation_bootstrap(x2, y2, correlation_method::pearson, 0.95,
                                                 correlation_ci_method::bootstrap_percentile,
                                                 correlation_alternative::two_sided, o);
  EXPECT_GT(pct.dropped, 100u);
  EXPECT_LT(pct.dropped, 500u);
  const auto bca = engage::correlation_bootstrap(x2, y2, correlation_method::pearson, 0.95, correlation_ci_method::bca,
                                                 correlation_alternative::two_sided, o);
  EXPECT_TRUE(bca.degenerate);
  EXPECT_NE(bca.reason.find("leaving out observation 7"), std::string::npos) << bca.reason;
  std::size_t nan = 0;
  for (double d : pct.distribution) nan += std::isnan(d);
  EXPECT_EQ(nan, pct.dropped);
}

TEST(CorrelationBootstrap, BadInput) {
  const Eigen::VectorXd x = vec({1, 2, 3, 4}), y = vec({1, 3, 2, 4});
  engage::correlation_bootstrap_options o;
  o.n_resamples = 1;
  EXPECT_THROW((void)engage::correlation_bootstrap(x, y, correlation_method::pearson, 0.95, correlation_ci_method::bca,
                                                   correlation_alternative::two_sided, o),
               engage::invalid_input);
  EXPECT_THROW((void)engage::correlation_bootstrap(x, y, correlation_method::pearson, 0.95, correlation_ci_method::fisher),
               engage::invalid_input);
  EXPECT_THROW((void)engage::correlation_bootstrap(x, y, correlation_method::pearson, 1.5), engage::invalid_input);
  EXPECT_THROW((void)engage::correlation_bootstrap(x, vec({1, 1, 1, 1})), engage::invalid_input);
}

// ---------------------------------------------------------------------------------------------------------------
// Corrections
// ---------------------------------------------------------------------------------------------------------------

TEST(Corrections, MatchReference) {
  const auto ref = load("correlation_reference.json")["corrections"];
  for (const auto& c : ref["attenuation"]) {
    const auto a = engage::correct_attenuation(c["r"], c["rxx"], c["ryy"]);
    expect_close(a.statistic, c["statistic"], "attenuation " + c["r"].dump());
    EXPECT_EQ(a.exceeds_one, std::fabs(c["statistic"].get<double>()) > 1.0);
    EXPECT_EQ(a.clipped, std::clamp(a.statistic, -1.0, 1.0));
    if (!c["n"].is_null()) {
      const auto& f = ref["fisher_ci_r03_n100"];
      expect_close(engage::correct_attenuation(f[0], c["rxx"], c["ryy"]).clipped, c["ci"][0], "attenuation ci low");
      expect_close(engage::correct_attenuation(f[1], c["rxx"], c["ryy"]).clipped, c["ci"][1], "attenuation ci high");
    }
  }
  for (const auto& c : ref["range_restriction"]) {
    const auto a = engage::correct_range_restriction(c["r"], c["u"]);
    expect_close(a.statistic, c["statistic"], "range restriction " + c["r"].dump());
    EXPECT_FALSE(a.exceeds_one);
  }
  // METHODS.md [REF], given there to 3-4 digits: attitude 1.103 (flagged), uvdrr_x 0.4098.
  const auto att = engage::correct_attenuation(0.8254, 0.8, 0.7);
  EXPECT_NEAR(att.statistic, 1.103, 5e-4);
  EXPECT_TRUE(att.exceeds_one);
  EXPECT_EQ(att.clipped, 1.0);
  EXPECT_NEAR(engage::correct_range_restriction(0.3, 0.7).statistic, 0.4098, 5e-5);
}

TEST(Corrections, BadInput) {
  EXPECT_THROW((void)engage::correct_attenuation(1.2, 0.8, 0.7), engage::invalid_input);
  EXPECT_THROW((void)engage::correct_attenuation(NAN, 0.8, 0.7), engage::invalid_input);
  EXPECT_THROW((void)engage::correct_attenuation(0.3, 0.0, 0.7), engage::invalid_input);
  EXPECT_THROW((void)engage::correct_attenuation(0.3, 0.8, 1.1), engage::invalid_input);
  EXPECT_THROW((void)engage::correct_attenuation(0.3, NAN), engage::invalid_input);
  EXPECT_THROW((void)engage::correct_range_restriction(0.3, 0.0), engage::invalid_input);
  EXPECT_THROW((void)engage::correct_range_restriction(0.3, INFINITY), engage::invalid_input);
  EXPECT_THROW((void)engage::correct_range_restriction(-1.5, 0.7), engage::invalid_input);
  EXPECT_EQ(engage::correct_range_restriction(1.0, 0.5).statistic, 1.0);
  EXPECT_EQ(engage::correct_attenuation(0.0, 0.5, 0.5).statistic, 0.0);
}

}  // namespace
