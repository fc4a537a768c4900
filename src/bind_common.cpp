// The shared machinery every area uses: grouping codes and p-value adjustment.
#include "pybind11.hpp"

#include <engage/grouping.hpp>
#include <engage/multiplicity.hpp>

using engage::python::double_array;
using engage::python::int64_array;
using engage::python::to_numpy;
using engage::python::view;

void bind_common(py::module_& m) {
  m.def(
      "factorize",
      [](const int64_array& keys) {
        const auto v = view(keys);
        engage::factorized f;
        {
          const py::gil_scoped_release release;  // safe: works on a view of numpy memory, touches no Python object
          f = engage::factorize(v);
        }
        return py::make_tuple(to_numpy(std::move(f.codes)), to_numpy(std::move(f.keys)));
      },
      "keys"_a, "Dense codes 0..G-1 for integer keys: returns (codes, sorted unique keys).");

  m.def(
      "adjust_pvalues",
      [](const double_array& p, const std::string& method) {
        const auto v = view(p);
        return to_numpy(engage::adjust_pvalues(std::vector<double>(v.data(), v.data() + v.size()),
                                               engage::parse_p_adjust_method(method)));
      },
      "p"_a, "method"_a = "holm", "p-values adjusted for multiplicity (R p.adjust definitions).");
}
