// Linkage bindings: weighted unit-level correlation and the top- vs bottom-quartile comparison.
#include "pybind11.hpp"

#include <engage/linkage.hpp>
#include <optional>
#include <string>

using engage::python::double_array;
using engage::python::to_numpy;
using engage::python::view;

void bind_linkage(py::module_& m) {
  m.def(
      "linkage_weighted_correlation",
      [](const double_array& x, const double_array& y, const std::optional<double_array>& weights,
         double confidence_level, const std::string& alternative) {
        const auto vx = view(x);
        const auto vy = view(y);
        using map = Eigen::Map<const Eigen::VectorXd>;
        const map vw = weights ? view(*weights) : map(nullptr, 0);
        const auto alt = engage::parse_correlation_alternative(alternative);
        engage::weighted_correlation_result r{};
        {
          const py::gil_scoped_release release;  // safe: O(n) on numpy memory, touches no Python object
          r = engage::weighted_correlation(vx, vy, vw, confidence_level, alt);  // empty vw: equal weights
        }
        return py::dict("statistic"_a = r.statistic, "pvalue"_a = r.pvalue, "test_statistic"_a = r.test_statistic,
                        "df"_a = r.df, "n"_a = r.n, "effective_n"_a = r.effective_n, "low"_a = r.ci.low,
                        "high"_a = r.ci.high, "confidence_level"_a = r.confidence_level,
                        "alternative"_a = std::string(engage::to_string(r.alternative)));
      },
      "x"_a, "y"_a, "weights"_a = py::none(), "confidence_level"_a = 0.95, "alternative"_a = "two-sided",
      "Weighted Pearson r with t test and Fisher interval on Kish's effective number of units.");

  m.def(
      "linkage_quartile_comparison",
      [](const double_array& measure, const double_array& outcome, double confidence_level) {
        const auto vm = view(measure);
        const auto vo = view(outcome);
        engage::quartile_comparison_result q{};
        {
          const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory, touches no Python object
          q = engage::quartile_comparison(vm, vo, confidence_level);
        }
        return py::dict("q1"_a = q.q1, "q3"_a = q.q3, "n_bottom"_a = q.n_bottom, "n_top"_a = q.n_top,
                        "mean_bottom"_a = q.mean_bottom, "mean_top"_a = q.mean_top, "sd_bottom"_a = q.sd_bottom,
                        "sd_top"_a = q.sd_top, "difference"_a = q.difference, "standard_error"_a = q.standard_error,
                        "df"_a = q.df, "test_statistic"_a = q.test_statistic, "pvalue"_a = q.pvalue,
                        "low"_a = q.ci.low, "high"_a = q.ci.high, "relative_difference"_a = q.relative_difference,
                        "confidence_level"_a = q.confidence_level);
      },
      "measure"_a, "outcome"_a, "confidence_level"_a = 0.95,
      "Top- vs bottom-quartile difference of the outcome with the Welch interval.");

  m.def(
      "linkage_fit_line_band",
      [](const double_array& x, const double_array& y, const double_array& at,
         const std::optional<double_array>& weights, double confidence_level) {
        using map = Eigen::Map<const Eigen::VectorXd>;
        const auto vx = view(x);
        const auto vy = view(y);
        const auto va = view(at);
        const map vw = weights ? view(*weights) : map(nullptr, 0);
        engage::fitted_line f{};
        {
          const py::gil_scoped_release release;  // safe: O(n) on numpy memory, touches no Python object
          f = engage::fit_line_band(vx, vy, vw, va, confidence_level);
        }
        return py::dict("intercept"_a = f.intercept, "slope"_a = f.slope, "residual_sd"_a = f.residual_sd,
                        "df"_a = f.df, "at"_a = to_numpy(std::move(f.at)), "fit"_a = to_numpy(std::move(f.fit)),
                        "low"_a = to_numpy(std::move(f.low)), "high"_a = to_numpy(std::move(f.high)),
                        "confidence_level"_a = f.confidence_level);
      },
      "x"_a, "y"_a, "at"_a, "weights"_a = py::none(), "confidence_level"_a = 0.95,
      "Least-squares line (weighted when asked) with the pointwise confidence band of the mean at `at`.");
}
