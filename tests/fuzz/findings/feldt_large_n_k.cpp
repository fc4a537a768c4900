#include <iostream>
#include "engage/reliability.hpp"
int main() {
  std::uint64_t ns[] = {100, 1000000, 1ull << 40, 1ull << 53, 1ull << 63, ~0ull};
  std::uint64_t ks[] = {2, 5, 1ull << 20, 1ull << 40, ~0ull};
  double ls[] = {0.95, 0.5, 0.05};
  for (auto n : ns) for (auto k : ks) for (auto l : ls) {
    try { (void)engage::cronbach_alpha_feldt_interval(0.8, n, k, l); }
    catch (const engage::invalid_input&) {} catch (const engage::insufficient_data&) {}
    catch (const std::exception& e) { std::cout << "n=" << n << " k=" << k << " level=" << l << ": ESCAPED " << e.what() << "\n"; }
  }
}
