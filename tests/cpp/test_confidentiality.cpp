// The confidentiality engine, tested by attacking it: whatever an observer can subtract must itself hold at
// least the minimum number of respondents.
#include <gtest/gtest.h>

#include <engage/confidentiality.hpp>
#include <algorithm>
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
    // The attack assumes every parent total is known; a parent below the minimum is itself protected (its total
    // is not assumed known, and so neither is the total of the only other parent), so test partitions without.
    std::map<std::int64_t, std::size_t> totals;
    for (std::size_t i = 0; i < cells; ++i) totals[parent[i]] += n[i];
    if (std::all_of(totals.begin(), totals.end(), [&](const auto& t) { return t.second == 0 || t.second >= k; }))
      expect_no_recoverable_small_aggregate(n, parent, k);
    expect_no_recoverable_small_aggregate(n, {}, k);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// The release engine: several tables decided jointly.

namespace release_tests {

using engage::release;
using engage::release_table;

// One entry per person: person p is in cell cell_of[p] and answered `measure` with category p % 3.
release_table table_of(release& r, const std::string& name, const std::vector<std::int64_t>& cell_of,
                       std::size_t cells, const std::string& measure = "enps") {
  release_table t;
  t.name = name;
  t.cells = cells;
  const auto m = r.measure(measure);
  for (std::size_t p = 0; p < cell_of.size(); ++p) {
    if (cell_of[p] < 0) continue;
    t.unit.push_back(static_cast<std::int64_t>(p));
    t.cell.push_back(cell_of[p]);
    t.measure.push_back(m);
    t.category.push_back(static_cast<std::int32_t>(p % 3));
  }
  return t;
}

// Teams of 6, 7, 3 in departments {0, 1} and {2}; team 2 is below the minimum.
const std::vector<std::int64_t> team = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2};
const std::vector<std::int64_t> dept = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};

TEST(Release, DepartmentMinusTeamsIsProtectedAcrossTables) {
  release r;
  const auto teams = r.publish(table_of(r, "teams", team, 3));
  EXPECT_EQ(teams.status[2], suppression::below_minimum);
  // total - teams 0 and 1 = team 2: one of them must go.
  EXPECT_EQ(std::count(teams.status.begin(), teams.status.end(), suppression::complementary), 1);
  // The department table: department 1 *is* team 2, so it is hidden too; department 0 = teams 0 + 1.
  const auto depts = r.publish(table_of(r, "departments", dept, 2));
  EXPECT_NE(depts.status[1], suppression::shown);
  EXPECT_TRUE(r.audit().empty());
}

TEST(Release, AuditFindsWhatSeparateTablesGiveAway) {
  // Published separately (each its own release), the department table shows department 0 and the team table
  // shows team 0, hiding team 1 as complementary only within itself.
  release r;
  auto t = table_of(r, "teams", {0, 0, 0, 0, 0, 0, 1, 1, 1}, 2);
  auto d = table_of(r, "departments", {0, 0, 0, 0, 0, 0, 0, 0, 0}, 1);
  r.record(t, {suppression::shown, suppression::below_minimum});
  r.record(d, {suppression::shown});
  const auto found = r.audit();
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().table, "teams");
  EXPECT_EQ(found.front().cell, 1);
  EXPECT_NE(found.front().determined_by.find("-1 teams[0]"), std::string::npos);  // total (or department) - team 0
}

TEST(Release, FilteredTableIsProtectedAgainstTheUnfilteredOne) {
  // A team of 8 shown; then the same team without its 2 remote workers would give the 2 away.
  release r;
  const std::vector<std::int64_t> all(8, 0);
  std::vector<std::int64_t> office(8, 0);
  office[6] = office[7] = -1;
  EXPECT_EQ(r.publish(table_of(r, "team", all, 1)).status[0], suppression::shown);
  EXPECT_EQ(r.publish(table_of(r, "team, office only", office, 1)).status[0], suppression::complementary);
  EXPECT_TRUE(r.audit().empty());
}

TEST(Release, UnanimousGroupsAndEffectiveN) {
  release r({5, 10});
  release_table t = table_of(r, "teams", {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, 2);
  for (std::size_t i = 0; i < 5; ++i) t.category[i] = 0;  // team 0: five detractors
  t.effective_n = {5.0, 1.0};                              // team 1: one person carries the weight
  const auto d = r.publish(t);
  EXPECT_EQ(d.status[0], suppression::unanimous);
  EXPECT_EQ(d.status[1], suppression::low_effective_n);
  EXPECT_EQ(d.unanimous[0], 1);
}

TEST(Release, ItemSetsCannotBeSubtracted) {
  // A team of 5: all answered q1, one person answered q2. Index over {q1, q2} then over {q1}.
  release r;
  const auto q1 = r.measure("q1"), q2 = r.measure("q2");
  release_table both;
  both.name = "index(q1,q2)";
  both.cells = 1;
  for (std::int64_t p = 0; p < 5; ++p) {
    both.unit.push_back(p), both.cell.push_back(0), both.measure.push_back(q1), both.category.push_back(int(p % 2));
    if (p == 0) both.unit.push_back(p), both.cell.push_back(0), both.measure.push_back(q2), both.category.push_back(0);
  }
  release_table one;
  one.name = "index(q1)";
  one.cells = 1;
  for (std::int64_t p = 0; p < 5; ++p)
    one.unit.push_back(p), one.cell.push_back(0), one.measure.push_back(q1), one.category.push_back(int(p % 2));
  EXPECT_EQ(r.publish(both).status[0], suppression::shown);
  EXPECT_EQ(r.publish(one).status[0], suppression::complementary);  // else both - one = the q2 answer of one person
  EXPECT_TRUE(r.audit().empty());
}

TEST(Release, DeterministicAndRejectsBadTables) {
  release a, b;
  EXPECT_EQ(a.publish(table_of(a, "t", team, 3)).status, b.publish(table_of(b, "t", team, 3)).status);
  release r;
  auto t = table_of(r, "t", team, 3);
  t.cell[0] = 7;
  EXPECT_THROW((void)r.publish(t), engage::invalid_input);
  t = table_of(r, "t", team, 3);
  t.measure[0] = 99;
  EXPECT_THROW((void)r.publish(t), engage::invalid_input);
  t = table_of(r, "t", team, 3);
  t.cell.pop_back();
  EXPECT_THROW((void)r.publish(t), engage::invalid_input);
  EXPECT_THROW(release({0, 10}), engage::invalid_input);
  EXPECT_TRUE(r.table_names().empty());  // a rejected table leaves the release as it was
}

}  // namespace release_tests

namespace release_tests {

TEST(Release, RefusedTotalStaysProtectedWhenItsGroupIsSplitLater) {
  // Team 0: 17 remote + 3 office (2 men, 1 woman); team 1: 20 remote. The remote-only team table has a total
  // that would give the 3 office people; after a gender table splits them, a one-cell table over the remote
  // people (that same total) must still be hidden.
  release r;
  std::vector<std::int64_t> in_team(40), remote(40), gender(40), all_remote(40);
  for (std::size_t p = 0; p < 40; ++p) {
    in_team[p] = p < 20 ? 0 : 1;
    const bool office = p >= 17 && p < 20;
    remote[p] = office ? -1 : in_team[p];
    gender[p] = (p == 17 || p == 18) ? 0 : 1;
    all_remote[p] = office ? -1 : 0;
  }
  (void)r.publish(table_of(r, "teams", in_team, 2));
  (void)r.publish(table_of(r, "teams, remote", remote, 2));
  (void)r.publish(table_of(r, "gender", gender, 2));
  EXPECT_NE(r.publish(table_of(r, "remote", all_remote, 1)).status[0], suppression::shown);
  EXPECT_TRUE(r.audit().empty());
}

}  // namespace release_tests
