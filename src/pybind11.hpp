#pragma once
// The one pybind11 include of every binding translation unit (consistent type casters, no ODR surprises).
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <engage/confidentiality.hpp>
#include <functional>

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

/// How a grouped binding publishes its table: in the caller's release (with one respondent id per row) or,
/// with `release` None, as a release of its own.
inline engage::publication publication(engage::release* release, const std::optional<int64_array>& units,
                                       std::string table, std::vector<std::string> measures) {
  engage::publication p;
  p.in = release;
  if (units) {
    if (units->ndim() != 1) throw py::value_error("units: expected a 1-D array");
    p.units = {units->data(), static_cast<std::size_t>(units->size())};
  }
  p.table = std::move(table);
  p.measures = std::move(measures);
  return p;
}

/// The parent of a combined group key built as parent * stride + child (floor division keeps negative parents
/// apart); unset for stride 0 (a single grouping column).
inline std::function<std::int64_t(std::int64_t)> parent_of(std::int64_t stride) {
  if (stride <= 0) return {};
  return [stride](std::int64_t key) { return key >= 0 ? key / stride : -((-key - 1) / stride) - 1; };
}

/// The keyword arguments every grouped binding takes for its publication.
#define ENGAGE_PUBLICATION_ARGS \
  "release"_a = py::none(), "units"_a = py::none(), "table"_a = "", "measures"_a = std::vector<std::string>{}

}  // namespace engage::python
