#pragma once
/// @file fuzz_support.hpp
/// What every libFuzzer harness of engage shares: decoding the fuzzer's bytes into bounded sizes, doubles drawn
/// from a palette of awkward values, int64 group codes, and `guard`, which treats the three engage error types
/// as an expected refusal. Anything else that escapes (std::bad_alloc, std::out_of_range, std::length_error...),
/// a crash, a hang or a sanitizer report is a finding.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <boost/math/policies/error_handling.hpp>

#include "engage/config.hpp"
#include "engage/errors.hpp"

namespace engage_fuzz {

/// Bounds that keep every execution fast.
inline constexpr std::size_t max_rows = 64;
inline constexpr std::size_t max_cols = 6;
inline constexpr std::int64_t max_groups = 8;

/// Calls f; the three engage error types are an expected refusal, everything else propagates (a finding).
template <class F>
void guard(F&& f) {
  try {
    f();
  } catch (const engage::invalid_input&) {
  } catch (const engage::insufficient_data&) {
  } catch (const engage::convergence_error&) {
  }
}

/// As guard, and also swallows the std::domain_error / std::overflow_error that Boost.Math throws in the known,
/// still open findings of tests/fuzz/findings/README.md (use only at those call sites).
/// ENGAGE_FUZZ_UNMASK_KNOWN turns the mask off.
template <class F>
void guard_known(F&& f) {
#ifdef ENGAGE_FUZZ_UNMASK_KNOWN
  guard(f);
#else
  try {
    guard(f);
  } catch (const std::domain_error&) {
  } catch (const std::overflow_error&) {
  } catch (const boost::math::evaluation_error&) {
  }
#endif
}

/// The awkward doubles: non-finite, signed zeros, extremes, denormals, fractions, and values just off the
/// usual scales (0..10 eNPS, 1..5 Likert, probabilities, correlations).
inline constexpr std::array<double, 32> palette{
    std::numeric_limits<double>::quiet_NaN(),
    std::numeric_limits<double>::infinity(),
    -std::numeric_limits<double>::infinity(),
    0.0,
    -0.0,
    1e308,
    -1e308,
    1e-308,
    -1e-308,
    std::numeric_limits<double>::denorm_min(),
    2.2250738585072014e-310,
    std::numeric_limits<double>::max(),
    std::numeric_limits<double>::lowest(),
    std::numeric_limits<double>::epsilon(),
    0.5,
    1.0 - 1e-16,
    1.0 + 1e-15,
    -1.0,
    -0.5,
    0.05,
    0.95,
    0.999999,
    1e-300,
    11.0,   // above the eNPS scale
    10.5,
    6.0,    // above a 5-point scale
    -1.0,
    99.0,   // a common "don't know" code
    1e6,
    -1e6,
    9.2233720368547758e18,  // 2^63
    4.5,
};

/// The decoder of one fuzz input.
class input {
 public:
  input(const std::uint8_t* data, std::size_t size) : p_(data, size) {}

  FuzzedDataProvider& provider() { return p_; }

  // Ranges given the wrong way round (lo > hi, e.g. from a fuzzed scale) are swapped.
  std::size_t size(std::size_t lo, std::size_t hi) {
    return p_.ConsumeIntegralInRange<std::size_t>(std::min(lo, hi), std::max(lo, hi));
  }
  int integer(int lo, int hi) { return p_.ConsumeIntegralInRange<int>(std::min(lo, hi), std::max(lo, hi)); }
  bool flag() { return p_.ConsumeBool(); }
  template <class Enum>
  Enum pick(int count) {
    return static_cast<Enum>(p_.ConsumeIntegralInRange<int>(0, count - 1));
  }

  /// Mostly a small integer in [lo, hi] (so the data reach the statistics), else a palette value or raw bits.
  double value(int lo, int hi) {
    if (lo > hi) std::swap(lo, hi);
    const auto sel = p_.ConsumeIntegral<std::uint8_t>();
    if (sel < 160) return static_cast<double>(p_.ConsumeIntegralInRange<int>(lo, hi));
    if (sel < 232) return palette[p_.ConsumeIntegralInRange<std::size_t>(0, palette.size() - 1)];
    if (sel < 248) return lo + (hi - lo) * p_.ConsumeProbability<double>();
    return p_.ConsumeFloatingPoint<double>();
  }
  /// A probability-like value: mostly in [0, 1], with palette values.
  double unit() {
    const auto sel = p_.ConsumeIntegral<std::uint8_t>();
    if (sel < 96) return p_.ConsumeProbability<double>();
    if (sel < 144) return static_cast<double>(p_.ConsumeIntegralInRange<int>(0, 1));
    if (sel < 240) return palette[p_.ConsumeIntegralInRange<std::size_t>(0, palette.size() - 1)];
    return p_.ConsumeFloatingPoint<double>();
  }
  /// A confidence level: usually valid, sometimes not (0, 1, 95, NaN...).
  double level() {
    const auto sel = p_.ConsumeIntegral<std::uint8_t>();
    double l = 0.95;
    if (sel < 128) l = 0.95;
    else if (sel < 192) l = p_.ConsumeProbability<double>();
    else l = palette[p_.ConsumeIntegralInRange<std::size_t>(0, palette.size() - 1)];
#ifndef ENGAGE_FUZZ_UNMASK_KNOWN
    // Known finding tests/fuzz/findings/README.md #1: the level just below 1 makes normal_critical throw
    // boost's std::overflow_error. Masked so the harnesses look further; build with ENGAGE_FUZZ_UNMASK_KNOWN
    // to see it again (and remove this once it is fixed).
    if (l == std::nextafter(1.0, 0.0)) l = 0.95;
    // Known finding #3: a level below 2^-53 makes 1 - level == 1 (one-sided correlation intervals throw).
    if (l > 0.0 && l < 0x1p-53) l = 0.95;
#endif
    return l;
  }
  std::optional<double> maybe(int lo, int hi) {
    if (!flag()) return std::nullopt;
    return value(lo, hi);
  }

  Eigen::VectorXd vec(std::size_t n, int lo, int hi) {
    Eigen::VectorXd v(static_cast<Eigen::Index>(n));
    for (auto& x : v) x = value(lo, hi);
    return v;
  }
  Eigen::VectorXd units(std::size_t n) {
    Eigen::VectorXd v(static_cast<Eigen::Index>(n));
    for (auto& x : v) x = unit();
    return v;
  }
  engage::row_matrix matrix(std::size_t rows, std::size_t cols, int lo, int hi) {
    engage::row_matrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = value(lo, hi);
    return m;
  }

  /// A group code: mostly 0..groups-1, sometimes negative or an int64 extreme.
  std::int64_t code(std::int64_t groups) {
    const auto sel = p_.ConsumeIntegral<std::uint8_t>();
    if (sel < 224) return p_.ConsumeIntegralInRange<std::int64_t>(0, groups - 1);
    switch (sel % 4) {
      case 0: return std::numeric_limits<std::int64_t>::min();
      case 1: return std::numeric_limits<std::int64_t>::max();
      case 2: return -1;
      default: return p_.ConsumeIntegral<std::int64_t>();
    }
  }
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> codes(std::size_t n, std::int64_t groups) {
    Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1> v(static_cast<Eigen::Index>(n));
    for (auto& x : v) x = code(groups);
    return v;
  }
  std::int64_t groups() { return p_.ConsumeIntegralInRange<std::int64_t>(1, max_groups); }

 private:
  FuzzedDataProvider p_;
};

/// Keeps a result alive so the optimiser cannot drop the call.
template <class T>
void use(const T& value) {
  asm volatile("" : : "r"(&value) : "memory");
}

}  // namespace engage_fuzz
