// libFuzzer harness for survival.hpp: kaplan_meier (each interval type and NaN policy), with_confidence,
// survival_at, kaplan_meier_by, logrank_test, harrell_concordance and a small Cox fit.
#include "engage/survival.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t n = in.size(0, max_rows);
  const auto groups = in.groups();
  const auto duration = in.vec(n, 0, 20);
  const auto event = in.vec(in.flag() ? n : in.size(0, max_rows), 0, 1);
  const auto keys = in.codes(n, groups);
  engage::kaplan_meier_options km;
  km.confidence_level = in.level();
  km.conf_type = in.pick<engage::survival_ci_type>(3);
  km.nan_policy = in.pick<engage::survival_nan_policy>(2);
  const auto times = in.vec(in.size(0, 8), -1, 25);

  guard([&] {
    const auto curve = engage::kaplan_meier(duration, event, km);
    use(curve);
    guard([&] { use(engage::with_confidence(curve, in.level(), in.pick<engage::survival_ci_type>(3))); });
    guard([&] { use(engage::survival_at(curve, times)); });
  });
  guard([&] {
    engage::kaplan_meier_by_options o;
    o.curve = km;
    o.min_group_size = in.size(0, 8);
    if (in.flag()) o.parent_of = [](std::int64_t k) { return k / 2; };
    use(engage::kaplan_meier_by(duration, event, keys, o));
  });
  guard([&] {
    engage::logrank_options o;
    o.min_group_size = in.size(0, 8);
    o.nan_policy = km.nan_policy;
    if (in.flag()) o.parent_of = [](std::int64_t k) { return k / 2; };
    use(engage::logrank_test(duration, event, keys, o));
  });
  guard([&] { use(engage::harrell_concordance(duration, event, in.vec(n, 0, 5), km.nan_policy)); });
  guard([&] {
    const auto x = in.matrix(n, in.size(0, 2), -2, 2);
    engage::cox_options o;
    o.ties = in.pick<engage::cox_ties>(2);
    if (in.flag()) o.penalizer = in.value(0, 2);
    o.max_iter = in.integer(0, 20);
    o.confidence_level = in.level();
    o.nan_policy = km.nan_policy;
    const auto fit = engage::cox_ph(x, duration, event, o);
    use(fit);
    guard([&] { use(engage::cox_survival(fit, x, times)); });
    guard([&] { use(engage::cox_churn_probability(fit, x, in.value(0, 20))); });
  });
  return 0;
}
