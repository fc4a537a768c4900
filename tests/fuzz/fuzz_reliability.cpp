// libFuzzer harness for reliability.hpp: cronbach_alpha (both missing policies), the Feldt interval (from a
// result and from alpha, n, k), a bootstrap with few resamples, omega and the grouped alpha table.
#include "engage/reliability.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t rows = in.size(0, max_rows);
  const std::size_t cols = in.size(0, max_cols);
  const auto groups = in.groups();
  const auto items = in.matrix(rows, cols, 1, 5);
  const auto keys = in.codes(rows, groups);
  const auto missing = in.pick<engage::missing_policy>(2);
  const double level = in.level();

  guard([&] {
    const auto r = engage::cronbach_alpha(items, missing);
    use(r);
    guard([&] { use(engage::confidence_interval(r, level)); });
  });
  guard_known([&] {  // known finding #5
    const double alpha = in.value(-2, 1);
    const auto n = in.provider().ConsumeIntegralInRange<std::uint64_t>(0, in.flag() ? ~std::uint64_t{0} : 100);
    const auto k = in.provider().ConsumeIntegralInRange<std::uint64_t>(0, in.flag() ? ~std::uint64_t{0} : 10);
    use(engage::cronbach_alpha_feldt_interval(alpha, n, k, level));
  });
  guard([&] {
    use(engage::cronbach_alpha_bootstrap_interval(items, missing, level, in.size(0, 30),
                                                  in.provider().ConsumeIntegral<std::uint64_t>()));
  });
  guard([&] { use(engage::omega(items, missing)); });
  guard([&] {
    engage::alpha_by_options o;
    o.missing = missing;
    o.confidence_level = level;
    o.min_group_size = in.size(0, 8);
    o.show_suppressed_n = in.flag();
    if (in.flag()) o.parent_of = [](std::int64_t k) { return k / 2; };
    use(engage::cronbach_alpha_by(items, keys, o));
  });
  return 0;
}
