// eNPS at scale: one sample, and the grouped table (10^7 scores in 10^5 groups).
#include <benchmark/benchmark.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <engage/enps.hpp>

namespace {

Eigen::VectorXd make_scores(Eigen::Index n) {
  boost::random::mt19937_64 gen(1);
  boost::random::uniform_int_distribution<int> score(0, 10);
  Eigen::VectorXd s(n);
  for (Eigen::Index i = 0; i < n; ++i) s[i] = score(gen);
  return s;
}

Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> make_codes(Eigen::Index n, std::int64_t groups) {
  boost::random::mt19937_64 gen(2);
  boost::random::uniform_int_distribution<std::int64_t> g(0, groups - 1);
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> c(n);
  for (Eigen::Index i = 0; i < n; ++i) c[i] = g(gen);
  return c;
}

void BM_Enps(benchmark::State& state) {
  const auto s = make_scores(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(engage::enps(s));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Enps)->Arg(1 << 10)->Arg(1 << 20)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_EnpsCountBy(benchmark::State& state) {
  const auto s = make_scores(state.range(0));
  const auto c = make_codes(state.range(0), state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(engage::enps_count_by(s, c));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EnpsCountBy)->Args({10'000'000, 100'000})->Unit(benchmark::kMillisecond);

// The whole grouped table: counts, Tango intervals for every group, suppression, comparison with the rest.
void BM_EnpsBy(benchmark::State& state) {
  const auto s = make_scores(state.range(0));
  const auto c = make_codes(state.range(0), state.range(1));
  engage::enps_by_options o;
  o.compare_rest = true;
  for (auto _ : state) benchmark::DoNotOptimize(engage::enps_by(s, c, o));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EnpsBy)->Args({10'000'000, 100'000})->Unit(benchmark::kMillisecond);

void BM_Factorize(benchmark::State& state) {
  const auto c = make_codes(state.range(0), state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(engage::factorize(c));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Factorize)->Args({10'000'000, 100'000})->Unit(benchmark::kMillisecond);

}  // namespace
