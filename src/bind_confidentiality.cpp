// The release engine: engage._core.Release (the tables of one release, decided jointly) and suppress().
#include "pybind11.hpp"

#include <engage/confidentiality.hpp>

using engage::python::double_array;
using engage::python::int64_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

py::dict decision_dict(const engage::release_decision& d) {
  std::vector<std::int8_t> status(d.status.size());
  std::vector<std::int64_t> n(d.n.size());
  std::vector<std::uint8_t> unanimous(d.unanimous.begin(), d.unanimous.end());
  for (std::size_t i = 0; i < status.size(); ++i) status[i] = static_cast<std::int8_t>(d.status[i]);
  for (std::size_t i = 0; i < n.size(); ++i) n[i] = static_cast<std::int64_t>(d.n[i]);
  std::vector<std::uint8_t> totals(d.totals_known.begin(), d.totals_known.end());
  return py::dict("status"_a = to_numpy(std::move(status)), "n"_a = to_numpy(std::move(n)),
                  "unanimous"_a = to_numpy(std::move(unanimous)), "totals_known"_a = to_numpy(std::move(totals)));
}

template <class T, class A>
std::vector<T> to_vector(const std::optional<A>& a) {
  if (!a) return {};
  const auto v = view(*a);
  return std::vector<T>(v.data(), v.data() + v.size());
}

/// A release table from the numpy columns of its entries.
engage::release_table table_of(const std::string& name, std::size_t cells, const int64_array& unit,
                               const int64_array& cell, const int64_array& measure,
                               const std::optional<int64_array>& category, const std::vector<std::string>& labels) {
  engage::release_table t;
  t.name = name;
  t.cells = cells;
  t.cell_labels = labels;
  t.unit = to_vector<std::int64_t>(std::optional<int64_array>(unit));
  t.cell = to_vector<std::int64_t>(std::optional<int64_array>(cell));
  t.measure = to_vector<std::int64_t>(std::optional<int64_array>(measure));
  const auto k = to_vector<std::int64_t>(category);
  t.category.assign(k.begin(), k.end());
  return t;
}

}  // namespace

void bind_confidentiality(py::module_& m) {
  py::class_<engage::release>(m, "Release", "The tables published together, decided jointly (engage::release).")
      .def(py::init([](std::size_t min_group_size, std::size_t min_distribution_size) {
             return engage::release({min_group_size, min_distribution_size});
           }),
           "min_group_size"_a = 5, "min_distribution_size"_a = 10)
      .def_property_readonly("min_group_size", [](const engage::release& r) { return r.options().min_group_size; })
      .def_property_readonly("min_distribution_size",
                             [](const engage::release& r) { return r.options().min_distribution_size; })
      .def_property_readonly("seconds", &engage::release::seconds, "Seconds spent deciding tables.")
      .def("measure", &engage::release::measure, "name"_a, "The id of a named measure.")
      .def("table_names", &engage::release::table_names)
      .def("decision", [](const engage::release& r, std::size_t i) { return decision_dict(r.decision(i)); }, "i"_a)
      .def(
          "publish",
          [](engage::release& r, const std::string& name, std::size_t cells, const int64_array& unit,
             const int64_array& cell, const int64_array& measure, const std::optional<int64_array>& category,
             const std::optional<double_array>& effective_n, const std::optional<int64_array>& parent,
             const std::vector<std::string>& cell_labels) {
            auto t = table_of(name, cells, unit, cell, measure, category, cell_labels);
            t.effective_n = to_vector<double>(effective_n);
            t.parent = to_vector<std::int64_t>(parent);
            engage::release_decision d;
            {
              const py::gil_scoped_release unlock;  // the release locks itself; no Python objects touched
              d = r.publish(std::move(t));
            }
            return decision_dict(d);
          },
          "name"_a, "cells"_a, "unit"_a, "cell"_a, "measure"_a, py::kw_only(), "category"_a = py::none(),
          "effective_n"_a = py::none(), "parent"_a = py::none(), "cell_labels"_a = std::vector<std::string>{},
          "Offers one table (one entry per answer behind its figures); returns the decision on its cells.")
      .def(
          "record",
          [](engage::release& r, const std::string& name, std::size_t cells, const int64_array& unit,
             const int64_array& cell, const int64_array& measure, const int64_array& status,
             const std::optional<int64_array>& category, const std::vector<std::string>& cell_labels) {
            auto t = table_of(name, cells, unit, cell, measure, category, cell_labels);
            const auto st = view(status);
            std::vector<engage::suppression> states(static_cast<std::size_t>(st.size()));
            for (Eigen::Index i = 0; i < st.size(); ++i) {
              if (st[i] < 0 || st[i] > 4) engage::detail::fail_at("status", std::size_t(i), double(st[i]), "not a state");
              states[std::size_t(i)] = static_cast<engage::suppression>(st[i]);
            }
            r.record(std::move(t), states);
          },
          "name"_a, "cells"_a, "unit"_a, "cell"_a, "measure"_a, "status"_a, py::kw_only(), "category"_a = py::none(),
          "cell_labels"_a = std::vector<std::string>{},
          "Records a table published outside the release (with its states), for the audit.")
      .def("decision_alone", [](const engage::release& r, std::size_t i) { return decision_dict(r.decision_alone(i)); },
           "i"_a, "The decision table i would get as a release of its own.")
      .def(
          "audit",
          [](const engage::release& r) {
            std::vector<engage::release_finding> found;
            {
              const py::gil_scoped_release unlock;
              found = r.audit();
            }
            py::list out;
            for (const auto& f : found) {
              py::list combo;
              for (const auto& [t, c, coef] : f.combination) combo.append(py::make_tuple(t, c, coef));
              out.append(py::dict("table"_a = f.table, "cell"_a = f.cell, "label"_a = f.label, "n"_a = f.n,
                                  "what"_a = f.what, "combination"_a = combo, "determined_by"_a = f.determined_by));
            }
            return out;
          },
          "Hidden primary cells and small classes of respondents that the published cells determine.")
      .def(
          "structure",
          [](const engage::release& r) {
            const auto s = r.export_structure();
            auto csr = [](const std::vector<engage::detail::sparse_row>& rows) {
              std::vector<std::int64_t> indptr{0}, indices;
              for (const auto& row : rows) {
                for (const auto& e : row) indices.push_back(e.first);
                indptr.push_back(static_cast<std::int64_t>(indices.size()));
              }
              return py::make_tuple(to_numpy(std::move(indptr)), to_numpy(std::move(indices)));
            };
            std::size_t k = 0;
            for (const auto& c : s.coordinate_counts) k = std::max(k, c.size());
            py::array_t<std::int64_t> counts({static_cast<py::ssize_t>(s.coordinate_counts.size()),
                                              static_cast<py::ssize_t>(k)});
            auto a = counts.mutable_unchecked<2>();
            for (std::size_t i = 0; i < s.coordinate_counts.size(); ++i)
              for (std::size_t j = 0; j < k; ++j)
                a(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(j)) =
                    j < s.coordinate_counts[i].size() ? static_cast<std::int64_t>(s.coordinate_counts[i][j]) : 0;
            std::vector<std::int64_t> size(s.coordinate_size.begin(), s.coordinate_size.end());
            std::vector<std::int64_t> ht, hc;
            for (const auto& [t, c] : s.hidden_cells) ht.push_back(static_cast<std::int64_t>(t)), hc.push_back(c);
            return py::dict("size"_a = to_numpy(std::move(size)),
                            "measure"_a = to_numpy(std::vector<std::int64_t>(s.coordinate_measure)),
                            "counts"_a = counts, "published"_a = csr(s.published), "hidden"_a = csr(s.hidden),
                            "hidden_table"_a = to_numpy(std::move(ht)), "hidden_cell"_a = to_numpy(std::move(hc)));
          },
          "Coordinates (respondent classes x measures), their category counts and the published and hidden rows.")
      .def("cell_label", &engage::release::cell_label, "table"_a, "cell"_a);

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
}
