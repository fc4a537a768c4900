// Standalone reproducers of fuzzing findings 2-4 (see README.md): each call should end in an engage error or
// a result, never in another exception type.
#include <iostream>
#include <typeinfo>
#include "engage/agreement.hpp"
#include "engage/correlation.hpp"
#include "engage/linkage.hpp"
template <class F> void tryit(const char* what, F f) {
  try { f(); std::cout << what << ": ok\n"; }
  catch (const engage::invalid_input&) { std::cout << what << ": invalid_input\n"; }
  catch (const engage::insufficient_data&) { std::cout << what << ": insufficient_data\n"; }
  catch (const std::exception& e) { std::cout << what << ": ESCAPED " << typeid(e).name() << ": " << e.what() << "\n"; }
}
int main() {
  using V = Eigen::VectorXd;
  using K = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>;
  // 2. icc: finite but huge answers make MS_between overflow to inf, F = inf/finite = inf.
  tryit("icc({0, 1 | 1e160, 1e160})", [] { V x(4); x << 0, 1, 1e160, 1e160; K k(4); k << 0, 0, 1, 1;
                                   (void)engage::icc(x, k); });
  // 3. correlation_bootstrap, alternative greater, a level below 2^-53: tail 1 - level == 1.0.
  tryit("correlation_bootstrap(greater, level 1e-300)", [] { V x(6), y(6); x << 1, 2, 3, 4, 5, 7; y << 2, 1, 4, 3, 6, 5;
      (void)engage::correlation_bootstrap(x, y, engage::correlation_method::pearson, 1e-300,
                                          engage::correlation_ci_method::bca, engage::correlation_alternative::greater,
                                          {50, 1}); });
  tryit("confidence_interval(correlation, greater, 1e-300)", [] { V x(6), y(6); x << 1, 2, 3, 4, 5, 7; y << 2, 1, 4, 3, 6, 5;
      (void)engage::confidence_interval(engage::correlation(x, y, engage::correlation_method::pearson,
                                        engage::correlation_alternative::greater), 1e-300); });
  // 4. quartile_comparison: outcome variances so small that the Welch df is 0/0 (or huge: inf/inf).
  tryit("quartile_comparison(tiny spread)", [] { V m(8), o(8); m << 1, 2, 3, 4, 5, 6, 7, 8;
      o << 0, 1e-160, 0, 1e-160, 0, 1e-160, 0, 2e-160; (void)engage::quartile_comparison(m, o); });
  tryit("quartile_comparison(huge spread)", [] { V m(8), o(8); m << 1, 2, 3, 4, 5, 6, 7, 8;
      o << -1e308, 1e308, 0, 0, 0, 0, -1e308, 1e308; (void)engage::quartile_comparison(m, o); });
}
