// libFuzzer harness for confidentiality.hpp: suppress (cell sizes with parents), and an engage::release that
// publishes two small tables (shared respondents, measures, categories, weights, effective n, parents), records
// a third, then audit() and export_structure().
#include "engage/confidentiality.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

namespace {

engage::release_table table(input& in, engage::release& r, const std::string& name, std::size_t units) {
  engage::release_table t;
  t.name = name;
  t.cells = in.size(0, 6);
  const std::int64_t measures[] = {r.measure("q1"), r.measure("q2"), engage::release::member};
  const bool weighted = in.flag();
  std::vector<std::size_t> weight_of(units + 1);
  for (auto& w : weight_of) w = in.size(0, 4);
  for (std::size_t e = in.size(0, 40); e > 0; --e) {
    const auto u = static_cast<std::int64_t>(in.size(0, units));
    t.unit.push_back(in.flag() ? u : in.code(static_cast<std::int64_t>(units) + 1));
    t.cell.push_back(in.integer(in.flag() ? -1 : 0, static_cast<int>(t.cells)));
    t.measure.push_back(measures[in.size(0, 2)]);
    t.category.push_back(static_cast<std::int32_t>(in.integer(-1, 3)));
    if (weighted) t.weight.push_back(weight_of[static_cast<std::size_t>(u)]);
  }
  if (in.flag())
    for (std::size_t c = 0; c < t.cells; ++c) t.effective_n.push_back(in.value(0, 10));
  if (in.flag())
    for (std::size_t c = 0; c < t.cells; ++c) t.parent.push_back(in.code(3));
  if (in.flag())
    for (std::size_t c = 0; c < t.cells; ++c) t.cell_labels.push_back("c" + std::to_string(c));
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  guard([&] {
    std::vector<std::size_t> n(in.size(0, 12));
    std::vector<std::int64_t> parent(in.flag() ? n.size() : in.size(0, 12));
    for (auto& x : n) x = in.flag() ? in.size(0, 12) : in.provider().ConsumeIntegral<std::size_t>();
    for (auto& x : parent) x = in.code(3);
    use(engage::suppress(n, parent, in.size(0, 8)));
  });
  guard([&] {
    engage::release_options ro;
    ro.min_group_size = in.size(0, 8);
    ro.min_distribution_size = in.size(0, 12);
    engage::release r(ro);
    const std::size_t units = in.size(1, 24);
    guard([&] { use(r.publish(table(in, r, "a", units))); });
    guard([&] { use(r.publish(table(in, r, "b", units))); });
    guard([&] {
      auto t = table(in, r, "c", units);
      std::vector<engage::suppression> status(in.flag() ? t.cells : in.size(0, 6));
      for (auto& s : status) s = in.pick<engage::suppression>(5);
      r.record(std::move(t), status);
    });
    use(r.audit());
    use(r.export_structure());
    use(r.table_names());
  });
  return 0;
}
