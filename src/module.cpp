// engage._core: the private compiled module. Each area binds itself in its own bind_<area>.cpp.
#include "pybind11.hpp"

#include <engage/version.hpp>

void bind_errors(py::module_& m);
void bind_common(py::module_& m);
void bind_confidentiality(py::module_& m);
void bind_enps(py::module_& m);
void bind_datasets(py::module_& m);
void bind_meta_analysis(py::module_& m);
void bind_agreement(py::module_& m);
void bind_engagement(py::module_& m);
void bind_reliability(py::module_& m);
void bind_correlation(py::module_& m);
void bind_survival(py::module_& m);
void bind_logistic(py::module_& m);
void bind_linkage(py::module_& m);

// The core holds no shared mutable state (a Release locks itself), so the module can run without the GIL on
// free-threaded Python.
PYBIND11_MODULE(_core, m, py::mod_gil_not_used()) {
  m.doc() = "engage compiled core (private; use the engage package)";
  m.attr("__version__") = engage::version;
  bind_errors(m);  // first, so every later binding is covered by the exception translators
  bind_common(m);
  bind_confidentiality(m);
  bind_enps(m);
  bind_datasets(m);
  bind_meta_analysis(m);
  bind_agreement(m);
  bind_engagement(m);
  bind_reliability(m);
  bind_correlation(m);
  bind_survival(m);
  bind_logistic(m);
  bind_linkage(m);
}
