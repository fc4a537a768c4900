// The shared machinery every area uses: grouping codes, the confidentiality engine, p-value adjustment.
#include "pybind11.hpp"

#include <engage/confidentiality.hpp>
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
      "suppress",
      [](const int64_array& n, const std::optional<int64_array>& parent, std::size_t min_group_size) {
        const auto nv = view(n);
        std::vector<std::size_t> sizes(static_cast<std::size_t>(nv.size()));
        for (Eigen::Index i = 0; i < nv.size(); ++i) {
          if (nv[i] < 0) engage::detail::fail_at("n", static_cast<std::size_t>(i), double(nv[i]), "counts must be >= 0");
          sizes[static_cast<std::size_t>(i)] = static_cast<std::size_t>(nv[i]);
        }
        std::vector<std::int64_t> parents;
        if (parent) {
          const auto pv = view(*parent);
          parents.assign(pv.data(), pv.data() + pv.size());
        }
        const auto status = engage::suppress(sizes, parents, min_group_size);
        std::vector<std::int8_t> out(status.size());
        for (std::size_t i = 0; i < status.size(); ++i) out[i] = static_cast<std::int8_t>(status[i]);
        return to_numpy(std::move(out));
      },
      "n"_a, "parent"_a = py::none(), "min_group_size"_a = 5,
      "Suppression status per cell: 0 shown, 1 below the minimum, 2 complementary.");

  m.def(
      "adjust_pvalues",
      [](const double_array& p, const std::string& method) {
        const auto v = view(p);
        return to_numpy(engage::adjust_pvalues(std::vector<double>(v.data(), v.data() + v.size()),
                                               engage::parse_p_adjust_method(method)));
      },
      "p"_a, "method"_a = "holm", "p-values adjusted for multiplicity (R p.adjust definitions).");
}
