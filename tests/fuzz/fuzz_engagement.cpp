// libFuzzer harness for engagement.hpp: engagement_index with its options (scale, reverse-keyed items,
// don't-know code, every method, min_answered, population, rescale), its interval, the grouped table,
// favourability, scale scores, scored items and categories.
#include "engage/engagement.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t rows = in.size(0, max_rows);
  const std::size_t cols = in.size(0, max_cols);
  const auto groups = in.groups();
  engage::likert_scale scale{};
  if (in.flag()) {
    scale.low = in.integer(-2, 3);
    scale.high = scale.low + in.integer(-1, 10);
    scale.unfavourable_max = in.integer(scale.low - 1, scale.high);
    scale.favourable_min = in.integer(scale.low, scale.high + 1);
  }
  if (in.flag()) guard([&] { scale = engage::glint_scale(in.integer(-2, 3), in.integer(-2, 12)); });
  const auto items = in.matrix(rows, cols, scale.low - 1, scale.high + 1);
  const auto keys = in.codes(rows, groups);

  engage::engagement_by_options o;
  o.scale = scale;
  for (std::size_t r = in.size(0, 3); r > 0; --r) o.reverse.push_back(in.integer(-1, static_cast<int>(cols)));
  if (in.flag()) o.dont_know = in.value(scale.high + 1, 99);
  o.method = in.pick<engage::index_method>(8);
  o.min_answered = in.size(0, cols + 1);
  o.population_size = in.maybe(0, 200);
  if (in.flag()) o.rescale = engage::interval{in.value(-1, 10), in.value(0, 100)};
  const double level = in.level();

  guard([&] {
    const auto r = engage::engagement_index(items, o);
    use(r);
    guard([&] { use(engage::confidence_interval(r, level)); });
  });
  guard([&] {
    o.confidence_level = level;
    o.min_group_size = in.size(0, 8);
    o.show_suppressed_n = in.flag();
    if (in.flag()) {
      const double pop = in.value(0, 100);
      o.population_of = [pop](std::int64_t) { return pop; };
    }
    if (in.flag()) o.parent_of = [](std::int64_t k) { return k / 2; };
    use(engage::engagement_index_by(items, keys, o));
  });
  const engage::item_options& io = o;
  guard([&] { use(engage::favourability(items, io)); });
  guard([&] { use(engage::scale_scores(items, io, in.size(0, cols + 1))); });
  guard([&] { use(engage::scored_items(items, io)); });
  guard([&] {
    engage::category_rule rule;
    rule.basis = in.pick<engage::category_basis>(2);
    if (in.flag()) rule.engaged = in.value(scale.low, scale.high);
    if (in.flag()) rule.actively_disengaged = in.value(scale.low, scale.high);
    const auto c = engage::engagement_categories(items, io, rule, in.size(0, cols + 1));
    use(engage::rounded_percentages(c, in.integer(-1, 4)));
  });
  return 0;
}
