// Logistic churn model (logistic.hpp) and model quality (model_quality.hpp): fits, predictions, AUC, concordance,
// time-dependent AUC, Brier score and calibration tables. Results come back as dicts of numbers and numpy arrays,
// so the Python result objects are plain (picklable) data; intervals are recomputed from those numbers by the C++
// functions.
#include "pybind11.hpp"

#include <engage/logistic.hpp>
#include <engage/model_quality.hpp>

using engage::python::double_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

/// A read-only row-major view of a 2-D C-contiguous float64 array.
Eigen::Map<const engage::row_matrix> matrix_view(const double_array& a) {
  if (a.ndim() != 2) throw py::value_error("X must be 2-D; got " + std::to_string(a.ndim()) + " dimensions");
  return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

template <class Vector>
py::array_t<double> numpy_vector(const Vector& v) {
  return to_numpy(std::vector<double>(v.data(), v.data() + v.size()));
}

py::array_t<double> numpy_matrix(const Eigen::MatrixXd& m) {
  py::array_t<double> out({m.rows(), m.cols()});
  auto w = out.mutable_unchecked<2>();
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) w(i, j) = m(i, j);
  return out;
}

/// The part of a fitted model that prediction and intervals need.
engage::logistic_result model_from(const double_array& params, const std::optional<double_array>& standard_errors,
                                   bool fit_intercept) {
  const auto p = view(params);
  engage::logistic_result r;
  r.params = p;
  r.fit_intercept = fit_intercept;
  if (standard_errors) {
    const auto s = view(*standard_errors);
    engage::detail::require_same_length("params", static_cast<std::size_t>(p.size()), "standard_errors",
                                        static_cast<std::size_t>(s.size()));
    r.standard_errors = s;
  }
  return r;
}

}  // namespace

void bind_logistic(py::module_& m) {
  // SeparationError derives from ConvergenceError (registered by bind_errors, which runs first).
  py::register_exception<engage::separation_error>(m, "SeparationError", m.attr("ConvergenceError"));

  m.def(
      "logistic_fit",
      [](const double_array& X, const double_array& y, double penalizer, bool fit_intercept, std::size_t max_iter,
         double tol, const std::string& separation, std::vector<std::string> column_names) {
        const auto xv = matrix_view(X);
        const auto yv = view(y);
        engage::logistic_options o;
        o.penalizer = penalizer, o.fit_intercept = fit_intercept, o.max_iter = max_iter, o.tol = tol;
        o.separation = engage::parse_separation_policy(separation);
        o.column_names = std::move(column_names);
        engage::logistic_result r;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only, touches no Python object
          r = engage::logistic_regression(xv, yv, o);
        }
        return py::dict("names"_a = r.names, "params"_a = numpy_vector(r.params),
                        "standard_errors"_a = numpy_vector(r.standard_errors), "z"_a = numpy_vector(r.z),
                        "pvalues"_a = numpy_vector(r.pvalues), "covariance"_a = numpy_matrix(r.covariance),
                        "deviance"_a = r.deviance, "null_deviance"_a = r.null_deviance,
                        "log_likelihood"_a = r.log_likelihood, "aic"_a = r.aic, "effective_df"_a = r.effective_df,
                        "relative_change"_a = r.relative_change, "n"_a = r.n, "events"_a = r.events,
                        "missing"_a = r.missing, "n_iter"_a = r.n_iter, "df_residual"_a = r.df_residual,
                        "converged"_a = r.converged, "penalized"_a = r.penalized, "separation"_a = r.separation,
                        "perfectly_predicted"_a = r.perfectly_predicted,
                        "separating_columns"_a = r.separating_columns);
      },
      "X"_a, "y"_a, py::kw_only(), "penalizer"_a = 0.0, "fit_intercept"_a = true, "max_iter"_a = 100,
      "tol"_a = 1e-10, "separation"_a = "raise", "column_names"_a = std::vector<std::string>{},
      "Logistic regression by Newton-Raphson (IRLS); returns a dict of the fitted quantities.");

  m.def(
      "logistic_predict",
      [](const double_array& params, const double_array& X, bool fit_intercept, bool linear) {
        const auto r = model_from(params, std::nullopt, fit_intercept);
        const auto xv = matrix_view(X);
        Eigen::VectorXd out;
        {
          const py::gil_scoped_release release;  // safe: O(n p) on numpy memory only
          out = linear ? engage::logistic_linear_predictor(r, xv) : engage::logistic_predict(r, xv);
        }
        return numpy_vector(out);
      },
      "params"_a, "X"_a, py::kw_only(), "fit_intercept"_a = true, "linear"_a = false,
      "Predicted probabilities (or log-odds with linear=True) for the rows of X.");

  m.def(
      "logistic_confidence_intervals",
      [](const double_array& params, const double_array& standard_errors, double confidence_level) {
        const auto r = model_from(params, standard_errors, true);
        const auto ci = engage::confidence_intervals(r, confidence_level);
        std::vector<double> low, high;
        for (const auto& c : ci) low.push_back(c.low), high.push_back(c.high);
        return py::make_tuple(to_numpy(std::move(low)), to_numpy(std::move(high)));
      },
      "params"_a, "standard_errors"_a, "confidence_level"_a = 0.95, "Wald intervals: (low, high) arrays.");

  m.def(
      "roc_auc",
      [](const double_array& y, const double_array& score) {
        const auto yv = view(y);
        const auto sv = view(score);
        engage::roc_auc_result r{};
        {
          const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory only
          r = engage::roc_auc(yv, sv);
        }
        return py::dict("statistic"_a = r.statistic, "standard_error"_a = r.standard_error, "n"_a = r.n,
                        "n_positive"_a = r.n_positive, "n_negative"_a = r.n_negative, "missing"_a = r.missing);
      },
      "y"_a, "score"_a, "ROC AUC with the DeLong standard error.");

  m.def(
      "roc_auc_confidence_interval",
      [](double statistic, double standard_error, double confidence_level, const std::string& method) {
        const engage::roc_auc_result r{statistic, standard_error, 0, 0, 0, 0};
        const auto ci = engage::confidence_interval(r, confidence_level, engage::parse_auc_ci_method(method));
        return py::make_tuple(ci.low, ci.high);
      },
      "statistic"_a, "standard_error"_a, "confidence_level"_a = 0.95, "method"_a = "delong");

  m.def(
      "roc_auc_compare",
      [](const double_array& y, const double_array& score_a, const double_array& score_b) {
        const auto yv = view(y);
        const auto av = view(score_a);
        const auto bv = view(score_b);
        engage::roc_auc_comparison c{};
        {
          const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory only
          c = engage::roc_auc_compare(yv, av, bv);
        }
        return py::dict("statistic_a"_a = c.statistic_a, "statistic_b"_a = c.statistic_b,
                        "difference"_a = c.difference, "standard_error"_a = c.standard_error, "z"_a = c.z,
                        "pvalue"_a = c.pvalue, "correlation"_a = c.correlation, "n"_a = c.n,
                        "n_positive"_a = c.n_positive, "n_negative"_a = c.n_negative, "missing"_a = c.missing);
      },
      "y"_a, "score_a"_a, "score_b"_a, "Paired DeLong test of two AUCs.");

  m.def(
      "roc_auc_difference_confidence_interval",
      [](double difference, double standard_error, double confidence_level) {
        engage::roc_auc_comparison c{};
        c.difference = difference, c.standard_error = standard_error;
        const auto ci = engage::confidence_interval(c, confidence_level);
        return py::make_tuple(ci.low, ci.high);
      },
      "difference"_a, "standard_error"_a, "confidence_level"_a = 0.95, "Wald interval of an AUC difference.");

  m.def(
      "concordance_index",
      [](const double_array& time, const double_array& score, const std::optional<double_array>& event) {
        const auto tv = view(time);
        const auto sv = view(score);
        std::optional<engage::vector_view> ev;
        if (event) ev.emplace(view(*event));
        engage::concordance_result c{};
        {
          const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory only
          c = engage::concordance_index(tv, sv, ev ? &*ev : nullptr);
        }
        return py::dict("statistic"_a = c.statistic, "standard_error"_a = c.standard_error,
                        "concordant"_a = c.concordant, "discordant"_a = c.discordant, "tied_risk"_a = c.tied_risk,
                        "tied_time"_a = c.tied_time, "tied_both"_a = c.tied_both, "comparable"_a = c.comparable,
                        "n"_a = c.n, "events"_a = c.events, "missing"_a = c.missing);
      },
      "time"_a, "score"_a, "event"_a = py::none(), "Harrell's C (survival's tie rules; higher score = higher risk).");

  m.def(
      "concordance_confidence_interval",
      [](double statistic, double standard_error, double confidence_level) {
        engage::concordance_result c{};
        c.statistic = statistic, c.standard_error = standard_error;
        const auto ci = engage::confidence_interval(c, confidence_level);
        return py::make_tuple(ci.low, ci.high);
      },
      "statistic"_a, "standard_error"_a, "confidence_level"_a = 0.95);

  m.def(
      "time_dependent_auc",
      [](const double_array& time, const double_array& event, const double_array& score, double horizon) {
        const auto tv = view(time);
        const auto ev = view(event);
        const auto sv = view(score);
        engage::time_dependent_auc_result r{};
        {
          const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory only
          r = engage::time_dependent_auc(tv, ev, sv, horizon);
        }
        return py::dict("statistic"_a = r.statistic, "horizon"_a = r.horizon, "n"_a = r.n, "cases"_a = r.cases,
                        "controls"_a = r.controls, "censored"_a = r.censored, "weighted_cases"_a = r.weighted_cases,
                        "missing"_a = r.missing);
      },
      "time"_a, "event"_a, "score"_a, "horizon"_a,
      "Cumulative/dynamic AUC at a horizon with inverse-probability-of-censoring weights (Uno et al. 2007).");

  m.def(
      "brier_score",
      [](const double_array& y, const double_array& p) {
        const auto yv = view(y);
        const auto pv = view(p);
        engage::brier_result b{};
        {
          const py::gil_scoped_release release;  // safe: O(n) on numpy memory only
          b = engage::brier_score(yv, pv);
        }
        return py::dict("statistic"_a = b.statistic, "reference"_a = b.reference, "skill"_a = b.skill, "n"_a = b.n,
                        "missing"_a = b.missing);
      },
      "y"_a, "p"_a, "Brier score with its base-rate reference and skill.");

  m.def(
      "calibration_table",
      [](const double_array& y, const double_array& p, std::size_t bins, double confidence_level) {
        const auto yv = view(y);
        const auto pv = view(p);
        engage::calibration_result t{};
        {
          const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory only
          t = engage::calibration_table(yv, pv, bins, confidence_level);
        }
        const auto g = t.bins.size();
        std::vector<double> low(g), high(g), mean_p(g), rate(g), olow(g), ohigh(g);
        std::vector<std::int64_t> n(g), events(g);
        for (std::size_t k = 0; k < g; ++k) {
          const auto& b = t.bins[k];
          low[k] = b.low, high[k] = b.high, mean_p[k] = b.mean_predicted, rate[k] = b.observed_rate;
          olow[k] = b.observed_low, ohigh[k] = b.observed_high;
          n[k] = static_cast<std::int64_t>(b.n), events[k] = static_cast<std::int64_t>(b.events);
        }
        return py::dict("low"_a = to_numpy(std::move(low)), "high"_a = to_numpy(std::move(high)),
                        "n"_a = to_numpy(std::move(n)), "events"_a = to_numpy(std::move(events)),
                        "mean_predicted"_a = to_numpy(std::move(mean_p)), "observed_rate"_a = to_numpy(std::move(rate)),
                        "observed_low"_a = to_numpy(std::move(olow)), "observed_high"_a = to_numpy(std::move(ohigh)),
                        "total"_a = t.n, "missing"_a = t.missing);
      },
      "y"_a, "p"_a, "bins"_a = 10, "confidence_level"_a = 0.95, "Observed vs predicted rates by risk bins.");
}
