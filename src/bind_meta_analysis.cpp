// Hunter-Schmidt meta-analysis bindings: the result, presets and intervals at other levels.
#include "pybind11.hpp"

#include <engage/meta_analysis.hpp>

using engage::python::double_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

Eigen::VectorXd artifact(const std::optional<double_array>& a) {
  if (!a) return {};
  const auto v = view(*a);
  return Eigen::VectorXd(v);
}

py::tuple pair(const engage::interval& i) { return py::make_tuple(i.low, i.high); }

const char* name_of(engage::meta_interval_method m) { return m == engage::meta_interval_method::t ? "t" : "norm"; }

py::dict options_dict(const engage::meta_analysis_options& o) {
  return py::dict("correct_bias"_a = o.correct_bias, "var_unbiased"_a = o.var_unbiased,
                  "error_type"_a = o.error_type == engage::meta_error_type::mean ? "mean" : "mean_n",
                  "conf_method"_a = name_of(o.conf_method), "cred_method"_a = name_of(o.cred_method),
                  "confidence_level"_a = o.confidence_level, "credibility_level"_a = o.credibility_level);
}

/// Study table, one numpy array per column.
py::dict studies_dict(const engage::meta_analysis_result& m) {
  const auto k = m.studies.size();
  std::vector<double> r(k), n(k), rb(k), w(k), lo(k), hi(k), a(k), rho(k), wr(k), ve(k), ver(k), rlo(k), rhi(k);
  for (std::size_t i = 0; i < k; ++i) {
    const auto& s = m.studies[i];
    r[i] = s.r, n[i] = s.n, rb[i] = s.r_bias_corrected, w[i] = s.weight, lo[i] = s.ci.low, hi[i] = s.ci.high;
    a[i] = s.attenuation, rho[i] = s.rho, wr[i] = s.weight_rho, ve[i] = s.var_e, ver[i] = s.var_e_rho;
    rlo[i] = s.ci_rho.low, rhi[i] = s.ci_rho.high;
  }
  return py::dict("r"_a = to_numpy(std::move(r)), "n"_a = to_numpy(std::move(n)),
                  "r_bias_corrected"_a = to_numpy(std::move(rb)), "weight"_a = to_numpy(std::move(w)),
                  "low"_a = to_numpy(std::move(lo)), "high"_a = to_numpy(std::move(hi)),
                  "attenuation"_a = to_numpy(std::move(a)), "rho"_a = to_numpy(std::move(rho)),
                  "weight_rho"_a = to_numpy(std::move(wr)), "var_e"_a = to_numpy(std::move(ve)),
                  "var_e_rho"_a = to_numpy(std::move(ver)), "rho_low"_a = to_numpy(std::move(rlo)),
                  "rho_high"_a = to_numpy(std::move(rhi)));
}

}  // namespace

void bind_meta_analysis(py::module_& m) {
  using R = engage::meta_analysis_result;
  py::class_<R>(m, "MetaAnalysisCore", "Hunter-Schmidt meta-analysis result.")
      .def_readonly("k", &R::k)
      .def_readonly("n_total", &R::n_total)
      .def_readonly("mean_r", &R::mean_r)
      .def_readonly("var_r", &R::var_r)
      .def_readonly("var_e", &R::var_e)
      .def_readonly("var_res", &R::var_res)
      .def_readonly("sd_r", &R::sd_r)
      .def_readonly("sd_e", &R::sd_e)
      .def_readonly("sd_res", &R::sd_res)
      .def_readonly("se_mean_r", &R::se_mean_r)
      .def_readonly("pct_var_sampling_error", &R::pct_var_sampling_error)
      .def_readonly("var_res_truncated", &R::var_res_truncated)
      .def_property_readonly("confidence_interval", [](const R& x) { return pair(x.confidence_interval); })
      .def_property_readonly("credibility_interval", [](const R& x) { return pair(x.credibility_interval); })
      .def_readonly("corrected", &R::corrected)
      .def_readonly("mean_rho", &R::mean_rho)
      .def_readonly("var_r_c", &R::var_r_c)
      .def_readonly("var_e_c", &R::var_e_c)
      .def_readonly("var_rho", &R::var_rho)
      .def_readonly("sd_r_c", &R::sd_r_c)
      .def_readonly("sd_e_c", &R::sd_e_c)
      .def_readonly("sd_rho", &R::sd_rho)
      .def_readonly("se_mean_rho", &R::se_mean_rho)
      .def_readonly("pct_var_artifacts", &R::pct_var_artifacts)
      .def_readonly("var_rho_truncated", &R::var_rho_truncated)
      .def_property_readonly("confidence_interval_rho", [](const R& x) { return pair(x.confidence_interval_rho); })
      .def_property_readonly("credibility_interval_rho", [](const R& x) { return pair(x.credibility_interval_rho); })
      .def_readonly("rho_out_of_range", &R::rho_out_of_range)
      .def_property_readonly("options", [](const R& x) { return options_dict(x.options); })
      .def_property_readonly("studies", &studies_dict);

  m.def(
      "meta_analysis",
      [](const double_array& r, const double_array& n, const std::optional<double_array>& rxx,
         const std::optional<double_array>& ryy, const std::optional<double_array>& ux, bool rxx_restricted,
         bool correct_bias, bool var_unbiased, const std::string& error_type, const std::string& conf_method,
         const std::string& cred_method, double confidence_level, double credibility_level) {
        const auto rv = view(r);
        const auto nv = view(n);
        engage::meta_artifacts a;
        a.rxx = artifact(rxx), a.ryy = artifact(ryy), a.ux = artifact(ux);
        a.rxx_restricted = rxx_restricted;
        engage::meta_analysis_options o;
        o.correct_bias = correct_bias, o.var_unbiased = var_unbiased;
        o.error_type = engage::parse_meta_error_type(error_type);
        o.conf_method = engage::parse_meta_interval_method(conf_method, "conf_method");
        o.cred_method = engage::parse_meta_interval_method(cred_method, "cred_method");
        o.confidence_level = confidence_level, o.credibility_level = credibility_level;
        const py::gil_scoped_release release;  // safe: reads numpy memory and owned copies only
        return engage::meta_analysis(rv, nv, a, o);
      },
      "r"_a, "n"_a, py::kw_only(), "rxx"_a = py::none(), "ryy"_a = py::none(), "ux"_a = py::none(),
      "rxx_restricted"_a = true, "correct_bias"_a = true, "var_unbiased"_a = true, "error_type"_a = "mean",
      "conf_method"_a = "t", "cred_method"_a = "t", "confidence_level"_a = 0.95, "credibility_level"_a = 0.80,
      "Hunter-Schmidt meta-analysis of correlations (see engage.meta_analysis).");

  m.def(
      "meta_analysis_preset",
      [](const std::string& name) { return options_dict(engage::meta_analysis_preset(engage::parse_meta_preset(name))); },
      "preset"_a, "Options of a named preset: 'psychmeta', 'classic' or 'hs_override'.");

  m.def(
      "meta_analysis_interval",
      [](const R& result, const std::string& kind, double level, const std::string& method, bool corrected) {
        const auto mth = engage::parse_meta_interval_method(method);
        if (kind == "confidence") return pair(engage::meta_confidence_interval(result, level, mth, corrected));
        if (kind == "credibility") return pair(engage::meta_credibility_interval(result, level, mth, corrected));
        throw engage::invalid_input("kind = '" + kind + "': expected 'confidence' or 'credibility'");
      },
      "result"_a, "kind"_a, "level"_a, "method"_a, "corrected"_a = false,
      "Confidence or credibility interval of a meta-analysis at another level or method.");
}
