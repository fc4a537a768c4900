// Within-group agreement bindings: the grouped rwg / rwg(j) / r*wg(j) / AD / a_wg tables and the ICCs.
#include "pybind11.hpp"

#include <engage/agreement.hpp>

using engage::python::double_array;
using engage::python::int64_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

/// 1-D (one item) or 2-D (respondents x items) C-order float64 data as a row-major view, without a copy.
Eigen::Map<const engage::row_matrix> matrix(const double_array& a) {
  if (a.ndim() == 1) return {a.data(), static_cast<Eigen::Index>(a.shape(0)), 1};
  if (a.ndim() == 2) return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
  throw engage::invalid_input("items must be 1-D (one item) or 2-D (respondents x items); got " +
                              std::to_string(a.ndim()) + " dimensions");
}

engage::agreement_options options(const std::string& missing, std::size_t min_group_size, std::int64_t parent_stride,
                                  bool show_suppressed_n, engage::publication publish) {
  engage::agreement_options o;
  o.missing = engage::parse_missing_policy(missing);
  o.min_group_size = min_group_size;
  o.parent_of = engage::python::parent_of(parent_stride);
  o.show_suppressed_n = show_suppressed_n;
  o.publish = std::move(publish);
  return o;
}

/// Widest difference two answers may have on an A-point scale (A - 1); A = 0 means unchecked.
double max_span(int scale_points) {
  if (scale_points < 0 || scale_points == 1) {
    throw engage::invalid_input("scale_points = " + std::to_string(scale_points) +
                                ": a scale needs at least 2 points (0 = not checked)");
  }
  return scale_points == 0 ? std::numeric_limits<double>::infinity() : static_cast<double>(scale_points - 1);
}

/// Runs `table()` without the GIL and returns the rows as columns (one numpy array per field).
template <class Table>
py::dict columns(Table&& table) {
  std::vector<engage::agreement_row> rows;
  {
    const py::gil_scoped_release release;  // safe: one pass over numpy memory, no Python objects touched
    rows = table();
  }
  const auto g = rows.size();
  std::vector<std::int64_t> key(g), n(g), missing(g), items(g);
  std::vector<double> statistic(g), variance(g);
  std::vector<std::int8_t> status(g);
  for (std::size_t i = 0; i < g; ++i) {
    const auto& r = rows[i];
    key[i] = r.key, statistic[i] = r.statistic, variance[i] = r.variance;
    n[i] = static_cast<std::int64_t>(r.n), missing[i] = static_cast<std::int64_t>(r.missing);
    items[i] = static_cast<std::int64_t>(r.items), status[i] = static_cast<std::int8_t>(r.status);
  }
  return py::dict("key"_a = to_numpy(std::move(key)), "statistic"_a = to_numpy(std::move(statistic)),
                  "variance"_a = to_numpy(std::move(variance)), "n"_a = to_numpy(std::move(n)),
                  "missing"_a = to_numpy(std::move(missing)), "items"_a = to_numpy(std::move(items)),
                  "status"_a = to_numpy(std::move(status)));
}

}  // namespace

void bind_agreement(py::module_& m) {
  m.def(
      "agreement_null_variance",
      [](int scale_points, const std::string& shape) {
        return engage::null_variance(scale_points, engage::parse_null_distribution(shape));
      },
      "scale_points"_a, "shape"_a = "uniform", "sigma_E^2 of a null response distribution on an A-point scale.");

  m.def(
      "agreement_rwg",
      [](const double_array& x, const int64_array& keys, double null_variance, const std::string& missing,
         std::size_t min_group_size, std::int64_t parent_stride, bool show_suppressed_n, int scale_points, engage::release* rel, const std::optional<int64_array>& units,
         const std::string& table, const std::vector<std::string>& measures) {
        const auto xv = view(x);
        const auto k = view(keys);
        auto o = options(missing, min_group_size, parent_stride, show_suppressed_n,
                         engage::python::publication(rel, units, table, measures));
        o.max_span = max_span(scale_points);
        return columns([&] { return engage::rwg(xv, k, null_variance, o); });
      },
      "x"_a, "keys"_a, py::kw_only(), "null_variance"_a = 2.0, "missing"_a = "listwise", "min_group_size"_a = 5,
      "parent_stride"_a = 0, "show_suppressed_n"_a = false, "scale_points"_a = 0, ENGAGE_PUBLICATION_ARGS,
      "rwg per group (columns); scale_points > 0 checks that answers fit on that many points.");

  m.def(
      "agreement_rwg_j",
      [](const double_array& items, const int64_array& keys, double null_variance, bool lindell,
         const std::string& missing, std::size_t min_group_size, std::int64_t parent_stride, bool show_suppressed_n,
         int scale_points, engage::release* rel, const std::optional<int64_array>& units,
         const std::string& table, const std::vector<std::string>& measures) {
        const auto xv = matrix(items);
        const auto k = view(keys);
        auto o = options(missing, min_group_size, parent_stride, show_suppressed_n,
                         engage::python::publication(rel, units, table, measures));
        o.max_span = max_span(scale_points);
        return columns([&] {
          return lindell ? engage::rwg_j_lindell(xv, k, null_variance, o) : engage::rwg_j(xv, k, null_variance, o);
        });
      },
      "items"_a, "keys"_a, py::kw_only(), "null_variance"_a = 2.0, "lindell"_a = false, "missing"_a = "listwise",
      "min_group_size"_a = 5, "parent_stride"_a = 0, "show_suppressed_n"_a = false, "scale_points"_a = 0, ENGAGE_PUBLICATION_ARGS,
      "rwg(j) (James et al.) or r*wg(j) (Lindell et al.) per group (columns); scale_points > 0 checks the answers.");

  m.def(
      "agreement_ad",
      [](const double_array& items, const int64_array& keys, const std::string& type, const std::string& missing,
         std::size_t min_group_size, std::int64_t parent_stride, bool show_suppressed_n, engage::release* rel, const std::optional<int64_array>& units,
         const std::string& table, const std::vector<std::string>& measures) {
        const auto xv = matrix(items);
        const auto k = view(keys);
        const auto center = engage::parse_ad_center(type);
        const auto o = options(missing, min_group_size, parent_stride, show_suppressed_n,
                         engage::python::publication(rel, units, table, measures));
        return columns([&] { return engage::ad_index(xv, k, center, o); });
      },
      "items"_a, "keys"_a, py::kw_only(), "type"_a = "mean", "missing"_a = "listwise", "min_group_size"_a = 5,
      "parent_stride"_a = 0, "show_suppressed_n"_a = false, ENGAGE_PUBLICATION_ARGS, "AD_M(J) per group (columns).");

  m.def(
      "agreement_awg",
      [](const double_array& items, const int64_array& keys, const std::array<double, 2>& scale,
         const std::string& missing, std::size_t min_group_size, std::int64_t parent_stride, bool show_suppressed_n, engage::release* rel, const std::optional<int64_array>& units,
         const std::string& table, const std::vector<std::string>& measures) {
        const auto xv = matrix(items);
        const auto k = view(keys);
        const auto o = options(missing, min_group_size, parent_stride, show_suppressed_n,
                         engage::python::publication(rel, units, table, measures));
        return columns([&] { return engage::awg(xv, k, {scale[0], scale[1]}, o); });
      },
      "items"_a, "keys"_a, py::kw_only(), "scale"_a = std::array<double, 2>{1.0, 5.0}, "missing"_a = "listwise",
      "min_group_size"_a = 5, "parent_stride"_a = 0, "show_suppressed_n"_a = false, ENGAGE_PUBLICATION_ARGS, "a_wg per group (columns).");

  py::class_<engage::icc_result>(m, "AgreementIccCore", "One-way ANOVA ICC(1), ICC(2) of a variable by group.")
      .def_readonly("icc1", &engage::icc_result::icc1)
      .def_readonly("icc2", &engage::icc_result::icc2)
      .def_readonly("f", &engage::icc_result::f)
      .def_readonly("pvalue", &engage::icc_result::pvalue)
      .def_readonly("df_between", &engage::icc_result::df_between)
      .def_readonly("df_within", &engage::icc_result::df_within)
      .def_readonly("ms_between", &engage::icc_result::ms_between)
      .def_readonly("ms_within", &engage::icc_result::ms_within)
      .def_readonly("n_groups", &engage::icc_result::n_groups)
      .def_readonly("n", &engage::icc_result::n)
      .def_readonly("missing", &engage::icc_result::missing)
      .def_readonly("mean_group_size", &engage::icc_result::mean_group_size);

  m.def(
      "agreement_icc",
      [](const double_array& x, const int64_array& keys) {
        const auto xv = view(x);
        const auto k = view(keys);
        const py::gil_scoped_release release;  // safe: one pass over numpy memory, no Python objects touched
        return engage::icc(xv, k);
      },
      "x"_a, "keys"_a, "ICC(1) and ICC(2) of x by group.");

  m.def(
      "agreement_icc_interval",
      [](const engage::icc_result& r, const std::string& which, double confidence_level) {
        const auto ci = engage::confidence_interval(r, engage::parse_icc_kind(which), confidence_level);
        return py::make_tuple(ci.low, ci.high);
      },
      "result"_a, "which"_a = "icc1", "confidence_level"_a = 0.95, "F-based interval for ICC(1) or ICC(2).");
}
