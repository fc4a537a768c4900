// Maps the C++ error vocabulary (errors.hpp) onto Python exception classes: one base, EngageError, and each
// error also of the built-in kind Python code expects (ValueError, RuntimeError).
#include "pybind11.hpp"

#include <engage/errors.hpp>

void bind_errors(py::module_& m) {
  const auto base = py::reinterpret_steal<py::object>(PyErr_NewException("engage._core.EngageError", PyExc_Exception, nullptr));
  m.attr("EngageError") = base;
  const auto with = [&](PyObject* builtin) { return py::make_tuple(base, py::handle(builtin)); };
  py::register_exception<engage::invalid_input>(m, "InvalidInputError", with(PyExc_ValueError));
  py::register_exception<engage::insufficient_data>(m, "InsufficientDataError", with(PyExc_ValueError));
  py::register_exception<engage::convergence_error>(m, "ConvergenceError", with(PyExc_RuntimeError));
}
