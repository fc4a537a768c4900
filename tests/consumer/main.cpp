// Builds against the installed engage package and checks one figure end to end.
#include <cmath>
#include <cstdio>
#include <engage/engage.hpp>

int main() {
  Eigen::VectorXd scores(8);
  scores << 10, 9, 7, 3, 10, 8, 6, 9;
  const auto r = engage::enps(scores);
  const auto ci = engage::confidence_interval(r);
  std::printf("engage %s: eNPS %.1f (n = %llu), 95%% Tango interval [%.2f, %.2f]\n", engage::version, r.statistic,
              static_cast<unsigned long long>(r.n), ci.low, ci.high);
  const bool ok = r.statistic == 25.0 && ci.low < 25.0 && ci.high > 25.0 && ci.high <= 100.0;
  std::puts(ok ? "consumer OK" : "consumer FAILED");
  return ok ? 0 : 1;
}
