// Survival bindings: Kaplan-Meier curves (single and grouped), the log-rank test, Harrell's concordance and the
// Cox model with its predictions. Curves and fitted models stay C++ objects (SurvivalCurve, CoxFit) so that
// re-reading a curve or predicting does not refit; their tables come out as dicts of numpy arrays.
#include "pybind11.hpp"

#include <engage/survival.hpp>

#include <optional>

using engage::python::double_array;
using engage::python::int64_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

/// 2-D float64 input (C order), viewed as a row-major Eigen matrix without a copy.
using matrix_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

Eigen::Map<const engage::row_matrix> matrix_view(const matrix_array& a, const char* name) {
  if (a.ndim() != 2) {
    throw py::value_error(std::string(name) + " must be a 2-D array, got " + std::to_string(a.ndim()) + " dimensions");
  }
  return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

template <class T>
py::array_t<T> copy_numpy(const std::vector<T>& v) {
  return to_numpy(std::vector<T>(v));
}

py::array_t<double> copy_numpy(const Eigen::VectorXd& v) {
  return to_numpy(std::vector<double>(v.data(), v.data() + v.size()));
}

py::dict curve_table(const engage::survival_curve& c) {
  return py::dict("time"_a = copy_numpy(c.time), "at_risk"_a = copy_numpy(c.at_risk),
                  "events"_a = copy_numpy(c.events), "censored"_a = copy_numpy(c.censored),
                  "survival"_a = copy_numpy(c.survival), "standard_error"_a = copy_numpy(c.standard_error),
                  "low"_a = copy_numpy(c.low), "high"_a = copy_numpy(c.high));
}

py::dict concordance_dict(const engage::survival_concordance& c) {
  return py::dict("statistic"_a = c.statistic, "standard_error"_a = c.standard_error, "concordant"_a = c.concordant,
                  "discordant"_a = c.discordant, "tied_risk"_a = c.tied_risk, "tied_time"_a = c.tied_time,
                  "tied_both"_a = c.tied_both);
}

py::dict test_dict(const engage::chi2_test& t) {
  return py::dict("statistic"_a = t.statistic, "df"_a = t.df, "pvalue"_a = t.pvalue);
}

}  // namespace

void bind_survival(py::module_& m) {
  py::class_<engage::survival_curve>(m, "SurvivalCurve", "A Kaplan-Meier curve (engage.survival wraps it).")
      .def_readonly("n", &engage::survival_curve::n)
      .def_readonly("n_events", &engage::survival_curve::n_events)
      .def_readonly("dropped", &engage::survival_curve::dropped)
      .def_readonly("median", &engage::survival_curve::median)
      .def_readonly("median_low", &engage::survival_curve::median_low)
      .def_readonly("median_high", &engage::survival_curve::median_high)
      .def_readonly("median_defined", &engage::survival_curve::median_defined)
      .def_readonly("confidence_level", &engage::survival_curve::confidence_level)
      .def_property_readonly("conf_type",
                             [](const engage::survival_curve& c) { return std::string(engage::to_string(c.conf_type)); })
      .def("table", &curve_table, "The curve at every distinct time, as a dict of numpy arrays.");

  m.def(
      "kaplan_meier",
      [](const double_array& duration, const double_array& event, double confidence_level,
         const std::string& conf_type, const std::string& nan_policy) {
        const auto d = view(duration);
        const auto e = view(event);
        engage::kaplan_meier_options o;
        o.confidence_level = confidence_level;
        o.conf_type = engage::parse_survival_ci_type(conf_type);
        o.nan_policy = engage::parse_survival_nan_policy(nan_policy);
        const py::gil_scoped_release release;  // safe: sorts and sweeps numpy memory only
        return engage::kaplan_meier(d, e, o);
      },
      "duration"_a, "event"_a, py::kw_only(), "confidence_level"_a = 0.95, "conf_type"_a = "log",
      "nan_policy"_a = "raise");

  m.def(
      "survival_with_confidence",
      [](const engage::survival_curve& c, double confidence_level, const std::string& conf_type) {
        return engage::with_confidence(c, confidence_level, engage::parse_survival_ci_type(conf_type));
      },
      "curve"_a, "confidence_level"_a, "conf_type"_a);

  m.def(
      "survival_at",
      [](const engage::survival_curve& c, const double_array& times) {
        const auto t = view(times);
        const auto p = engage::survival_at(c, t);
        return py::dict("time"_a = copy_numpy(p.time), "at_risk"_a = copy_numpy(p.at_risk),
                        "events"_a = copy_numpy(p.events), "censored"_a = copy_numpy(p.censored),
                        "survival"_a = copy_numpy(p.survival), "standard_error"_a = copy_numpy(p.standard_error),
                        "low"_a = copy_numpy(p.low), "high"_a = copy_numpy(p.high));
      },
      "curve"_a, "times"_a);

  m.def(
      "kaplan_meier_by",
      [](const double_array& duration, const double_array& event, const int64_array& keys, double confidence_level,
         const std::string& conf_type, const std::string& nan_policy, std::size_t min_group_size,
         std::int64_t parent_stride, engage::release* rel, const std::optional<int64_array>& units, const std::string& table,
         const std::vector<std::string>& measures) {
        const auto d = view(duration);
        const auto e = view(event);
        const auto k = view(keys);
        engage::kaplan_meier_by_options o;
        o.curve.confidence_level = confidence_level;
        o.curve.conf_type = engage::parse_survival_ci_type(conf_type);
        o.curve.nan_policy = engage::parse_survival_nan_policy(nan_policy);
        o.min_group_size = min_group_size;
        o.parent_of = engage::python::parent_of(parent_stride);
        o.publish = engage::python::publication(rel, units, table, measures);
        std::vector<engage::survival_curve_group> groups;
        {
          const py::gil_scoped_release release;  // safe: one pass over numpy memory, no Python objects
          groups = engage::kaplan_meier_by(d, e, k, o);
        }
        // Per group its figures, and every curve stacked in one table (`group` indexes the groups), so that
        // Python builds its frames in one step whatever the number of groups; the curves stay C++ objects.
        const std::size_t ng = groups.size();
        std::vector<std::int64_t> key(ng), n(ng), n_events(ng), group;
        std::vector<std::int8_t> status(ng);
        std::vector<double> median(ng), median_low(ng), median_high(ng);
        std::vector<double> time, survival, se, low, high;
        std::vector<std::int64_t> at_risk, events, censored;
        py::list curves;
        for (std::size_t g = 0; g < ng; ++g) {
          const auto& c = groups[g].curve;
          key[g] = groups[g].key, status[g] = static_cast<std::int8_t>(groups[g].status);
          n[g] = static_cast<std::int64_t>(c.n), n_events[g] = static_cast<std::int64_t>(c.n_events);
          median[g] = c.median, median_low[g] = c.median_low, median_high[g] = c.median_high;
          group.insert(group.end(), c.time.size(), static_cast<std::int64_t>(g));
          const auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
          append(time, c.time), append(at_risk, c.at_risk), append(events, c.events), append(censored, c.censored);
          append(survival, c.survival), append(se, c.standard_error), append(low, c.low), append(high, c.high);
          curves.append(py::cast(std::move(groups[g].curve)));
        }
        py::dict stacked("group"_a = to_numpy(std::move(group)), "time"_a = to_numpy(std::move(time)),
                       "at_risk"_a = to_numpy(std::move(at_risk)), "events"_a = to_numpy(std::move(events)),
                       "censored"_a = to_numpy(std::move(censored)), "survival"_a = to_numpy(std::move(survival)),
                       "standard_error"_a = to_numpy(std::move(se)), "low"_a = to_numpy(std::move(low)),
                       "high"_a = to_numpy(std::move(high)));
        return py::dict("key"_a = to_numpy(std::move(key)), "status"_a = to_numpy(std::move(status)),
                        "n"_a = to_numpy(std::move(n)), "n_events"_a = to_numpy(std::move(n_events)),
                        "median"_a = to_numpy(std::move(median)), "median_low"_a = to_numpy(std::move(median_low)),
                        "median_high"_a = to_numpy(std::move(median_high)), "table"_a = stacked, "curves"_a = curves);
      },
      "duration"_a, "event"_a, "keys"_a, py::kw_only(), "confidence_level"_a = 0.95, "conf_type"_a = "log",
      "nan_policy"_a = "raise", "min_group_size"_a = 5, "parent_stride"_a = 0, ENGAGE_PUBLICATION_ARGS);

  m.def(
      "logrank_test",
      [](const double_array& duration, const double_array& event, const int64_array& keys,
         std::size_t min_group_size, std::int64_t parent_stride, const std::string& nan_policy, engage::release* rel, const std::optional<int64_array>& units, const std::string& table,
         const std::vector<std::string>& measures) {
        const auto d = view(duration);
        const auto e = view(event);
        const auto k = view(keys);
        engage::logrank_options o;
        o.min_group_size = min_group_size;
        o.parent_of = engage::python::parent_of(parent_stride);
        o.nan_policy = engage::parse_survival_nan_policy(nan_policy);
        o.publish = engage::python::publication(rel, units, table, measures);
        engage::logrank_result r;
        {
          const py::gil_scoped_release release;  // safe: works on numpy memory only
          r = engage::logrank_test(d, e, k, o);
        }
        const auto g = r.groups.size();
        std::vector<std::int64_t> key(g), n(g);
        std::vector<double> observed(g), expected(g);
        std::vector<std::int8_t> status(g);
        for (std::size_t i = 0; i < g; ++i) {
          key[i] = r.groups[i].key, n[i] = static_cast<std::int64_t>(r.groups[i].n);
          observed[i] = r.groups[i].observed, expected[i] = r.groups[i].expected;
          status[i] = static_cast<std::int8_t>(r.groups[i].status);
        }
        return py::dict("statistic"_a = r.statistic, "df"_a = r.df, "pvalue"_a = r.pvalue, "n"_a = r.n,
                        "n_events"_a = r.n_events, "dropped"_a = r.dropped, "key"_a = to_numpy(std::move(key)),
                        "group_n"_a = to_numpy(std::move(n)), "observed"_a = to_numpy(std::move(observed)),
                        "expected"_a = to_numpy(std::move(expected)), "status"_a = to_numpy(std::move(status)));
      },
      "duration"_a, "event"_a, "keys"_a, py::kw_only(), "min_group_size"_a = 5, "parent_stride"_a = 0,
      "nan_policy"_a = "raise", ENGAGE_PUBLICATION_ARGS);

  m.def(
      "harrell_concordance",
      [](const double_array& duration, const double_array& event, const double_array& risk,
         const std::string& nan_policy) {
        const auto d = view(duration);
        const auto e = view(event);
        const auto r = view(risk);
        const auto policy = engage::parse_survival_nan_policy(nan_policy);
        engage::survival_concordance c;
        {
          const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory only
          c = engage::harrell_concordance(d, e, r, policy);
        }
        return concordance_dict(c);
      },
      "duration"_a, "event"_a, "risk"_a, py::kw_only(), "nan_policy"_a = "raise");

  py::class_<engage::cox_result>(m, "CoxFit", "A fitted Cox model (engage.CoxPH wraps it).")
      .def_readonly("names", &engage::cox_result::names)
      .def_property_readonly("params", [](const engage::cox_result& r) { return copy_numpy(r.params); })
      .def_property_readonly("standard_errors",
                             [](const engage::cox_result& r) { return copy_numpy(r.standard_errors); })
      .def_property_readonly("z", [](const engage::cox_result& r) { return copy_numpy(r.z); })
      .def_property_readonly("pvalues", [](const engage::cox_result& r) { return copy_numpy(r.pvalues); })
      .def_property_readonly("low", [](const engage::cox_result& r) { return copy_numpy(r.low); })
      .def_property_readonly("high", [](const engage::cox_result& r) { return copy_numpy(r.high); })
      .def_readonly("covariance", &engage::cox_result::covariance)
      .def_property_readonly("means", [](const engage::cox_result& r) { return copy_numpy(r.means); })
      .def_property_readonly("scales", [](const engage::cox_result& r) { return copy_numpy(r.scales); })
      .def_readonly("log_likelihood", &engage::cox_result::log_likelihood)
      .def_readonly("log_likelihood_null", &engage::cox_result::log_likelihood_null)
      .def_readonly("penalty", &engage::cox_result::penalty)
      .def_property_readonly("likelihood_ratio", [](const engage::cox_result& r) { return test_dict(r.likelihood_ratio); })
      .def_property_readonly("wald", [](const engage::cox_result& r) { return test_dict(r.wald); })
      .def_property_readonly("score", [](const engage::cox_result& r) { return test_dict(r.score); })
      .def_property_readonly("concordance", [](const engage::cox_result& r) { return concordance_dict(r.concordance); })
      .def_readonly("n", &engage::cox_result::n)
      .def_readonly("n_events", &engage::cox_result::n_events)
      .def_readonly("dropped", &engage::cox_result::dropped)
      .def_readonly("iterations", &engage::cox_result::iterations)
      .def_readonly("confidence_level", &engage::cox_result::confidence_level)
      .def_readonly("penalizer", &engage::cox_result::penalizer)
      .def_readonly("max_time", &engage::cox_result::max_time)
      .def_property_readonly("baseline_time", [](const engage::cox_result& r) { return copy_numpy(r.baseline_time); })
      .def_property_readonly("baseline_cumulative_hazard",
                             [](const engage::cox_result& r) { return copy_numpy(r.baseline_cumulative_hazard); });

  m.def(
      "cox_ph",
      [](const matrix_array& covariates, const double_array& duration, const double_array& event,
         const std::vector<std::string>& names, const std::string& ties, double penalizer, double eps, int max_iter,
         double confidence_level, const std::string& nan_policy) {
        const auto x = matrix_view(covariates, "covariates");
        const auto d = view(duration);
        const auto e = view(event);
        engage::cox_options o;
        o.ties = engage::parse_cox_ties(ties);
        o.penalizer = penalizer, o.eps = eps, o.max_iter = max_iter, o.confidence_level = confidence_level;
        o.nan_policy = engage::parse_survival_nan_policy(nan_policy);
        o.names = names;
        const py::gil_scoped_release release;  // safe: Newton iterations on numpy memory and C++ copies only
        return engage::cox_ph(x, d, e, o);
      },
      "covariates"_a, "duration"_a, "event"_a, py::kw_only(), "names"_a = std::vector<std::string>{},
      "ties"_a = "efron", "penalizer"_a = 0.0, "eps"_a = 1e-9, "max_iter"_a = 20, "confidence_level"_a = 0.95,
      "nan_policy"_a = "raise");

  m.def(
      "cox_partial_hazard",
      [](const engage::cox_result& fit, const matrix_array& covariates) {
        const auto x = matrix_view(covariates, "covariates");
        Eigen::VectorXd out;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          out = engage::cox_partial_hazard(fit, x);
        }
        return copy_numpy(out);
      },
      "fit"_a, "covariates"_a);

  m.def(
      "cox_survival",
      [](const engage::cox_result& fit, const matrix_array& covariates, const double_array& times) {
        const auto x = matrix_view(covariates, "covariates");
        const auto t = view(times);
        engage::row_matrix out;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          out = engage::cox_survival(fit, x, t);
        }
        return out;
      },
      "fit"_a, "covariates"_a, "times"_a);

  m.def(
      "cox_churn_probability",
      [](const engage::cox_result& fit, const matrix_array& covariates, double horizon) {
        const auto x = matrix_view(covariates, "covariates");
        Eigen::VectorXd out;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          out = engage::cox_churn_probability(fit, x, horizon);
        }
        return copy_numpy(out);
      },
      "fit"_a, "covariates"_a, "horizon"_a);
  m.def(
      "expected_events_by",
      [](const double_array& probability, const int64_array& keys, const std::optional<double_array>& observed,
         double confidence_level, std::size_t min_group_size, std::int64_t parent_stride, engage::release* rel, const std::optional<int64_array>& units, const std::string& table,
         const std::vector<std::string>& measures) {
        const auto pr = view(probability);
        const auto k = view(keys);
        engage::expected_events_options o;
        o.confidence_level = confidence_level;
        o.min_group_size = min_group_size;
        o.parent_of = engage::python::parent_of(parent_stride);
        o.publish = engage::python::publication(rel, units, table, measures);
        std::vector<engage::expected_events_group> groups;
        {
          std::optional<engage::vector_view> obs;
          if (observed) obs.emplace(view(*observed));
          const py::gil_scoped_release release;  // safe: one pass over numpy memory, no Python objects
          groups = engage::expected_events_by(pr, k, o, obs ? &*obs : nullptr);
        }
        const auto g = groups.size();
        std::vector<std::int64_t> key(g), n(g);
        std::vector<double> expected(g), se(g), low(g), high(g), obs_sum(g);
        std::vector<std::int8_t> status(g);
        for (std::size_t i = 0; i < g; ++i) {
          key[i] = groups[i].key, n[i] = static_cast<std::int64_t>(groups[i].n);
          expected[i] = groups[i].expected, se[i] = groups[i].standard_error;
          low[i] = groups[i].low, high[i] = groups[i].high, obs_sum[i] = groups[i].observed;
          status[i] = static_cast<std::int8_t>(groups[i].status);
        }
        return py::dict("key"_a = to_numpy(std::move(key)), "n"_a = to_numpy(std::move(n)),
                        "expected"_a = to_numpy(std::move(expected)), "standard_error"_a = to_numpy(std::move(se)),
                        "low"_a = to_numpy(std::move(low)), "high"_a = to_numpy(std::move(high)),
                        "observed"_a = to_numpy(std::move(obs_sum)), "status"_a = to_numpy(std::move(status)));
      },
      "probability"_a, "keys"_a, py::kw_only(), "observed"_a = py::none(), "confidence_level"_a = 0.95,
      "min_group_size"_a = 5, "parent_stride"_a = 0, ENGAGE_PUBLICATION_ARGS);
}
