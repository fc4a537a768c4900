// eNPS bindings: counts (mergeable), one-sample results and intervals, comparisons, the grouped table.
#include "pybind11.hpp"

#include <engage/enps.hpp>
#include <unordered_map>

using engage::python::double_array;
using engage::python::int64_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

engage::enps_breaks to_breaks(const std::array<int, 4>& b) { return {b[0], b[1], b[2], b[3]}; }

const double* weights_ptr(const std::optional<double_array>& w, Eigen::Index n) {
  if (!w) return nullptr;
  const auto v = view(*w);
  engage::detail::require_same_length("weights", static_cast<std::size_t>(v.size()), "scores",
                                      static_cast<std::size_t>(n));
  return v.data();
}

}  // namespace

void bind_enps(py::module_& m) {
  py::class_<engage::enps_counts>(m, "EnpsCounts", "Mergeable eNPS counts (add chunks with +).")
      .def(py::init<>())
      .def_readonly("detractors", &engage::enps_counts::detractors)
      .def_readonly("passives", &engage::enps_counts::passives)
      .def_readonly("promoters", &engage::enps_counts::promoters)
      .def_readonly("missing", &engage::enps_counts::missing)
      .def_readonly("sum_w", &engage::enps_counts::sum_w)
      .def_readonly("sum_w2", &engage::enps_counts::sum_w2)
      .def_readonly("weighted", &engage::enps_counts::weighted)
      .def_property_readonly("n", &engage::enps_counts::n)
      .def("__add__", [](const engage::enps_counts& a, const engage::enps_counts& b) { return a + b; })
      .def("__sub__", [](const engage::enps_counts& a, const engage::enps_counts& b) { return a - b; })
      .def("__eq__",
           [](const engage::enps_counts& a, const engage::enps_counts& b) {
             return a.detractors == b.detractors && a.passives == b.passives && a.promoters == b.promoters &&
                    a.missing == b.missing && a.sum_w == b.sum_w && a.sum_w2 == b.sum_w2 && a.weighted == b.weighted;
           })
      .def(py::pickle(
          [](const engage::enps_counts& c) {
            return py::make_tuple(c.detractors, c.passives, c.promoters, c.missing, c.sum_w, c.sum_w2, c.weighted);
          },
          [](const py::tuple& t) {
            engage::enps_counts c;
            c.detractors = t[0].cast<std::uint64_t>(), c.passives = t[1].cast<std::uint64_t>();
            c.promoters = t[2].cast<std::uint64_t>(), c.missing = t[3].cast<std::uint64_t>();
            c.sum_w = t[4].cast<std::array<double, 3>>(), c.sum_w2 = t[5].cast<std::array<double, 3>>();
            c.weighted = t[6].cast<bool>();
            return c;
          }));

  py::class_<engage::enps_result>(m, "EnpsResultCore", "eNPS of one sample (points).")
      .def_readonly("statistic", &engage::enps_result::statistic)
      .def_readonly("n", &engage::enps_result::n)
      .def_readonly("promoters", &engage::enps_result::promoters)
      .def_readonly("passives", &engage::enps_result::passives)
      .def_readonly("detractors", &engage::enps_result::detractors)
      .def_readonly("missing", &engage::enps_result::missing)
      .def_readonly("proportion_promoters", &engage::enps_result::proportion_promoters)
      .def_readonly("proportion_passives", &engage::enps_result::proportion_passives)
      .def_readonly("proportion_detractors", &engage::enps_result::proportion_detractors)
      .def_readonly("standard_error", &engage::enps_result::standard_error)
      .def_readonly("effective_n", &engage::enps_result::effective_n)
      .def_readonly("fpc", &engage::enps_result::fpc)
      .def_readonly("weighted", &engage::enps_result::weighted)
      .def_readonly("counts", &engage::enps_result::counts);

  m.def(
      "enps_count",
      [](const double_array& scores, const std::optional<double_array>& weights, const std::array<int, 4>& breaks) {
        const auto s = view(scores);
        const double* w = weights_ptr(weights, s.size());
        const py::gil_scoped_release release;  // safe: reads numpy memory only
        return engage::enps_count(s, to_breaks(breaks), w);
      },
      "scores"_a, "weights"_a = py::none(), "breaks"_a = std::array<int, 4>{0, 6, 8, 10});

  m.def(
      "enps_from_counts",
      [](const engage::enps_counts& c, std::optional<double> population_size) {
        return engage::enps_from_counts(c, population_size);
      },
      "counts"_a, "population_size"_a = py::none());

  m.def(
      "enps_confidence_interval",
      [](const engage::enps_result& r, double level, const std::string& method, std::size_t n_resamples,
         std::uint64_t seed) {
        const auto ci = engage::confidence_interval(r, level, engage::parse_enps_ci_method(method),
                                                    engage::bootstrap_options{n_resamples, seed});
        return py::make_tuple(ci.low, ci.high);
      },
      "result"_a, "confidence_level"_a = 0.95, "method"_a = "tango", "n_resamples"_a = 9999, "seed"_a = 0);

  m.def(
      "enps_bootstrap_weighted",
      [](const double_array& scores, const double_array& weights, double level, std::size_t n_resamples,
         std::uint64_t seed, const std::array<int, 4>& breaks) {
        const auto s = view(scores);
        const auto w = view(weights);
        engage::interval ci{};
        {
          const py::gil_scoped_release release;  // safe: O(n * resamples) on numpy memory only
          ci = engage::enps_bootstrap_interval(s, w, level, engage::bootstrap_options{n_resamples, seed},
                                               to_breaks(breaks));
        }
        return py::make_tuple(ci.low, ci.high);
      },
      "scores"_a, "weights"_a, "confidence_level"_a = 0.95, "n_resamples"_a = 9999, "seed"_a = 0,
      "breaks"_a = std::array<int, 4>{0, 6, 8, 10});

  m.def(
      "enps_compare",
      [](const engage::enps_result& a, const engage::enps_result& b) {
        const auto d = engage::enps_compare(a, b);
        return py::dict("difference"_a = d.difference, "standard_error"_a = d.standard_error, "z"_a = d.z,
                        "pvalue"_a = d.pvalue);
      },
      "a"_a, "b"_a);

  m.def(
      "enps_compare_interval",
      [](const engage::enps_result& a, const engage::enps_result& b, double level, const std::string& method) {
        const auto ci =
            engage::enps_compare_interval(a, b, level, engage::parse_enps_difference_ci_method(method));
        return py::make_tuple(ci.low, ci.high);
      },
      "a"_a, "b"_a, "confidence_level"_a = 0.95, "method"_a = "mover");

  m.def(
      "enps_compare_paired",
      [](const double_array& a, const double_array& b, const std::array<int, 4>& breaks) {
        const auto va = view(a);
        const auto vb = view(b);
        engage::enps_paired_result r{};
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          r = engage::enps_compare_paired(va, vb, to_breaks(breaks));
        }
        return py::dict("transitions"_a = r.transitions, "n"_a = r.n, "missing"_a = r.missing,
                        "statistic_a"_a = r.statistic_a, "statistic_b"_a = r.statistic_b,
                        "difference"_a = r.difference, "standard_error"_a = r.standard_error, "z"_a = r.z,
                        "pvalue"_a = r.pvalue);
      },
      "a"_a, "b"_a, "breaks"_a = std::array<int, 4>{0, 6, 8, 10});

  m.def(
      "enps_by",
      [](const py::array& scores, const int64_array& keys, const std::optional<double_array>& weights,
         const std::array<int, 4>& breaks, const std::optional<int64_array>& population_keys,
         const std::optional<double_array>& population_sizes, double confidence_level, const std::string& method,
         std::size_t n_resamples, std::uint64_t seed, std::size_t min_group_size, std::int64_t parent_stride,
         bool compare_rest, const std::string& p_adjust, bool show_suppressed_n, engage::release* rel,
         const std::optional<int64_array>& units, const std::string& table, const std::vector<std::string>& measures) {
        // int64 scores (whole numbers without missing values) are read in place; anything else as float64.
        std::optional<int64_array> whole;
        std::optional<double_array> real;
        if (py::isinstance<py::array_t<std::int64_t>>(scores) && (scores.flags() & py::array::c_style)) {
          whole = py::reinterpret_borrow<int64_array>(scores);
        } else {
          real = double_array::ensure(scores);
          if (!real) throw py::error_already_set();
        }
        const Eigen::Index n_scores = whole ? whole->size() : real->size();
        const auto k = view(keys);
        const double* w = weights_ptr(weights, n_scores);
        engage::enps_by_options o;
        o.breaks = to_breaks(breaks);
        std::unordered_map<std::int64_t, double> population;
        if (population_keys && population_sizes) {
          const auto pk = view(*population_keys);
          const auto ps = view(*population_sizes);
          engage::detail::require_same_length("population_keys", static_cast<std::size_t>(pk.size()),
                                              "population_sizes", static_cast<std::size_t>(ps.size()));
          for (Eigen::Index i = 0; i < pk.size(); ++i) population[pk[i]] = ps[i];
          o.population_of = [&population](std::int64_t key) {
            const auto it = population.find(key);
            if (it == population.end()) {
              throw engage::invalid_input("population: no population size for group key " + std::to_string(key));
            }
            return it->second;
          };
        }
        o.confidence_level = confidence_level;
        o.method = engage::parse_enps_ci_method(method);
        o.bootstrap = {n_resamples, seed};
        o.min_group_size = min_group_size;
        o.parent_of = engage::python::parent_of(parent_stride);
        o.compare_rest = compare_rest;
        o.p_adjust = engage::parse_p_adjust_method(p_adjust);
        o.show_suppressed_n = show_suppressed_n;
        o.publish = engage::python::publication(rel, units, table, measures);

        std::vector<engage::enps_group_row> rows;
        {
          const py::gil_scoped_release release;  // safe: one pass over numpy memory, no Python objects
          rows = whole ? engage::enps_by(view(*whole), k, o, w) : engage::enps_by(view(*real), k, o, w);
        }
        // Columnar output: one numpy array per field.
        const auto g = rows.size();
        std::vector<std::int64_t> key(g), n(g), prom(g), pas(g), det(g), mis(g);
        std::vector<double> stat(g), se(g), neff(g), low(g), high(g), pp(g), ppa(g), pd(g);
        std::vector<double> dr(g), ser(g), zr(g), pr(g), padj(g);
        std::vector<std::int8_t> status(g);
        std::vector<std::uint8_t> unanimous(g);
        for (std::size_t i = 0; i < g; ++i) {
          const auto& r = rows[i];
          key[i] = r.key;
          n[i] = static_cast<std::int64_t>(r.result.n), prom[i] = static_cast<std::int64_t>(r.result.promoters);
          pas[i] = static_cast<std::int64_t>(r.result.passives), det[i] = static_cast<std::int64_t>(r.result.detractors);
          mis[i] = static_cast<std::int64_t>(r.result.missing);
          stat[i] = r.result.statistic, se[i] = r.result.standard_error, neff[i] = r.result.effective_n;
          pp[i] = r.result.proportion_promoters, ppa[i] = r.result.proportion_passives;
          pd[i] = r.result.proportion_detractors;
          low[i] = r.ci.low, high[i] = r.ci.high;
          dr[i] = r.difference_vs_rest, ser[i] = r.standard_error_vs_rest, zr[i] = r.z_vs_rest;
          pr[i] = r.pvalue_vs_rest, padj[i] = r.pvalue_adjusted;
          status[i] = static_cast<std::int8_t>(r.status);
          unanimous[i] = r.unanimous;
        }
        return py::dict("unanimous"_a = to_numpy(std::move(unanimous)), "key"_a = to_numpy(std::move(key)), "n"_a = to_numpy(std::move(n)),
                        "statistic"_a = to_numpy(std::move(stat)), "standard_error"_a = to_numpy(std::move(se)),
                        "low"_a = to_numpy(std::move(low)), "high"_a = to_numpy(std::move(high)),
                        "promoters"_a = to_numpy(std::move(prom)), "passives"_a = to_numpy(std::move(pas)),
                        "detractors"_a = to_numpy(std::move(det)), "missing"_a = to_numpy(std::move(mis)),
                        "proportion_promoters"_a = to_numpy(std::move(pp)),
                        "proportion_passives"_a = to_numpy(std::move(ppa)),
                        "proportion_detractors"_a = to_numpy(std::move(pd)),
                        "effective_n"_a = to_numpy(std::move(neff)), "status"_a = to_numpy(std::move(status)),
                        "difference_vs_rest"_a = to_numpy(std::move(dr)),
                        "standard_error_vs_rest"_a = to_numpy(std::move(ser)), "z_vs_rest"_a = to_numpy(std::move(zr)),
                        "pvalue_vs_rest"_a = to_numpy(std::move(pr)), "pvalue_adjusted"_a = to_numpy(std::move(padj)));
      },
      "scores"_a, "keys"_a, py::kw_only(), "weights"_a = py::none(), "breaks"_a = std::array<int, 4>{0, 6, 8, 10},
      "population_keys"_a = py::none(), "population_sizes"_a = py::none(), "confidence_level"_a = 0.95,
      "method"_a = "tango", "n_resamples"_a = 9999, "seed"_a = 0, "min_group_size"_a = 5, "parent_stride"_a = 0,
      "compare_rest"_a = false, "p_adjust"_a = "holm", "show_suppressed_n"_a = false, ENGAGE_PUBLICATION_ARGS);
}
