// libFuzzer harness for model_quality.hpp: roc_auc (and its intervals, the paired comparison),
// concordance_index, time_dependent_auc, brier_score, calibration_table.
#include "engage/model_quality.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t n = in.size(0, max_rows);
  const auto y = in.vec(n, 0, 1);
  const auto a = in.vec(in.flag() ? n : in.size(0, max_rows), -2, 5);
  const auto b = in.vec(n, -2, 5);
  const auto p = in.units(n);
  const auto time = in.vec(n, 0, 20);
  const double level = in.level();

  guard([&] {
    const auto r = engage::roc_auc(y, a);
    use(r);
    guard([&] { use(engage::confidence_interval(r, level, in.pick<engage::auc_ci_method>(2))); });
  });
  guard([&] {
    const auto c = engage::roc_auc_compare(y, a, b);
    use(c);
    guard([&] { use(engage::confidence_interval(c, level)); });
  });
  guard([&] {
    const engage::vector_view event = y;
    const auto c = engage::concordance_index(time, a, in.flag() ? &event : nullptr);
    use(c);
    guard([&] { use(engage::confidence_interval(c, level)); });
  });
  guard([&] { use(engage::time_dependent_auc(time, y, a, in.value(0, 20))); });
  guard([&] { use(engage::brier_score(y, p)); });
  guard([&] { use(engage::calibration_table(y, p, in.size(0, 12), level)); });
  return 0;
}
