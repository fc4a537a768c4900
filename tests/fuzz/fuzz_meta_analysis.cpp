// libFuzzer harness for meta_analysis.hpp: meta_analysis with artifacts (reliabilities, range restriction) and
// options (presets, error type, interval methods, levels), its confidence and credibility intervals.
#include "engage/meta_analysis.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t k = in.size(0, 24);
  const auto r = in.vec(k, -1, 1);
  const auto n = in.vec(in.flag() ? k : in.size(0, 24), 0, 500);
  engage::meta_artifacts art;
  if (in.flag()) art.rxx = in.units(in.flag() ? k : in.size(0, 24));
  if (in.flag()) art.ryy = in.units(in.flag() ? k : in.size(0, 24));
  if (in.flag()) art.ux = in.vec(in.flag() ? k : in.size(0, 24), 0, 2);
  art.rxx_restricted = in.flag();
  engage::meta_analysis_options o = engage::meta_analysis_preset(in.pick<engage::meta_preset>(3));
  if (in.flag()) {
    o.correct_bias = in.flag();
    o.var_unbiased = in.flag();
    o.error_type = in.pick<engage::meta_error_type>(2);
    o.conf_method = in.pick<engage::meta_interval_method>(2);
    o.cred_method = in.pick<engage::meta_interval_method>(2);
    o.confidence_level = in.level();
    o.credibility_level = in.level();
  }
  const double level = in.level();
  const auto method = in.pick<engage::meta_interval_method>(2);
  const bool corrected = in.flag();

  guard([&] {
    const auto m = engage::meta_analysis(r, n, art, o);
    use(m);
    guard([&] { use(engage::meta_confidence_interval(m, level, method, corrected)); });
    guard([&] { use(engage::meta_credibility_interval(m, level, method, corrected)); });
  });
  return 0;
}
