// Maps the C++ error vocabulary (errors.hpp) onto Python exception classes.
#include "pybind11.hpp"

#include <engage/errors.hpp>

void bind_errors(py::module_& m) {
  py::register_exception<engage::invalid_input>(m, "InvalidInputError", PyExc_ValueError);
  py::register_exception<engage::insufficient_data>(m, "InsufficientDataError", PyExc_ValueError);
  py::register_exception<engage::convergence_error>(m, "ConvergenceError", PyExc_RuntimeError);
}
