#include <cmath>
#include <iostream>
#include "engage/enps.hpp"
#include "engage/correlation.hpp"
#include "engage/engagement.hpp"
int main() {
  const double level = std::nextafter(1.0, 0.0);  // 0.99999999999999989, passes require_confidence_level
  Eigen::VectorXd s(6); s << 0, 3, 7, 9, 10, 10;
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> k = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>::Zero(6);
  auto tryit = [](const char* what, auto f) {
    try { f(); std::cout << what << ": ok\n"; }
    catch (const engage::invalid_input& e) { std::cout << what << ": invalid_input\n"; }
    catch (const std::exception& e) { std::cout << what << ": ESCAPED " << typeid(e).name() << ": " << e.what() << "\n"; }
  };
  tryit("enps_by", [&] { engage::enps_by_options o; o.confidence_level = level; o.min_group_size = 1; (void)engage::enps_by(s, k, o); });
  tryit("confidence_interval(enps, tango)", [&] { (void)engage::confidence_interval(engage::enps(s), level); });
  tryit("confidence_interval(enps, wald)", [&] { (void)engage::confidence_interval(engage::enps(s), level, engage::enps_ci_method::wald); });
  tryit("correlation CI", [&] { Eigen::VectorXd y(6); y << 1, 2, 2, 4, 5, 3; (void)engage::confidence_interval(engage::correlation(s, y), level); });
}
