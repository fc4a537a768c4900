// Correlation bindings: correlations and partial correlations with their tests, analytic and bootstrap
// intervals, corrections for attenuation and range restriction.
#include "pybind11.hpp"

#include <engage/correlation.hpp>
#include <optional>
#include <string>

using engage::python::double_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

/// 2-D float64 input (rows = observations), viewed without a copy when already C-contiguous float64.
using matrix_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

Eigen::Map<const engage::row_matrix> matrix_view(const matrix_array& a) {
  if (a.ndim() != 2) {
    throw py::value_error("covariates: expected a 2-D array (rows = observations), got " + std::to_string(a.ndim()) +
                          " dimensions");
  }
  return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

py::dict bootstrap_dict(engage::correlation_bootstrap_result&& b) {
  return py::dict("low"_a = b.ci.low, "high"_a = b.ci.high, "confidence_level"_a = b.confidence_level,
                  "method"_a = std::string(engage::to_string(b.method)), "n_resamples"_a = b.n_resamples,
                  "dropped"_a = b.dropped, "degenerate"_a = b.degenerate, "reason"_a = b.reason,
                  "standard_error"_a = b.standard_error, "bias_correction"_a = b.bias_correction,
                  "acceleration"_a = b.acceleration, "bootstrap_distribution"_a = to_numpy(std::move(b.distribution)));
}

py::dict corrected_dict(const engage::corrected_correlation& c) {
  return py::dict("statistic"_a = c.statistic, "clipped"_a = c.clipped, "exceeds_one"_a = c.exceeds_one,
                  "observed"_a = c.observed);
}

}  // namespace

void bind_correlation(py::module_& m) {
  py::class_<engage::correlation_result>(m, "CorrelationResultCore", "A correlation with its test.")
      .def_readonly("statistic", &engage::correlation_result::statistic)
      .def_readonly("pvalue", &engage::correlation_result::pvalue)
      .def_readonly("test_statistic", &engage::correlation_result::test_statistic)
      .def_readonly("df", &engage::correlation_result::df)
      .def_readonly("n", &engage::correlation_result::n)
      .def_readonly("missing", &engage::correlation_result::missing)
      .def_readonly("covariates", &engage::correlation_result::covariates)
      .def_property_readonly("method",
                             [](const engage::correlation_result& r) { return std::string(engage::to_string(r.method)); })
      .def_property_readonly(
          "alternative", [](const engage::correlation_result& r) { return std::string(engage::to_string(r.alternative)); });

  m.def(
      "correlation",
      [](const double_array& x, const double_array& y, const std::string& method, const std::string& alternative) {
        const auto vx = view(x);
        const auto vy = view(y);
        const auto me = engage::parse_correlation_method(method);
        const auto alt = engage::parse_correlation_alternative(alternative);
        const py::gil_scoped_release release;  // safe: O(n log n) on numpy memory, touches no Python object
        return engage::correlation(vx, vy, me, alt);
      },
      "x"_a, "y"_a, "method"_a = "pearson", "alternative"_a = "two-sided",
      "Pearson, Spearman or Kendall tau-b correlation with its test (pairwise-complete).");

  m.def(
      "partial_correlation",
      [](const double_array& x, const double_array& y, const matrix_array& covariates, const std::string& method,
         const std::string& alternative) {
        const auto vx = view(x);
        const auto vy = view(y);
        const auto z = matrix_view(covariates);
        const auto me = engage::parse_correlation_method(method);
        const auto alt = engage::parse_correlation_alternative(alternative);
        const py::gil_scoped_release release;  // safe: O(n k^2) on numpy memory, touches no Python object
        return engage::partial_correlation(vx, vy, z, me, alt);
      },
      "x"_a, "y"_a, "covariates"_a, "method"_a = "pearson", "alternative"_a = "two-sided",
      "Partial correlation of x and y given the covariates (listwise-complete rows).");

  m.def(
      "correlation_from_statistic",
      [](double statistic, std::size_t n, const std::string& method, const std::string& alternative,
         std::size_t covariates) {
        return engage::correlation_from_statistic(statistic, n, engage::parse_correlation_method(method),
                                                  engage::parse_correlation_alternative(alternative), covariates);
      },
      "statistic"_a, "n"_a, "method"_a = "pearson", "alternative"_a = "two-sided", "covariates"_a = 0,
      "A correlation result (test) from a reported coefficient and n.");

  m.def(
      "correlation_confidence_interval",
      [](const engage::correlation_result& r, double confidence_level, const std::optional<std::string>& method) {
        const auto ci = engage::confidence_interval(r, confidence_level,
                                                    engage::parse_correlation_ci_method(method.value_or("")));
        return py::make_tuple(ci.low, ci.high);
      },
      "result"_a, "confidence_level"_a = 0.95, "method"_a = py::none(),
      "Analytic interval (Fisher, Bonett-Wright or Fieller) on the z scale; None picks the method's default.");

  m.def(
      "correlation_bootstrap",
      [](const double_array& x, const double_array& y, const std::string& method, const std::string& alternative,
         double confidence_level, const std::string& ci_method, std::size_t n_resamples, std::uint64_t seed) {
        const auto vx = view(x);
        const auto vy = view(y);
        const auto me = engage::parse_correlation_method(method);
        const auto alt = engage::parse_correlation_alternative(alternative);
        const auto cm = engage::parse_correlation_ci_method(ci_method);
        engage::correlation_bootstrap_result b;
        {
          const py::gil_scoped_release release;  // safe: resamples numpy memory on worker threads, no Python objects
          b = engage::correlation_bootstrap(vx, vy, me, confidence_level, cm, alt, {n_resamples, seed});
        }
        return bootstrap_dict(std::move(b));
      },
      "x"_a, "y"_a, py::kw_only(), "method"_a = "pearson", "alternative"_a = "two-sided", "confidence_level"_a = 0.95,
      "ci_method"_a = "bca", "n_resamples"_a = 9999, "seed"_a = 0,
      "Paired bootstrap interval (percentile or BCa) of a correlation.");

  m.def(
      "partial_correlation_bootstrap",
      [](const double_array& x, const double_array& y, const matrix_array& covariates, const std::string& method,
         const std::string& alternative, double confidence_level, const std::string& ci_method,
         std::size_t n_resamples, std::uint64_t seed) {
        const auto vx = view(x);
        const auto vy = view(y);
        const auto z = matrix_view(covariates);
        const auto me = engage::parse_correlation_method(method);
        const auto alt = engage::parse_correlation_alternative(alternative);
        const auto cm = engage::parse_correlation_ci_method(ci_method);
        engage::correlation_bootstrap_result b;
        {
          const py::gil_scoped_release release;  // safe: resamples numpy memory on worker threads, no Python objects
          b = engage::partial_correlation_bootstrap(vx, vy, z, me, confidence_level, cm, alt, {n_resamples, seed});
        }
        return bootstrap_dict(std::move(b));
      },
      "x"_a, "y"_a, "covariates"_a, py::kw_only(), "method"_a = "pearson", "alternative"_a = "two-sided",
      "confidence_level"_a = 0.95, "ci_method"_a = "bca", "n_resamples"_a = 9999, "seed"_a = 0,
      "Paired bootstrap interval (percentile or BCa) of a partial correlation.");

  m.def(
      "correct_attenuation",
      [](double r, double rxx, double ryy) { return corrected_dict(engage::correct_attenuation(r, rxx, ryy)); },
      "r"_a, "rxx"_a, "ryy"_a = 1.0, "Correction for attenuation r / sqrt(rxx ryy) (flagged when above 1).");

  m.def(
      "correct_range_restriction",
      [](double r, double u) { return corrected_dict(engage::correct_range_restriction(r, u)); }, "r"_a, "u"_a,
      "Thorndike Case II correction for direct range restriction on x; u = SD_restricted / SD_unrestricted.");
}
