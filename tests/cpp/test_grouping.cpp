#include <gtest/gtest.h>

#include <engage/grouping.hpp>

namespace {

using codes = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>;

codes make(std::initializer_list<std::int64_t> v) {
  codes c(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (auto x : v) c[i++] = x;
  return c;
}

TEST(Factorize, DenseKeysAreSortedAndCoded) {
  const auto f = engage::factorize(make({42, 7, 42, 9, 7}));
  EXPECT_EQ(f.keys, (std::vector<std::int64_t>{7, 9, 42}));
  EXPECT_EQ(f.codes, (std::vector<std::int64_t>{2, 0, 2, 1, 0}));
}

TEST(Factorize, SparseKeysTakeTheSortingPath) {
  const std::int64_t big = std::int64_t{1} << 60;
  const auto f = engage::factorize(make({big, -big, 0, big}));
  EXPECT_EQ(f.keys, (std::vector<std::int64_t>{-big, 0, big}));
  EXPECT_EQ(f.codes, (std::vector<std::int64_t>{2, 0, 1, 2}));
}

TEST(Factorize, ExtremeKeysDoNotOverflow) {
  const auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  const auto f = engage::factorize(make({hi, lo}));
  EXPECT_EQ(f.keys, (std::vector<std::int64_t>{lo, hi}));
}

TEST(Factorize, EmptyInput) {
  const auto f = engage::factorize(codes(0));
  EXPECT_TRUE(f.keys.empty());
  EXPECT_TRUE(f.codes.empty());
}

TEST(AccumulateBy, SumsPerGroupInOnePass) {
  const auto c = make({0, 1, 0, 2, 1, 0});
  const auto sizes = engage::accumulate_by<int>(c, 3, [](int& a, Eigen::Index) { ++a; });
  EXPECT_EQ(sizes, (std::vector<int>{3, 2, 1}));
}

TEST(AccumulateBy, BadCodeNamesTheRow) {
  const auto c = make({0, 1, 5});
  try {
    (void)engage::accumulate_by<int>(c, 3, [](int& a, Eigen::Index) { ++a; });
    FAIL() << "expected invalid_input";
  } catch (const engage::invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("groups[2] = 5"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)engage::accumulate_by<int>(make({-1}), 3, [](int&, Eigen::Index) {}), engage::invalid_input);
}

}  // namespace
