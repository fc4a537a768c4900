// Synthetic organisation binding: columns as owning numpy arrays and label lists in a dict; the Python
// wrapper (python/engage/datasets.py) assembles the DataFrames.
#include "pybind11.hpp"

#include <engage/datasets.hpp>
#include <limits>

using engage::python::to_numpy;

namespace {

/// Python ints arrive as int64 so that negative sizes give engage's own error rather than a TypeError.
std::size_t to_count(std::int64_t v, const char* name) {
  if (v < 0) throw engage::invalid_input(std::string(name) + " = " + std::to_string(v) + ": must not be negative");
  return static_cast<std::size_t>(v);
}

template <class T>
py::array_t<T> to_matrix(std::vector<T>&& v, std::size_t cols) {
  const auto rows = static_cast<py::ssize_t>(cols == 0 ? 0 : v.size() / cols);
  return to_numpy(std::move(v)).attr("reshape")(rows, static_cast<py::ssize_t>(cols));
}

py::dict planted_dict(const engage::planted_effects& p) {
  py::dict d;
  d["team_variance_share"] = p.team_variance_share;
  d["team_size_log_sd"] = p.team_size_log_sd;
  d["team_stable_share"] = p.team_stable_share;
  d["team_quarterly_autocorrelation"] = p.team_quarterly_autocorrelation;
  d["person_wave_correlation"] = p.person_wave_correlation;
  d["response_rate"] = p.response_rate;
  d["item_loadings"] = p.item_loadings;
  d["item_category_probabilities"] = p.item_category_probabilities;
  d["item_threshold_shifts"] = p.item_threshold_shifts;
  d["item_skip_rate"] = p.item_skip_rate;
  d["item_dont_know_rates"] = p.item_dont_know_rates;
  d["dont_know_code"] = engage::dont_know_code;
  d["enps_loading"] = p.enps_loading;
  d["enps_category_probabilities"] = p.enps_category_probabilities;
  d["enps_skip_rate"] = p.enps_skip_rate;
  d["intent_engagement_correlation"] = p.intent_engagement_correlation;
  d["intent_category_probabilities"] = p.intent_category_probabilities;
  d["intent_skip_rate"] = p.intent_skip_rate;
  d["tenure_band_probabilities"] = p.tenure_band_probabilities;
  d["five_plus_mean_extra_years"] = p.five_plus_mean_extra_years;
  d["hire_rate"] = p.hire_rate;
  d["voluntary_baseline_hazard"] = p.voluntary_baseline_hazard;
  d["involuntary_baseline_hazard"] = p.involuntary_baseline_hazard;
  d["log_hr_engagement"] = p.log_hr_engagement;
  d["log_hr_low_intent"] = p.log_hr_low_intent;
  d["log_hr_tenure"] = p.log_hr_tenure;
  d["involuntary_log_hr_engagement"] = p.involuntary_log_hr_engagement;
  d["customer_lag_correlation"] = p.customer_lag_correlation;
  d["customer_same_quarter_correlation"] = p.customer_same_quarter_correlation();
  d["customer_loading"] = p.customer_loading;
  d["csat_category_probabilities"] = p.csat_category_probabilities;
  d["customer_nps_category_probabilities"] = p.customer_nps_category_probabilities;
  d["customers_min"] = p.customers_min;
  d["customers_max"] = p.customers_max;
  return d;
}

}  // namespace

void bind_datasets(py::module_& m) {
  m.def(
      "synthetic_organisation",
      [](std::int64_t n_employees, std::int64_t n_teams, std::int64_t waves, std::uint64_t seed) {
        engage::organisation_options o;
        o.n_employees = to_count(n_employees, "n_employees");
        o.n_teams = to_count(n_teams, "n_teams");
        if (waves < 1 || waves > engage::max_synthetic_waves) {
          throw engage::invalid_input("waves = " + std::to_string(waves) + ": must be between 1 and " +
                                      std::to_string(engage::max_synthetic_waves));
        }
        o.waves = static_cast<int>(waves);
        o.seed = seed;
        engage::organisation org;
        {
          const py::gil_scoped_release release;  // safe: pure C++ on local data, no Python objects touched
          org = engage::synthetic_organisation(o);
        }
        auto& S = org.survey;
        auto& H = org.hris;
        auto& C = org.customers;
        std::vector<std::uint8_t> exit(H.exit.size());
        for (std::size_t i = 0; i < exit.size(); ++i) exit[i] = static_cast<std::uint8_t>(H.exit[i]);
        const std::size_t team_cols = org.quarter_labels.size() + 1;

        py::dict survey;
        survey["employee"] = to_numpy(std::move(S.employee));
        survey["team"] = to_numpy(std::move(S.team));
        survey["tenure_band"] = to_numpy(std::move(S.tenure_band));
        survey["wave"] = to_numpy(std::move(S.wave));
        survey["enps"] = to_numpy(std::move(S.enps));
        survey["items"] = to_matrix(std::move(S.items), engage::synthetic_item_count);
        survey["intent_to_stay"] = to_numpy(std::move(S.intent_to_stay));
        survey["engagement"] = to_numpy(std::move(S.engagement));
        py::dict hris;
        hris["team"] = to_numpy(std::move(H.team));
        hris["hire_date"] = to_numpy(std::move(H.hire_date));
        hris["exit_date"] = to_numpy(std::move(H.exit_date));
        hris["exit_type"] = to_numpy(std::move(exit));
        py::dict customers;
        customers["team"] = to_numpy(std::move(C.team));
        customers["quarter"] = to_numpy(std::move(C.quarter));
        customers["csat_mean"] = to_numpy(std::move(C.csat_mean));
        customers["customer_nps"] = to_numpy(std::move(C.customer_nps));
        customers["customers_surveyed"] = to_numpy(std::move(C.customers_surveyed));

        py::dict out;
        out["survey"] = survey;
        out["hris"] = hris;
        out["customers"] = customers;
        out["employee_ids"] = py::cast(org.employee_ids);
        out["team_labels"] = py::cast(org.team_labels);
        out["department_labels"] = py::cast(org.department_labels);
        out["location_labels"] = py::cast(org.location_labels);
        out["quarter_labels"] = py::cast(org.quarter_labels);
        out["tenure_band_labels"] = py::cast(std::vector<std::string>(engage::tenure_band_labels.begin(),
                                                                      engage::tenure_band_labels.end()));
        out["exit_type_labels"] = py::cast(std::vector<std::string>(engage::exit_type_labels.begin(),
                                                                    engage::exit_type_labels.end()));
        out["team_department"] = to_numpy(std::move(org.team_department));
        out["team_location"] = to_numpy(std::move(org.team_location));
        out["wave_dates"] = to_numpy(std::move(org.wave_dates));
        out["wave_quarter"] = to_numpy(std::move(org.wave_quarter));
        out["window_start"] = org.window_start;
        out["window_end"] = org.window_end;
        out["team_engagement"] = to_matrix(std::move(org.team_engagement), team_cols);
        out["planted"] = planted_dict(org.planted);
        return out;
      },
      "Columns of a synthetic organisation (use engage.datasets.synthetic_organisation).", py::kw_only(),
      "n_employees"_a = 3000, "n_teams"_a = 100, "waves"_a = 2, "seed"_a = 2026);
}
