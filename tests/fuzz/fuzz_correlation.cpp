// libFuzzer harness for correlation.hpp: correlation (pearson, spearman, kendall; each alternative), its
// intervals, partial_correlation, correlation_from_statistic, bootstraps with few resamples, corrections.
#include "engage/correlation.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t n = in.size(0, max_rows);
  const std::size_t k = in.size(0, 3);
  const auto x = in.vec(n, -3, 10);
  const auto y = in.vec(in.flag() ? n : in.size(0, max_rows), -3, 10);
  const auto cov = in.matrix(n, k, -3, 3);
  const auto method = in.pick<engage::correlation_method>(3);
  const auto alt = in.pick<engage::correlation_alternative>(3);
  const auto ci = in.pick<engage::correlation_ci_method>(6);
  const double level = in.level();
  engage::correlation_bootstrap_options boot;
  boot.n_resamples = in.size(0, 30);
  boot.seed = in.provider().ConsumeIntegral<std::uint64_t>();

  guard([&] {
    const auto r = engage::correlation(x, y, method, alt);
    use(r);
    guard([&] { use(engage::confidence_interval(r, level, ci)); });
  });
  guard([&] {
    const auto r = engage::partial_correlation(x, y, cov, method, alt);
    use(r);
    guard([&] { use(engage::confidence_interval(r, level, ci)); });
  });
  guard([&] {
    const auto r = engage::correlation_from_statistic(in.value(-1, 1), in.size(0, 1000), method, alt, in.size(0, 4));
    use(r);
    guard([&] { use(engage::confidence_interval(r, level, ci)); });
  });
  guard([&] { use(engage::correlation_bootstrap(x, y, method, level, ci, alt, boot)); });
  guard([&] { use(engage::partial_correlation_bootstrap(x, y, cov, method, level, ci, alt, boot)); });
  guard([&] { use(engage::correct_attenuation(in.value(-1, 1), in.unit(), in.unit())); });
  guard([&] { use(engage::correct_range_restriction(in.value(-1, 1), in.value(0, 3))); });
  return 0;
}
