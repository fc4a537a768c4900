// libFuzzer harness for linkage.hpp: weighted_correlation, quartile_comparison and fit_line_band.
#include "engage/linkage.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t n = in.size(0, max_rows);
  const auto x = in.vec(n, 0, 100);
  const auto y = in.vec(in.flag() ? n : in.size(0, max_rows), -10, 10);
  const auto w = in.vec(n, 0, 50);
  const auto at = in.vec(in.size(0, 6), 0, 100);
  const double level = in.level();
  guard([&] { use(engage::weighted_correlation(x, y, w, level, in.pick<engage::correlation_alternative>(3))); });
  guard_known([&] { use(engage::quartile_comparison(x, y, level)); });  // known finding #4
  guard([&] { use(engage::fit_line_band(x, y, w, at, level)); });
  return 0;
}
