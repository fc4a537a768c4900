// libFuzzer harness for agreement.hpp: rwg, rwg_j (and Lindell's r*wg(j)), awg, the AD index, icc and its
// intervals, null_variance.
#include "engage/agreement.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t rows = in.size(0, max_rows);
  const std::size_t cols = in.size(0, max_cols);
  const auto groups = in.groups();
  const auto items = in.matrix(rows, cols, 1, 5);
  const auto keys = in.codes(rows, groups);
  double null_var = 2.0;
  if (in.flag()) null_var = in.value(0, 4);
  if (in.flag()) guard([&] { null_var = engage::null_variance(in.integer(-1, 12), in.pick<engage::null_distribution>(6)); });
  engage::agreement_options o;
  o.missing = in.pick<engage::missing_policy>(2);
  o.min_group_size = in.size(0, 8);
  o.show_suppressed_n = in.flag();
  if (in.flag()) o.parent_of = [](std::int64_t k) { return k / 2; };
  if (in.flag()) o.max_span = in.value(0, 6);
  const double level = in.level();
  const Eigen::VectorXd first = cols > 0 ? Eigen::VectorXd(items.col(0)) : in.vec(rows, 1, 5);

  guard([&] { use(engage::rwg(first, keys, null_var, o)); });
  guard([&] { use(engage::rwg_j(items, keys, null_var, o)); });
  guard([&] { use(engage::rwg_j_lindell(items, keys, null_var, o)); });
  guard([&] {
    engage::scale_range range{};
    if (in.flag()) range = {in.value(-1, 3), in.value(2, 8)};
    use(engage::awg(items, keys, range, o));
  });
  guard([&] { use(engage::ad_index(items, keys, in.pick<engage::ad_center>(2), o)); });
  guard_known([&] {  // known finding #2
    const auto r = engage::icc(first, keys);
    use(r);
    guard([&] { use(engage::confidence_interval(r, engage::icc_kind::icc1, level)); });
    guard([&] { use(engage::confidence_interval(r, engage::icc_kind::icc2, level)); });
  });
  return 0;
}
