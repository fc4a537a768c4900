#pragma once
/// @file meta_analysis.hpp
/// Hunter-Schmidt psychometric meta-analysis of correlations (the method behind Gallup's Q12 linkage studies):
/// bare-bones (sampling error only) and individual corrections for measurement error and direct range
/// restriction, with confidence intervals for the mean and credibility intervals for the spread of the
/// population correlations.
///
/// Formulas: METHODS.md section 5 (Hunter & Schmidt 2004; psychmeta's conventions and options). The conventions
/// that make packages disagree on the same data are options here (`meta_analysis_options`), with three presets:
///   psychmeta   (default) correct_bias, var_unbiased, error_type mean, t intervals   = psychmeta 2.7 defaults
///   classic     no bias correction, divisor sum n, error_type mean, normal intervals  = R psychometric
///   hs_override correct_bias, divisor sum n, error_type mean, normal intervals      = psychmeta hs_override
/// Missing-data policy: none. A NaN anywhere is an error naming its position; studies are never dropped silently.

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "errors.hpp"
#include "interval.hpp"

namespace engage {

/// Sampling-error variance of an observed correlation, with rbar the sample-size-weighted mean r:
/// `mean`   (1 - rbar^2)^2 / (n_i - 1) per study, averaged with weights n_i (psychmeta's default; psychometric::vare);
/// `mean_n` (1 - rbar^2)^2 / (Nbar - 1) for every study, Nbar the mean n (Hunter & Schmidt 2004 eq. 3.7;
///          psychometric::aprox.vare). The two agree when all studies have the same n.
enum class meta_error_type { mean, mean_n };

/// Critical values of intervals: standard normal (`norm`) or Student t with k - 1 degrees of freedom (`t`).
enum class meta_interval_method { norm, t };

/// Named sets of conventions (see the file comment).
enum class meta_preset { psychmeta, classic, hs_override };

/// Parses "mean" or "mean_n".
inline meta_error_type parse_meta_error_type(std::string_view name) {
  if (name == "mean") return meta_error_type::mean;
  if (name == "mean_n") return meta_error_type::mean_n;
  throw invalid_input("error_type = '" + std::string(name) + "': expected 'mean' or 'mean_n'");
}

/// Parses "norm" or "t"; `argument` names the option in the message (conf_method, cred_method, method).
inline meta_interval_method parse_meta_interval_method(std::string_view name, std::string_view argument = "method") {
  if (name == "norm") return meta_interval_method::norm;
  if (name == "t") return meta_interval_method::t;
  throw invalid_input(std::string(argument) + " = '" + std::string(name) + "': expected 'norm' or 't'");
}

/// Parses "psychmeta", "classic" or "hs_override".
inline meta_preset parse_meta_preset(std::string_view name) {
  if (name == "psychmeta") return meta_preset::psychmeta;
  if (name == "classic") return meta_preset::classic;
  if (name == "hs_override") return meta_preset::hs_override;
  throw invalid_input("preset = '" + std::string(name) + "': expected 'psychmeta', 'classic' or 'hs_override'");
}

/// Conventions of a meta-analysis. The defaults are psychmeta's (`meta_preset::psychmeta`).
struct meta_analysis_options {
  /// Correct each r for its small-sample bias first: r (2n - 1)/(2n - 2) (psychmeta's correct_bias).
  bool correct_bias = true;
  /// Multiply the weighted variances of r and rho by k/(k - 1) (psychmeta's var_unbiased); else divisor sum w.
  bool var_unbiased = true;
  meta_error_type error_type = meta_error_type::mean;
  meta_interval_method conf_method = meta_interval_method::t;  ///< of the confidence interval of the mean
  meta_interval_method cred_method = meta_interval_method::t;  ///< of the credibility interval
  double confidence_level = 0.95;
  double credibility_level = 0.80;
};

/**
 * The options of a preset (levels 0.95 and 0.80).
 *
 * **Example**:
 * ```
 * auto o = engage::meta_analysis_preset(engage::meta_preset::classic);   // o.correct_bias == false
 * ```
 */
inline meta_analysis_options meta_analysis_preset(meta_preset preset) {
  meta_analysis_options o;
  switch (preset) {
    case meta_preset::psychmeta:
      break;
    case meta_preset::classic:
      o.correct_bias = false, o.var_unbiased = false;
      o.conf_method = o.cred_method = meta_interval_method::norm;
      break;
    case meta_preset::hs_override:
      o.var_unbiased = false;
      o.conf_method = o.cred_method = meta_interval_method::norm;
      break;
  }
  return o;
}

/// Artifacts for individual corrections. Each vector is empty (no correction), of size 1 (the same value for
/// every study) or of size k (one per study).
struct meta_artifacts {
  Eigen::VectorXd rxx;  ///< reliability of x (the predictor, e.g. engagement), in (0, 1]
  Eigen::VectorXd ryy;  ///< reliability of y (the outcome) in the study sample, in (0, 1]
  /// u_x = SD of x in the study / SD in the reference population, in (0, inf): u < 1 is direct range restriction
  /// on x (Thorndike Case II), u > 1 range enhancement.
  Eigen::VectorXd ux;
  /// Whether rxx was measured in the (restricted) study sample; it is then converted to the reference population
  /// as 1 - u^2 (1 - rxx) before the last step. False: rxx is already the reference-population reliability.
  bool rxx_restricted = true;
};

/// One study of a meta-analysis (a row of a forest plot).
struct meta_study {
  double r;                 ///< observed correlation
  double n;                 ///< sample size
  double r_bias_corrected;  ///< r after the small-sample bias correction (= r without correct_bias)
  double weight;            ///< bare-bones weight n
  interval ci;              ///< Fisher-z interval of r at the confidence level; NaN when n <= 3
  double attenuation;       ///< A = r_bias_corrected / rho (1 without artifacts)
  double rho;               ///< corrected correlation (= r_bias_corrected without artifacts); may exceed 1
  double weight_rho;        ///< n A^2
  double var_e;             ///< sampling-error variance of r under the error type
  double var_e_rho;         ///< sampling-error variance of rho (delta method)
  interval ci_rho;          ///< the Fisher-z bounds corrected as rho is; NaN where the correction is undefined
};

/// Result of `meta_analysis`. Variances are of correlations; percentages 0..100 (can exceed 100).
struct meta_analysis_result {
  std::size_t k;             ///< number of studies
  double n_total;            ///< sum of n
  // Bare-bones (observed r, after the bias correction when asked)
  double mean_r;             ///< sum n r / sum n
  double var_r;              ///< observed variance: sum n (r - mean_r)^2 / sum n (x k/(k-1) if var_unbiased)
  double var_e;              ///< sampling-error variance (error_type)
  double var_res;            ///< var_r - var_e, floored at 0 (see var_res_truncated)
  double sd_r, sd_e, sd_res;
  double se_mean_r;          ///< sd_r / sqrt(k)
  double pct_var_sampling_error;  ///< 100 var_e / var_r; +inf when var_r = 0 < var_e, NaN when both are 0
  bool var_res_truncated;    ///< var_r - var_e was negative and var_res was set to 0
  interval confidence_interval;   ///< mean_r -/+ c se_mean_r (confidence_level, conf_method)
  interval credibility_interval;  ///< mean_r -/+ c sd_res (credibility_level, cred_method)
  // Individually corrected (equal to the bare-bones figures when no artifact is given)
  bool corrected;            ///< some artifact was given
  double mean_rho;           ///< sum w rho / sum w, w = n A^2
  double var_r_c;            ///< observed variance of the corrected correlations (weights w)
  double var_e_c;            ///< sum w var_e_rho / sum w
  double var_rho;            ///< var_r_c - var_e_c, floored at 0 (see var_rho_truncated)
  double sd_r_c, sd_e_c, sd_rho;
  double se_mean_rho;        ///< sd_r_c / sqrt(k)
  double pct_var_artifacts;  ///< 100 var_e_c / var_r_c
  bool var_rho_truncated;
  interval confidence_interval_rho;
  interval credibility_interval_rho;
  std::size_t rho_out_of_range;  ///< studies whose corrected correlation exceeds 1 in absolute value (kept)
  meta_analysis_options options;
  std::vector<meta_study> studies;
};

namespace detail {

/// Level in (0, 1), named in the message (confidence_level or credibility_level).
inline void meta_require_level(double level, std::string_view argument) {
  if (!(level > 0.0 && level < 1.0)) {
    throw invalid_input(std::string(argument) + " = " + format_value(level) +
                        ": must be strictly between 0 and 1 (for example 0.8)");
  }
}

/// Two-sided critical value: normal, or t with k - 1 degrees of freedom.
inline double meta_critical(meta_interval_method method, double level, std::size_t k, std::string_view argument) {
  meta_require_level(level, argument);
  const double p = 0.5 + level / 2.0;
  if (method == meta_interval_method::t) {
    const boost::math::students_t_distribution<double, math_policy> t(static_cast<double>(k) - 1.0);
    return boost::math::quantile(t, p);
  }
  const boost::math::normal_distribution<double, math_policy> standard;
  return boost::math::quantile(standard, p);
}

/// Artifact value of study i: empty -> `none`, size 1 -> shared, else per study.
inline double meta_artifact(const Eigen::VectorXd& v, std::size_t i, double none) {
  if (v.size() == 0) return none;
  return v.size() == 1 ? v[0] : v[static_cast<Eigen::Index>(i)];
}

inline void meta_require_artifact_length(std::string_view name, const Eigen::VectorXd& v, std::size_t k) {
  const auto m = static_cast<std::size_t>(v.size());
  if (m > 1 && m != k) {
    throw invalid_input(std::string(name) + " has " + std::to_string(m) + " elements but r has " + std::to_string(k) +
                        "; give one value for every study or one per study");
  }
}

/// The corrections of one correlation, in Hunter & Schmidt's (2004) order for direct range restriction on x:
/// y's unreliability (study sample), Thorndike Case II with u, then x's unreliability in the reference population.
struct meta_corrector {
  double ryy, u, rxx_a;  // rxx_a: reliability of x in the reference population
  /// 1 + r1^2 (1/u^2 - 1) for the correlation r1 entering Case II (must be positive).
  [[nodiscard]] double radicand(double r) const {
    const double r1 = r / std::sqrt(ryy);
    return 1.0 + r1 * r1 * (1.0 / (u * u) - 1.0);
  }
  /// A = r / rho = sqrt(ryy) u sqrt(radicand) sqrt(rxx_a): defined at r = 0 too.
  [[nodiscard]] double attenuation(double r) const {
    return std::sqrt(ryy) * u * std::sqrt(radicand(r)) * std::sqrt(rxx_a);
  }
  /// d rho / d r = 1 / (A radicand): the refined factor a = 1/radicand of H&S 2004 applied to 1/A.
  [[nodiscard]] double derivative(double r) const { return 1.0 / (attenuation(r) * radicand(r)); }
  /// rho, or NaN where the correction is undefined (radicand <= 0, only possible for u > 1).
  [[nodiscard]] double operator()(double r) const {
    if (std::isnan(r) || !(radicand(r) > 0.0)) return std::numeric_limits<double>::quiet_NaN();
    return r / attenuation(r);
  }
};

/// sum w x / sum w, accumulated as deviations from x[0]: equal values give exactly that value (and so a variance
/// of exactly 0), and the sum loses less precision.
inline double meta_weighted_mean(const std::vector<double>& x, const std::vector<double>& w) {
  double sw = 0.0, s = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) sw += w[i], s += w[i] * (x[i] - x[0]);
  return x[0] + s / sw;
}

/// sum w (x - mean)^2 / sum w, times k/(k-1) when unbiased (two passes).
inline double meta_weighted_variance(const std::vector<double>& x, const std::vector<double>& w, double mean,
                                     bool unbiased) {
  double sw = 0.0, s = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) sw += w[i], s += w[i] * (x[i] - mean) * (x[i] - mean);
  const double k = static_cast<double>(x.size());
  return s / sw * (unbiased ? k / (k - 1.0) : 1.0);
}

inline double meta_percent(double part, double whole) {
  if (whole > 0.0) return 100.0 * part / whole;
  return part > 0.0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace detail

/**
 * Hunter-Schmidt meta-analysis of k >= 2 correlations `r` with sample sizes `n` (n > 1, any positive real, so
 * adjusted sample sizes work too), bare-bones and, when artifacts are given, with individual corrections.
 *
 * Bare-bones: mean_r = sum n r / sum n; var_r = sum n (r - mean_r)^2 / sum n (x k/(k-1) if var_unbiased);
 * var_e by `error_type`; var_res = max(0, var_r - var_e); SE of the mean sd_r / sqrt(k); confidence interval
 * mean_r -/+ c se; credibility interval mean_r -/+ c sd_res, c normal or t_{k-1}.
 * Individual corrections: rho_i = r_i / A_i, weights n_i A_i^2, sampling-error variance of rho_i by the delta
 * method (var_e_i / A_i^2, times the refined factor 1/(1 + r1^2 (1/u^2 - 1))^2 under range restriction), and the
 * same summaries for rho. With correct_bias the bias-corrected r enters everything except the study's Fisher-z
 * interval, which is of the observed r (the bias factor is then applied to its bounds for ci_rho).
 *
 * Throws invalid_input naming the index for NaN or out-of-range values (r outside [-1, 1], n <= 1, reliabilities
 * outside (0, 1], u <= 0 or infinite) and mismatched lengths; insufficient_data for k < 2.
 *
 * **Example**:
 * ```
 * Eigen::VectorXd r(4), n(4);
 * r << 0.01, 0.14, 0.23, 0.34;
 * n << 68, 68, 68, 68;
 * auto m = engage::meta_analysis(r, n, {}, engage::meta_analysis_preset(engage::meta_preset::classic));
 * // m.mean_r 0.18, m.var_res 0.000676123, m.credibility_interval {0.1466766, 0.2133234}
 * engage::meta_artifacts a;
 * a.rxx = Eigen::VectorXd::Constant(1, 0.8), a.ryy = Eigen::VectorXd::Constant(1, 0.6);
 * auto c = engage::meta_analysis(r, n, a);   // psychmeta defaults: c.mean_rho 0.2617465, c.sd_rho 0.1105488
 * ```
 */
inline meta_analysis_result meta_analysis(vector_view r, vector_view n, const meta_artifacts& artifacts = {},
                                          const meta_analysis_options& options = {}) {
  const auto k = static_cast<std::size_t>(r.size());
  detail::require_same_length("r", k, "n", static_cast<std::size_t>(n.size()));
  detail::meta_require_artifact_length("rxx", artifacts.rxx, k);
  detail::meta_require_artifact_length("ryy", artifacts.ryy, k);
  detail::meta_require_artifact_length("ux", artifacts.ux, k);
  detail::meta_require_level(options.confidence_level, "confidence_level");
  detail::meta_require_level(options.credibility_level, "credibility_level");

  const auto missing = [](std::string_view name, std::size_t i, double v) {
    detail::fail_at(name, i, v,
                    "missing value: studies are never dropped silently; remove the study or supply the value");
  };
  const auto check_artifact = [&](std::string_view name, const Eigen::VectorXd& v, bool reliability) {
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const double a = v[i];
      const auto at = static_cast<std::size_t>(i);
      if (std::isnan(a)) missing(name, at, a);
      if (reliability && !(a > 0.0 && a <= 1.0)) detail::fail_at(name, at, a, "reliabilities must lie in (0, 1]");
      if (!reliability && !(a > 0.0 && std::isfinite(a))) {
        detail::fail_at(name, at, a,
                        "u ratios (SD in the study / SD in the reference population) must be positive and finite");
      }
    }
  };
  for (std::size_t i = 0; i < k; ++i) {
    const auto j = static_cast<Eigen::Index>(i);
    if (std::isnan(r[j])) missing("r", i, r[j]);
    if (!(r[j] >= -1.0 && r[j] <= 1.0)) detail::fail_at("r", i, r[j], "correlations must lie in [-1, 1]");
    if (std::isnan(n[j])) missing("n", i, n[j]);
    if (!(n[j] > 1.0 && std::isfinite(n[j]))) {
      detail::fail_at("n", i, n[j], "sample sizes must be finite and greater than 1 (the variance divides by n - 1)");
    }
  }
  check_artifact("rxx", artifacts.rxx, true);
  check_artifact("ryy", artifacts.ryy, true);
  check_artifact("ux", artifacts.ux, false);
  if (k < 2) {
    throw insufficient_data("meta-analysis needs at least 2 studies (k >= 2); got k = " + std::to_string(k));
  }

  meta_analysis_result m{};
  m.k = k;
  m.options = options;
  m.corrected = artifacts.rxx.size() > 0 || artifacts.ryy.size() > 0 || artifacts.ux.size() > 0;
  const double kd = static_cast<double>(k);
  std::vector<double> rc(k), w(k);
  double N = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    const double ni = n[static_cast<Eigen::Index>(i)], ri = r[static_cast<Eigen::Index>(i)];
    rc[i] = options.correct_bias ? ri * (2.0 * ni - 1.0) / (2.0 * ni - 2.0) : ri;
    w[i] = ni;
    N += ni;
  }
  m.n_total = N;
  m.mean_r = detail::meta_weighted_mean(rc, w);
  m.var_r = detail::meta_weighted_variance(rc, w, m.mean_r, options.var_unbiased);
  const double c2 = (1.0 - m.mean_r * m.mean_r) * (1.0 - m.mean_r * m.mean_r);
  std::vector<double> var_e(k);
  double sve = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    var_e[i] = options.error_type == meta_error_type::mean ? c2 / (w[i] - 1.0) : c2 / (N / kd - 1.0);
    sve += w[i] * var_e[i];
  }
  m.var_e = sve / N;
  m.var_res_truncated = m.var_r - m.var_e < 0.0;
  m.var_res = m.var_res_truncated ? 0.0 : m.var_r - m.var_e;
  m.sd_r = std::sqrt(m.var_r), m.sd_e = std::sqrt(m.var_e), m.sd_res = std::sqrt(m.var_res);
  m.se_mean_r = m.sd_r / std::sqrt(kd);
  m.pct_var_sampling_error = detail::meta_percent(m.var_e, m.var_r);

  // Individual corrections
  const double z_study = detail::normal_critical(options.confidence_level);
  std::vector<double> rho(k), wr(k);
  std::vector<detail::meta_corrector> corr(k);
  double swr = 0.0;
  m.studies.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    const double rxx = detail::meta_artifact(artifacts.rxx, i, 1.0);
    const double ryy = detail::meta_artifact(artifacts.ryy, i, 1.0);
    const double u = detail::meta_artifact(artifacts.ux, i, 1.0);
    const double rxx_a = artifacts.rxx_restricted ? 1.0 - u * u * (1.0 - rxx) : rxx;
    if (!(rxx_a > 0.0)) {
      detail::fail_at("rxx", artifacts.rxx.size() == 1 ? 0 : i, rxx,
                      "with ux = " + detail::format_value(u) + " (study " + std::to_string(i) +
                          ") the reference-population reliability 1 - ux^2 (1 - rxx) = " + detail::format_value(rxx_a) +
                          " is not positive; pass rxx_restricted = false if rxx is already that reliability");
    }
    corr[i] = {ryy, u, rxx_a};
    if (!(corr[i].radicand(rc[i]) > 0.0)) {
      detail::fail_at("r", i, r[static_cast<Eigen::Index>(i)],
                      "corrected for ryy it exceeds 1 in absolute value, which cannot be corrected for range "
                      "enhancement (ux = " + detail::format_value(u) + " > 1)");
    }
    const double A = corr[i].attenuation(rc[i]);
    rho[i] = rc[i] / A;
    wr[i] = w[i] * A * A;
    swr += wr[i];
    if (std::fabs(rho[i]) > 1.0) ++m.rho_out_of_range;

    auto& s = m.studies[i];
    s.r = r[static_cast<Eigen::Index>(i)], s.n = w[i], s.r_bias_corrected = rc[i], s.weight = w[i];
    s.attenuation = A, s.rho = rho[i], s.weight_rho = wr[i], s.var_e = var_e[i];
    const double d = corr[i].derivative(rc[i]);
    s.var_e_rho = var_e[i] * d * d;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (w[i] > 3.0) {
      const double z = std::atanh(s.r), h = z_study / std::sqrt(w[i] - 3.0);
      s.ci = {std::tanh(z - h), std::tanh(z + h)};
    } else {
      s.ci = {nan, nan};
    }
    const double bias = options.correct_bias ? (2.0 * w[i] - 1.0) / (2.0 * w[i] - 2.0) : 1.0;
    s.ci_rho = {corr[i](bias * s.ci.low), corr[i](bias * s.ci.high)};
  }
  m.mean_rho = detail::meta_weighted_mean(rho, wr);
  m.var_r_c = detail::meta_weighted_variance(rho, wr, m.mean_rho, options.var_unbiased);
  double svec = 0.0;
  for (std::size_t i = 0; i < k; ++i) svec += wr[i] * m.studies[i].var_e_rho;
  m.var_e_c = svec / swr;
  m.var_rho_truncated = m.var_r_c - m.var_e_c < 0.0;
  m.var_rho = m.var_rho_truncated ? 0.0 : m.var_r_c - m.var_e_c;
  m.sd_r_c = std::sqrt(m.var_r_c), m.sd_e_c = std::sqrt(m.var_e_c), m.sd_rho = std::sqrt(m.var_rho);
  m.se_mean_rho = m.sd_r_c / std::sqrt(kd);
  m.pct_var_artifacts = detail::meta_percent(m.var_e_c, m.var_r_c);

  const double cc = detail::meta_critical(options.conf_method, options.confidence_level, k, "confidence_level");
  const double cr = detail::meta_critical(options.cred_method, options.credibility_level, k, "credibility_level");
  m.confidence_interval = {m.mean_r - cc * m.se_mean_r, m.mean_r + cc * m.se_mean_r};
  m.credibility_interval = {m.mean_r - cr * m.sd_res, m.mean_r + cr * m.sd_res};
  m.confidence_interval_rho = {m.mean_rho - cc * m.se_mean_rho, m.mean_rho + cc * m.se_mean_rho};
  m.credibility_interval_rho = {m.mean_rho - cr * m.sd_rho, m.mean_rho + cr * m.sd_rho};
  return m;
}

/**
 * Confidence interval of the mean correlation (of mean_rho when `corrected`) at another level or method:
 * mean -/+ c se, c normal or t_{k-1}.
 *
 * **Example**:
 * ```
 * auto ci90 = engage::meta_confidence_interval(m, 0.90, engage::meta_interval_method::norm);
 * ```
 */
inline interval meta_confidence_interval(const meta_analysis_result& m, double confidence_level,
                                         meta_interval_method method, bool corrected = false) {
  const double c = detail::meta_critical(method, confidence_level, m.k, "confidence_level");
  const double centre = corrected ? m.mean_rho : m.mean_r, se = corrected ? m.se_mean_rho : m.se_mean_r;
  return {centre - c * se, centre + c * se};
}

/**
 * Credibility interval (the middle `credibility_level` of the distribution of population correlations) at
 * another level or method: mean -/+ c sd_res (mean_rho -/+ c sd_rho when `corrected`).
 *
 * **Example**:
 * ```
 * auto cr90 = engage::meta_credibility_interval(m, 0.90, engage::meta_interval_method::t, true);
 * ```
 */
inline interval meta_credibility_interval(const meta_analysis_result& m, double credibility_level,
                                          meta_interval_method method, bool corrected = false) {
  const double c = detail::meta_critical(method, credibility_level, m.k, "credibility_level");
  const double centre = corrected ? m.mean_rho : m.mean_r, sd = corrected ? m.sd_rho : m.sd_res;
  return {centre - c * sd, centre + c * sd};
}

}  // namespace engage
