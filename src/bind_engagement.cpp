// Engagement-index bindings: the index and its interval, the grouped table, the item table, scale scores and
// engagement categories. Item matrices arrive as C-ordered float64 (the Python wrapper makes them so).
#include "pybind11.hpp"

#include <engage/engagement.hpp>
#include <unordered_map>

using engage::python::double_array;
using engage::python::int64_array;
using engage::python::to_numpy;
using engage::python::view;

namespace {

using matrix_array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using bands_t = std::optional<std::array<int, 2>>;

Eigen::Map<const engage::row_matrix> matrix_view(const matrix_array& a) {
  if (a.ndim() != 2) {
    throw py::value_error("items must be two-dimensional (persons x items); got " + std::to_string(a.ndim()) +
                          " dimensions");
  }
  return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

void set_items(engage::item_options& o, const std::array<int, 2>& scale, const bands_t& bands,
               const std::vector<std::int64_t>& reverse, std::optional<double> dont_know) {
  o.scale = engage::glint_scale(scale[0], scale[1]);
  if (bands) o.scale.unfavourable_max = (*bands)[0], o.scale.favourable_min = (*bands)[1];
  o.reverse.assign(reverse.begin(), reverse.end());
  o.dont_know = dont_know;
}

std::optional<engage::interval> to_interval(const std::optional<std::array<double, 2>>& r) {
  if (!r) return std::nullopt;
  return engage::interval{(*r)[0], (*r)[1]};
}

}  // namespace

void bind_engagement(py::module_& m) {
  py::class_<engage::engagement_result>(m, "EngagementIndexCore", "An engagement index of one sample.")
      .def_property_readonly(
          "method", [](const engage::engagement_result& r) { return std::string(engage::to_string(r.method)); })
      .def_readonly("statistic", &engage::engagement_result::statistic)
      .def_readonly("standard_error", &engage::engagement_result::standard_error)
      .def_readonly("n", &engage::engagement_result::n)
      .def_readonly("responses", &engage::engagement_result::responses)
      .def_readonly("missing", &engage::engagement_result::missing)
      .def_readonly("dont_know", &engage::engagement_result::dont_know)
      .def_readonly("excluded", &engage::engagement_result::excluded)
      .def_readonly("items", &engage::engagement_result::items)
      .def_readonly("min_answered", &engage::engagement_result::min_answered)
      .def_readonly("effective_n", &engage::engagement_result::effective_n)
      .def_readonly("fpc", &engage::engagement_result::fpc)
      .def_readonly("proportion", &engage::engagement_result::proportion);

  m.def(
      "engagement_index",
      [](const matrix_array& items, const std::string& method, const std::array<int, 2>& scale, const bands_t& bands,
         const std::vector<std::int64_t>& reverse, std::optional<double> dont_know, std::size_t min_answered,
         std::optional<double> population_size, const std::optional<std::array<double, 2>>& rescale) {
        const auto x = matrix_view(items);
        engage::engagement_options o;
        set_items(o, scale, bands, reverse, dont_know);
        o.method = engage::parse_index_method(method);
        o.min_answered = min_answered;
        o.population_size = population_size;
        o.rescale = to_interval(rescale);
        const py::gil_scoped_release release;  // safe: reads numpy memory only, touches no Python object
        return engage::engagement_index(x, o);
      },
      "items"_a, py::kw_only(), "method"_a = "favourable_items", "scale"_a = std::array<int, 2>{1, 5},
      "bands"_a = py::none(), "reverse"_a = std::vector<std::int64_t>{}, "dont_know"_a = py::none(),
      "min_answered"_a = 0, "population_size"_a = py::none(), "rescale"_a = py::none());

  m.def(
      "glint_bands",
      [](int low, int high) {
        const auto s = engage::glint_scale(low, high);
        return py::make_tuple(s.unfavourable_max, s.favourable_min);
      },
      "low"_a, "high"_a, "Viva Glint bands of the scale low..high: (unfavourable_max, favourable_min).");

  m.def(
      "engagement_confidence_interval",
      [](const engage::engagement_result& r, double confidence_level) {
        const auto ci = engage::confidence_interval(r, confidence_level);
        return py::make_tuple(ci.low, ci.high);
      },
      "result"_a, "confidence_level"_a = 0.95);

  m.def(
      "engagement_index_by",
      [](const matrix_array& items, const int64_array& keys, const std::string& method,
         const std::array<int, 2>& scale, const bands_t& bands, const std::vector<std::int64_t>& reverse,
         std::optional<double> dont_know, std::size_t min_answered, const std::optional<int64_array>& population_keys,
         const std::optional<double_array>& population_sizes, double confidence_level, std::size_t min_group_size,
         std::int64_t parent_stride, bool show_suppressed_n, engage::release* rel,
         const std::optional<int64_array>& units, const std::string& table, const std::vector<std::string>& measures) {
        const auto x = matrix_view(items);
        const auto k = view(keys);
        engage::engagement_by_options o;
        set_items(o, scale, bands, reverse, dont_know);
        o.method = engage::parse_index_method(method);
        o.min_answered = min_answered;
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
        o.min_group_size = min_group_size;
        o.parent_of = engage::python::parent_of(parent_stride);
        o.show_suppressed_n = show_suppressed_n;
        o.publish = engage::python::publication(rel, units, table, measures);
        std::vector<engage::engagement_group_row> rows;
        {
          const py::gil_scoped_release release;  // safe: sweeps numpy memory, no Python objects
          rows = engage::engagement_index_by(x, k, o);
        }
        const auto g = rows.size();
        std::vector<std::int64_t> key(g), n(g), responses(g), missing(g), dk(g), excluded(g), used(g);
        std::vector<double> stat(g), se(g), low(g), high(g), neff(g);
        std::vector<std::int8_t> status(g);
        std::vector<std::uint8_t> unanimous(g);
        for (std::size_t i = 0; i < g; ++i) {
          const auto& r = rows[i];
          key[i] = r.key;
          unanimous[i] = r.unanimous;
          n[i] = static_cast<std::int64_t>(r.result.n), responses[i] = static_cast<std::int64_t>(r.result.responses);
          missing[i] = static_cast<std::int64_t>(r.result.missing);
          dk[i] = static_cast<std::int64_t>(r.result.dont_know);
          excluded[i] = static_cast<std::int64_t>(r.result.excluded);
          used[i] = static_cast<std::int64_t>(r.result.items);
          stat[i] = r.result.statistic, se[i] = r.result.standard_error, neff[i] = r.result.effective_n;
          low[i] = r.ci.low, high[i] = r.ci.high;
          status[i] = static_cast<std::int8_t>(r.status);
        }
        return py::dict("key"_a = to_numpy(std::move(key)), "n"_a = to_numpy(std::move(n)),
                        "statistic"_a = to_numpy(std::move(stat)), "standard_error"_a = to_numpy(std::move(se)),
                        "low"_a = to_numpy(std::move(low)), "high"_a = to_numpy(std::move(high)),
                        "responses"_a = to_numpy(std::move(responses)), "missing"_a = to_numpy(std::move(missing)),
                        "dont_know"_a = to_numpy(std::move(dk)), "excluded"_a = to_numpy(std::move(excluded)),
                        "items"_a = to_numpy(std::move(used)), "effective_n"_a = to_numpy(std::move(neff)),
                        "status"_a = to_numpy(std::move(status)), "unanimous"_a = to_numpy(std::move(unanimous)));
      },
      "items"_a, "keys"_a, py::kw_only(), "method"_a = "favourable_items", "scale"_a = std::array<int, 2>{1, 5},
      "bands"_a = py::none(), "reverse"_a = std::vector<std::int64_t>{}, "dont_know"_a = py::none(),
      "min_answered"_a = 0, "population_keys"_a = py::none(), "population_sizes"_a = py::none(),
      "confidence_level"_a = 0.95, "min_group_size"_a = 5, "parent_stride"_a = 0, "show_suppressed_n"_a = false,
      ENGAGE_PUBLICATION_ARGS);

  m.def(
      "favourability",
      [](const matrix_array& items, const std::array<int, 2>& scale, const bands_t& bands,
         const std::vector<std::int64_t>& reverse, std::optional<double> dont_know) {
        const auto x = matrix_view(items);
        engage::item_options o;
        set_items(o, scale, bands, reverse, dont_know);
        std::vector<engage::item_favourability> t;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          t = engage::favourability(x, o);
        }
        const auto k = t.size();
        const auto points = static_cast<std::size_t>(o.scale.points());
        std::vector<std::int64_t> n(k), missing(k), dk(k), fav(k), neu(k), unf(k), counts(k * points);
        std::vector<double> pf(k), pn(k), pu(k), mean(k), sd(k), m100(k), glint(k);
        for (std::size_t j = 0; j < k; ++j) {
          const auto& r = t[j];
          n[j] = static_cast<std::int64_t>(r.n), missing[j] = static_cast<std::int64_t>(r.missing);
          dk[j] = static_cast<std::int64_t>(r.dont_know), fav[j] = static_cast<std::int64_t>(r.favourable);
          neu[j] = static_cast<std::int64_t>(r.neutral), unf[j] = static_cast<std::int64_t>(r.unfavourable);
          pf[j] = r.pct_favourable, pn[j] = r.pct_neutral, pu[j] = r.pct_unfavourable;
          mean[j] = r.mean, sd[j] = r.sd, m100[j] = r.mean_100, glint[j] = r.glint_score;
          for (std::size_t p = 0; p < points; ++p) counts[j * points + p] = static_cast<std::int64_t>(r.counts[p]);
        }
        auto c = to_numpy(std::move(counts)).reshape({static_cast<py::ssize_t>(k), static_cast<py::ssize_t>(points)});
        return py::dict("n"_a = to_numpy(std::move(n)), "missing"_a = to_numpy(std::move(missing)),
                        "dont_know"_a = to_numpy(std::move(dk)), "favourable"_a = to_numpy(std::move(fav)),
                        "neutral"_a = to_numpy(std::move(neu)), "unfavourable"_a = to_numpy(std::move(unf)),
                        "pct_favourable"_a = to_numpy(std::move(pf)), "pct_neutral"_a = to_numpy(std::move(pn)),
                        "pct_unfavourable"_a = to_numpy(std::move(pu)), "mean"_a = to_numpy(std::move(mean)),
                        "sd"_a = to_numpy(std::move(sd)), "mean_100"_a = to_numpy(std::move(m100)),
                        "glint_score"_a = to_numpy(std::move(glint)), "counts"_a = c);
      },
      "items"_a, py::kw_only(), "scale"_a = std::array<int, 2>{1, 5}, "bands"_a = py::none(),
      "reverse"_a = std::vector<std::int64_t>{}, "dont_know"_a = py::none());

  m.def(
      "scale_scores",
      [](const matrix_array& items, const std::array<int, 2>& scale, const bands_t& bands,
         const std::vector<std::int64_t>& reverse, std::optional<double> dont_know, std::size_t min_answered) {
        const auto x = matrix_view(items);
        engage::item_options o;
        set_items(o, scale, bands, reverse, dont_know);
        engage::scale_scores_result r;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          r = engage::scale_scores(x, o, min_answered);
        }
        return py::dict("scores"_a = to_numpy(std::move(r.scores)), "answered"_a = to_numpy(std::move(r.answered)),
                        "n"_a = r.n, "below_minimum"_a = r.below_minimum, "missing"_a = r.missing,
                        "dont_know"_a = r.dont_know, "min_answered"_a = r.min_answered);
      },
      "items"_a, py::kw_only(), "scale"_a = std::array<int, 2>{1, 5}, "bands"_a = py::none(),
      "reverse"_a = std::vector<std::int64_t>{}, "dont_know"_a = py::none(), "min_answered"_a = 1);

  m.def(
      "scored_items",
      [](const matrix_array& items, const std::array<int, 2>& scale, const std::vector<std::int64_t>& reverse,
         std::optional<double> dont_know) {
        const auto x = matrix_view(items);
        engage::item_options o;
        set_items(o, scale, std::nullopt, reverse, dont_know);
        engage::row_matrix r;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          r = engage::scored_items(x, o);
        }
        py::array_t<double> out({r.rows(), r.cols()});
        std::copy(r.data(), r.data() + r.size(), out.mutable_data());
        return out;
      },
      "items"_a, py::kw_only(), "scale"_a = std::array<int, 2>{1, 5}, "reverse"_a = std::vector<std::int64_t>{},
      "dont_know"_a = py::none(),
      "The items as scored: reverse-keyed, NaN for skipped and don't-know cells; off-scale cells raise.");

  m.def(
      "engagement_categories",
      [](const matrix_array& items, const std::array<int, 2>& scale, const bands_t& bands,
         const std::vector<std::int64_t>& reverse, std::optional<double> dont_know, const std::string& basis,
         std::optional<double> engaged, std::optional<double> actively_disengaged, std::size_t min_answered) {
        const auto x = matrix_view(items);
        engage::item_options o;
        set_items(o, scale, bands, reverse, dont_know);
        engage::category_rule rule;
        if (basis == "mean") rule.basis = engage::category_basis::mean;
        else if (basis == "share") rule.basis = engage::category_basis::share;
        else throw engage::invalid_input("rule = '" + basis + "': expected 'mean' or 'share'");
        rule.engaged = engaged, rule.actively_disengaged = actively_disengaged;
        engage::engagement_categories_result r;
        {
          const py::gil_scoped_release release;  // safe: reads numpy memory only
          r = engage::engagement_categories(x, o, rule, min_answered);
        }
        std::vector<std::int8_t> cats(r.categories.size());
        for (std::size_t i = 0; i < cats.size(); ++i) cats[i] = static_cast<std::int8_t>(r.categories[i]);
        return py::dict("categories"_a = to_numpy(std::move(cats)), "engaged"_a = r.engaged,
                        "not_engaged"_a = r.not_engaged, "actively_disengaged"_a = r.actively_disengaged,
                        "unclassified"_a = r.unclassified, "n"_a = r.n, "missing"_a = r.missing,
                        "dont_know"_a = r.dont_know, "pct_engaged"_a = r.pct_engaged,
                        "pct_not_engaged"_a = r.pct_not_engaged,
                        "pct_actively_disengaged"_a = r.pct_actively_disengaged,
                        "engagement_ratio"_a = r.engagement_ratio, "ratio_defined"_a = r.ratio_defined,
                        "engaged_threshold"_a = r.engaged_threshold,
                        "actively_disengaged_threshold"_a = r.actively_disengaged_threshold);
      },
      "items"_a, py::kw_only(), "scale"_a = std::array<int, 2>{1, 5}, "bands"_a = py::none(),
      "reverse"_a = std::vector<std::int64_t>{}, "dont_know"_a = py::none(), "rule"_a = "mean",
      "engaged"_a = py::none(), "actively_disengaged"_a = py::none(), "min_answered"_a = 1);

  m.def(
      "rounded_percentages",
      [](double engaged, double actively_disengaged, int decimals) {
        engage::engagement_categories_result r{};
        r.pct_engaged = engaged, r.pct_actively_disengaged = actively_disengaged;
        const auto p = engage::rounded_percentages(r, decimals);
        return py::make_tuple(p[0], p[1], p[2]);
      },
      "pct_engaged"_a, "pct_actively_disengaged"_a, "decimals"_a = 0,
      "Display percentages (engaged, not engaged, actively disengaged) rounded to sum to 100.");
}
