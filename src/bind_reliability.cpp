// Reliability bindings: Cronbach's alpha (with psych's companions and item statistics), its Feldt and bootstrap
// intervals, omega_total, and alpha per group.
#include "pybind11.hpp"

#include <engage/reliability.hpp>

using engage::python::int64_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

/// 2-D float64 item matrix (rows = respondents), viewed without a copy when already C-contiguous float64.
using item_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

Eigen::Map<const engage::row_matrix> items_view(const item_array& a) {
  if (a.ndim() != 2) {
    throw engage::invalid_input("items must be two-dimensional (rows = respondents, columns = items); got " +
                                std::to_string(a.ndim()) + " dimension(s)");
  }
  return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

const char* policy_name(engage::missing_policy m) {
  return m == engage::missing_policy::pairwise ? "pairwise" : "listwise";
}

py::array_t<double> array_of(const std::vector<double>& v) { return to_numpy(std::vector<double>(v)); }

}  // namespace

void bind_reliability(py::module_& m) {
  m.attr("omega_total_formula") = engage::omega_total_formula;

  m.def(
      "cronbach_alpha",
      [](const item_array& items, const std::string& missing) {
        const auto x = items_view(items);
        const auto policy = engage::parse_missing_policy(missing);
        engage::cronbach_alpha_result r{};
        {
          const py::gil_scoped_release release;  // safe: one pass over numpy memory, no Python objects
          r = engage::cronbach_alpha(x, policy);
        }
        const auto& s = r.items;
        std::vector<std::int64_t> n(s.n.begin(), s.n.end());
        py::dict item_stats("n"_a = to_numpy(std::move(n)), "mean"_a = array_of(s.mean), "sd"_a = array_of(s.sd),
                            "raw_r"_a = array_of(s.raw_r), "std_r"_a = array_of(s.std_r), "r_cor"_a = array_of(s.r_cor),
                            "r_drop"_a = array_of(s.r_drop), "alpha_if_dropped"_a = array_of(s.alpha_if_dropped),
                            "std_alpha_if_dropped"_a = array_of(s.std_alpha_if_dropped),
                            "g6_if_dropped"_a = array_of(s.g6_if_dropped),
                            "average_r_if_dropped"_a = array_of(s.average_r_if_dropped),
                            "signal_to_noise_if_dropped"_a = array_of(s.signal_to_noise_if_dropped),
                            "standard_error_if_dropped"_a = array_of(s.standard_error_if_dropped),
                            "var_r_if_dropped"_a = array_of(s.var_r_if_dropped),
                            "median_r_if_dropped"_a = array_of(s.median_r_if_dropped));
        return py::dict("statistic"_a = r.statistic, "standardized"_a = r.standardized, "g6"_a = r.g6,
                        "average_r"_a = r.average_r, "median_r"_a = r.median_r,
                        "signal_to_noise"_a = r.signal_to_noise, "standard_error"_a = r.standard_error,
                        "mean"_a = r.mean, "sd"_a = r.sd, "n"_a = r.n, "n_items"_a = r.n_items,
                        "missing"_a = r.missing, "rows_dropped"_a = r.rows_dropped,
                        "missing_policy"_a = policy_name(r.missing_data), "covariance"_a = r.covariance,
                        "correlation"_a = r.correlation, "item_stats"_a = item_stats);
      },
      "items"_a, "missing"_a = "pairwise", "Cronbach's alpha with psych's companions (dict of figures and arrays).");

  m.def(
      "cronbach_alpha_feldt",
      [](double statistic, std::uint64_t n, std::uint64_t n_items, double confidence_level) {
        const auto ci = engage::cronbach_alpha_feldt_interval(statistic, n, n_items, confidence_level);
        return py::make_tuple(ci.low, ci.high);
      },
      "statistic"_a, "n"_a, "n_items"_a, "confidence_level"_a = 0.95, "Feldt interval for alpha: (low, high).");

  m.def(
      "cronbach_alpha_bootstrap",
      [](const item_array& items, const std::string& missing, double confidence_level, std::size_t n_resamples,
         std::uint64_t seed) {
        const auto x = items_view(items);
        const auto policy = engage::parse_missing_policy(missing);
        engage::interval ci{};
        {
          const py::gil_scoped_release release;  // safe: O(n * resamples) on numpy memory only
          ci = engage::cronbach_alpha_bootstrap_interval(x, policy, confidence_level, n_resamples, seed);
        }
        return py::make_tuple(ci.low, ci.high);
      },
      "items"_a, "missing"_a = "pairwise", "confidence_level"_a = 0.95, "n_resamples"_a = 1000, "seed"_a = 0,
      "Percentile bootstrap interval for alpha (rows resampled): (low, high).");

  m.def(
      "omega",
      [](const item_array& items, const std::string& missing) {
        const auto x = items_view(items);
        const auto policy = engage::parse_missing_policy(missing);
        engage::omega_result o{};
        {
          const py::gil_scoped_release release;  // safe: one pass over numpy memory, then a k x k fit
          o = engage::omega(x, policy);
        }
        return py::dict("omega_total"_a = o.omega_total, "omega_total_model"_a = o.omega_total_model,
                        "explained_variance"_a = o.explained_variance,
                        "explained_variance_ratio"_a = o.explained_variance_ratio,
                        "loadings"_a = array_of(o.loadings), "uniquenesses"_a = array_of(o.uniquenesses),
                        "heywood"_a = o.heywood, "n"_a = o.n, "n_items"_a = o.n_items, "missing"_a = o.missing,
                        "rows_dropped"_a = o.rows_dropped, "missing_policy"_a = policy_name(o.missing_data),
                        "correlation"_a = o.correlation, "iterations"_a = o.fit.iterations,
                        "max_gradient"_a = o.fit.max_gradient, "objective"_a = o.fit.objective);
      },
      "items"_a, "missing"_a = "pairwise", "omega_total from a one-factor minres fit (dict).");

  m.def(
      "cronbach_alpha_by",
      [](const item_array& items, const int64_array& keys, const std::string& missing, double confidence_level,
         std::size_t min_group_size, std::int64_t parent_stride, bool show_suppressed_n, engage::release* rel,
         const std::optional<int64_array>& units, const std::string& table, const std::vector<std::string>& measures) {
        const auto x = items_view(items);
        const auto k = view(keys);
        engage::alpha_by_options o;
        o.missing = engage::parse_missing_policy(missing);
        o.confidence_level = confidence_level;
        o.min_group_size = min_group_size;
        o.parent_of = engage::python::parent_of(parent_stride);
        o.show_suppressed_n = show_suppressed_n;
        o.publish = engage::python::publication(rel, units, table, measures);
        std::vector<engage::alpha_group_row> rows;
        {
          const py::gil_scoped_release release;  // safe: one pass over numpy memory, no Python objects
          rows = engage::cronbach_alpha_by(x, k, o);
        }
        const auto g = rows.size();
        std::vector<std::int64_t> key(g), n(g), dropped(g);
        std::vector<double> alpha(g), standardized(g), average_r(g), se(g), low(g), high(g);
        std::vector<std::int8_t> status(g), note(g);
        for (std::size_t i = 0; i < g; ++i) {
          const auto& r = rows[i];
          key[i] = r.key, n[i] = static_cast<std::int64_t>(r.n), dropped[i] = static_cast<std::int64_t>(r.rows_dropped);
          alpha[i] = r.statistic, standardized[i] = r.standardized, average_r[i] = r.average_r;
          se[i] = r.standard_error, low[i] = r.ci.low, high[i] = r.ci.high;
          status[i] = static_cast<std::int8_t>(r.status), note[i] = static_cast<std::int8_t>(r.note);
        }
        py::list notes;
        for (int i = 0; i <= static_cast<int>(engage::alpha_note::constant_item); ++i) {
          notes.append(engage::to_string(static_cast<engage::alpha_note>(i)));
        }
        return py::dict("key"_a = to_numpy(std::move(key)), "n"_a = to_numpy(std::move(n)),
                        "rows_dropped"_a = to_numpy(std::move(dropped)), "alpha"_a = to_numpy(std::move(alpha)),
                        "standardized"_a = to_numpy(std::move(standardized)),
                        "average_r"_a = to_numpy(std::move(average_r)), "standard_error"_a = to_numpy(std::move(se)),
                        "low"_a = to_numpy(std::move(low)), "high"_a = to_numpy(std::move(high)),
                        "status"_a = to_numpy(std::move(status)), "note"_a = to_numpy(std::move(note)),
                        "note_labels"_a = notes);
      },
      "items"_a, "keys"_a, py::kw_only(), "missing"_a = "listwise", "confidence_level"_a = 0.95,
      "min_group_size"_a = 5, "parent_stride"_a = 0, "show_suppressed_n"_a = false, ENGAGE_PUBLICATION_ARGS,
      "Alpha per group under the confidentiality rules (dict of columns).");
}
