// The confidentiality engine, tested by attacking it: whatever an observer can subtract must itself hold at
// least the minimum number of respondents.
#include <gtest/gtest.h>

#include <engage/confidentiality.hpp>
#include <map>
#include <random>

namespace {

using engage::suppression;

TEST(Suppress, NothingHiddenWhenAllLargeEnough) {
  const auto s = engage::suppress({5, 6, 100}, {}, 5);
  EXPECT_EQ(s, (std::vector<suppression>(3, suppression::shown)));
}

TEST(Suppress, OneSmallGroupHidesTheNextSmallest) {
  const auto s = engage::suppress({12, 3, 9, 30}, {}, 5);
  EXPECT_EQ(s, (std::vector<suppression>{suppression::shown, suppression::below_minimum, suppression::complementary,
                                         suppression::shown}));
}

TEST(Suppress, SmallGroupsThatTogetherReachTheMinimumNeedNoComplement) {
  const auto s = engage::suppress({2, 3, 40, 41}, {}, 5);
  EXPECT_EQ(s, (std::vector<suppression>{suppression::below_minimum, suppression::below_minimum, suppression::shown,
                                         suppression::shown}));
}

TEST(Suppress, EmptyCellsGiveNoCover) {
  // A group with no respondents hides nothing: the 3 must still be protected by a real group.
  const auto s = engage::suppress({0, 3, 10, 20}, {}, 5);
  EXPECT_EQ(s[0], suppression::below_minimum);
  EXPECT_EQ(s[2], suppression::complementary);
  EXPECT_EQ(s[3], suppression::shown);
}

TEST(Suppress, TiesBrokenByPosition) {
  const auto s = engage::suppress({1, 8, 8}, {}, 5);
  EXPECT_EQ(s[1], suppression::complementary);
  EXPECT_EQ(s[2], suppression::shown);
}

TEST(Suppress, WorksWithinEachParent) {
  // Department 0: teams of 10 and 2; department 1: teams of 6 and 7.
  const auto s = engage::suppress({10, 2, 6, 7}, {0, 0, 1, 1}, 5);
  EXPECT_EQ(s, (std::vector<suppression>{suppression::complementary, suppression::below_minimum, suppression::shown,
                                         suppression::shown}));
}

TEST(Suppress, RejectsZeroMinimumAndMismatchedParent) {
  EXPECT_THROW((void)engage::suppress({1, 2}, {}, 0), engage::invalid_input);
  EXPECT_THROW((void)engage::suppress({1, 2}, {0}, 5), engage::invalid_input);
}

// The attack: an observer knows the parent total and every shown cell. What they can recover is the sum over
// the hidden cells, so for every parent the hidden cells with respondents must be none, or hold >= minimum.
void expect_no_recoverable_small_aggregate(const std::vector<std::size_t>& n, const std::vector<std::int64_t>& parent,
                                           std::size_t k) {
  const auto s = engage::suppress(n, parent, k);
  std::map<std::int64_t, std::size_t> hidden, shown_cells;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const auto p = parent.empty() ? 0 : parent[i];
    // Every cell below the minimum is hidden, whatever else happens.
    if (n[i] < k) {
      EXPECT_NE(s[i], suppression::shown) << "cell " << i;
    }
    if (s[i] != suppression::shown) hidden[p] += n[i];
    else ++shown_cells[p];
  }
  for (const auto& [p, total] : hidden) {
    // With no cell shown the observer learns nothing beyond the parent total, which is then itself below the
    // minimum (and suppressed at its own level) or at least the minimum.
    if (shown_cells[p] == 0) continue;
    EXPECT_TRUE(total == 0 || total >= k) << "parent " << p << " leaks an aggregate of " << total;
  }
}

TEST(Suppress, RandomBreakdownsNeverLeakByParentMinusShownChildren) {
  std::mt19937 gen(7);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t cells = 1 + gen() % 12;
    std::vector<std::size_t> n(cells);
    std::vector<std::int64_t> parent(cells);
    for (std::size_t i = 0; i < cells; ++i) {
      n[i] = gen() % 15;
      parent[i] = static_cast<std::int64_t>(gen() % 3);
    }
    const std::size_t k = 1 + gen() % 8;
    expect_no_recoverable_small_aggregate(n, parent, k);
    expect_no_recoverable_small_aggregate(n, {}, k);
  }
}

}  // namespace
