// libFuzzer harness for enps.hpp: enps, enps_by (both overloads), the confidence intervals (incl. a bootstrap
// with few resamples), comparisons and counts.
#include "engage/enps.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t n = in.size(0, max_rows);
  const auto groups = in.groups();
  engage::enps_breaks breaks{};
  if (in.flag()) breaks = {in.integer(-2, 2), in.integer(3, 8), in.integer(5, 10), in.integer(8, 12)};
  const Eigen::VectorXd scores = in.vec(n, -1, 11);
  const Eigen::VectorXd weights = in.vec(n, 0, 3);
  const auto keys = in.codes(n, groups);
  const bool weighted = in.flag();
  engage::enps_options options;
  options.breaks = breaks;
  options.population_size = in.maybe(0, 200);
  engage::bootstrap_options boot;
  boot.n_resamples = in.size(0, 40);
  boot.seed = in.provider().ConsumeIntegral<std::uint64_t>();
  const double level = in.level();
  const auto method = in.pick<engage::enps_ci_method>(4);

  guard([&] {
    const auto r = engage::enps(scores, options, weighted ? weights.data() : nullptr);
    use(r);
    guard([&] { use(engage::confidence_interval(r, level, method, boot)); });
    guard([&] { use(engage::enps_bootstrap_interval(r, level, boot)); });
    guard([&] { use(engage::enps_compare(r, engage::enps_from_counts(r.counts))); });
    guard([&] {
      const auto half = engage::enps(scores.head(static_cast<Eigen::Index>(n / 2)), options);
      use(engage::enps_compare_interval(r, half, level, in.pick<engage::enps_difference_ci_method>(2)));
    });
  });
  guard([&] { use(engage::enps_bootstrap_interval(scores, weights, level, boot)); });
  guard([&] { use(engage::enps_count_by(scores, keys, breaks)); });
  guard([&] { use(engage::enps_compare_paired(scores, weights, breaks)); });
  guard([&] {
    engage::enps_by_options o;
    o.breaks = breaks;
    o.confidence_level = level;
    o.method = method;
    o.bootstrap = boot;
    o.min_group_size = in.size(0, 8);
    o.compare_rest = in.flag();
    o.p_adjust = in.pick<engage::p_adjust_method>(6);
    o.show_suppressed_n = in.flag();
    if (in.flag()) {
      const double pop = in.value(0, 100);
      o.population_of = [pop](std::int64_t) { return pop; };
    }
    if (in.flag()) o.parent_of = [](std::int64_t k) { return k / 2; };
    use(engage::enps_by(scores, keys, o));
    Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> integer_scores(static_cast<Eigen::Index>(n));
    for (Eigen::Index i = 0; i < integer_scores.size(); ++i) integer_scores[i] = in.code(12);
    use(engage::enps_by(integer_scores, keys, o));
  });
  return 0;
}
