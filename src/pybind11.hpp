#pragma once
// The one pybind11 include of every binding translation unit (consistent type casters, no ODR surprises).
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using namespace py::literals;

namespace engage::python {

/// 1-D float64 input, viewed without a copy when already contiguous float64 (numpy's default).
using double_array = py::array_t<double, py::array::c_style | py::array::forcecast>;
/// 1-D int64 input (group codes, keys).
using int64_array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

/// An owning numpy array from a std::vector (moved, no extra copy on the Python side).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(heap->size()), heap->data(), owner);
}

/// A read-only Eigen view of a 1-D numpy array.
inline Eigen::Map<const Eigen::VectorXd> view(const double_array& a) {
  if (a.ndim() != 1) throw py::value_error("expected a 1-D array, got " + std::to_string(a.ndim()) + " dimensions");
  return {a.data(), static_cast<Eigen::Index>(a.size())};
}
inline Eigen::Map<const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>> view(const int64_array& a) {
  if (a.ndim() != 1) throw py::value_error("expected a 1-D array, got " + std::to_string(a.ndim()) + " dimensions");
  return {a.data(), static_cast<Eigen::Index>(a.size())};
}

}  // namespace engage::python
