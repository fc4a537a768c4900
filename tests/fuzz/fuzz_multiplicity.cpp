// libFuzzer harness for multiplicity.hpp: adjust_pvalues with every method on p-values in and out of [0, 1].
#include "engage/multiplicity.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const auto method = in.pick<engage::p_adjust_method>(6);
  std::vector<double> p(in.size(0, max_rows));
  for (auto& x : p) x = in.unit();
  guard([&] { use(engage::adjust_pvalues(p, method)); });
  return 0;
}
