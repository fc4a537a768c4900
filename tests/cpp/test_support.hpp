// Helpers shared by the GoogleTest files in tests/cpp: reading the reference JSON in tests/data, building Eigen
// vectors, and the relative-tolerance checks. Only helpers that were identical in several test files live here;
// ones that differ (meta_analysis's vec and expect_close, survival's expect_close, ...) stay in their own file.
// Bring the names in with using-declarations inside each test file's anonymous namespace.
#pragma once

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace engage_test {

/// A reference file of tests/data (ENGAGE_TEST_DATA is set per test target by tests/cpp/CMakeLists.txt).
inline nlohmann::json load(const char* name) {
  std::ifstream in(std::string(ENGAGE_TEST_DATA) + "/" + name);
  if (!in) throw std::runtime_error(std::string("cannot open reference file ") + name);
  return nlohmann::json::parse(in);
}

/// A JSON array of numbers as a vector, null (R's NA) as NaN.
inline Eigen::VectorXd vec(const nlohmann::json& a) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(a.size()));
  for (std::size_t i = 0; i < a.size(); ++i) v[static_cast<Eigen::Index>(i)] = a[i].is_null() ? NAN : a[i].get<double>();
  return v;
}

inline Eigen::VectorXd vec(std::initializer_list<double> x) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(x.size()));
  Eigen::Index i = 0;
  for (double d : x) v[i++] = d;
  return v;
}

// Relative tolerance 1e-8 (deterministic methods), absolute near zero. An expected NaN always fails here; see
// nan_aware::expect_close for the variant where NaN must match NaN.
inline void expect_close(double got, double expected, const std::string& what, double rel = 1e-8) {
  EXPECT_NEAR(got, expected, rel * std::max(1.0, std::fabs(expected))) << what;
}

// p-values: relative to the value itself (they span many orders of magnitude).
inline void expect_p(double got, double expected, const std::string& what) {
  EXPECT_NEAR(got, expected, 1e-8 * std::fabs(expected) + 1e-300) << what;
}

namespace nan_aware {

// As engage_test::expect_close, but an expected NaN passes when the result is NaN too.
inline void expect_close(double got, double expected, const std::string& what, double rel = 1e-8) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": expected NaN, got " << got;
    return;
  }
  EXPECT_NEAR(got, expected, rel * std::max(1.0, std::fabs(expected))) << what;
}

}  // namespace nan_aware

}  // namespace engage_test
