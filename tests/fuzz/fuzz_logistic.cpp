// libFuzzer harness for logistic.hpp: logistic_regression on a small design (penalty, intercept, separation
// policy, iterations), its intervals and predictions.
#include "engage/logistic.hpp"

#include "fuzz_support.hpp"

using namespace engage_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in(data, size);
  const std::size_t n = in.size(0, max_rows);
  const std::size_t p = in.size(0, 4);
  const auto X = in.matrix(n, p, -3, 3);
  const auto y = in.vec(in.flag() ? n : in.size(0, max_rows), 0, 1);
  engage::logistic_options o;
  if (in.flag()) o.penalizer = in.value(0, 3);
  o.fit_intercept = !in.flag();
  o.max_iter = in.size(0, 50);
  if (in.flag()) o.tol = in.unit();
  o.separation = in.pick<engage::separation_policy>(2);
  if (in.flag())
    for (std::size_t j = in.size(0, p + 1); j > 0; --j) o.column_names.push_back(in.flag() ? "a" : "");
  const double level = in.level();

  guard([&] {
    const auto r = engage::logistic_regression(X, y, o);
    use(r);
    guard([&] { use(engage::confidence_intervals(r, level)); });
    guard([&] { use(engage::logistic_predict(r, X)); });
    guard([&] { use(engage::logistic_linear_predictor(r, in.matrix(in.size(0, 4), in.size(0, 5), -3, 3))); });
  });
  return 0;
}
