#include <gtest/gtest.h>

#include <cmath>
#include <engage/multiplicity.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

using engage_test::load;

std::vector<double> numbers(const nlohmann::json& a) {
  std::vector<double> v;
  for (const auto& x : a) v.push_back(x.is_null() ? std::nan("") : x.get<double>());
  return v;
}

TEST(AdjustPvalues, MatchesRPadjust) {
  const auto ref = load("p_adjust_reference.json");
  int checked = 0;
  for (const auto& c : ref["cases"]) {
    const auto p = numbers(c["p"]);
    for (const auto& [method, expected_json] : c["adjusted"].items()) {
      const auto expected = numbers(expected_json);
      const auto got = engage::adjust_pvalues(p, engage::parse_p_adjust_method(method));
      ASSERT_EQ(got.size(), expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        if (std::isnan(expected[i])) {
          EXPECT_TRUE(std::isnan(got[i])) << method << " [" << i << "]";
        } else {
          EXPECT_NEAR(got[i], expected[i], 1e-12 * std::max(1.0, std::fabs(expected[i]))) << method << " [" << i << "]";
        }
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 18);
}

TEST(AdjustPvalues, MethodsDocumentedValues) {
  // METHODS.md section 8 golden values (R p.adjust, rounded there to 4-5 digits).
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005, 0.20, 0.049};
  const auto holm = engage::adjust_pvalues(p, engage::p_adjust_method::holm);
  const std::vector<double> expected{0.05, 0.12, 0.12, 0.03, 0.20, 0.12};
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(holm[i], expected[i], 1e-12);
}

TEST(AdjustPvalues, BadInput) {
  EXPECT_THROW((void)engage::adjust_pvalues({0.1, 1.5}, engage::p_adjust_method::holm), engage::invalid_input);
  EXPECT_THROW((void)engage::adjust_pvalues({-0.1}, engage::p_adjust_method::bh), engage::invalid_input);
  EXPECT_THROW((void)engage::parse_p_adjust_method("holm-sidak"), engage::invalid_input);
  EXPECT_TRUE(engage::adjust_pvalues({}, engage::p_adjust_method::holm).empty());
}

}  // namespace
