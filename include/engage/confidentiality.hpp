#pragma once
/// @file confidentiality.hpp
/// The release engine: the one place where engage decides which figures may be published.
///
/// A *release* is everything published together (the tables of one report, or the calls an analyst makes
/// through one `engage::release`). Each published cell (a row of a grouped table) is a sum over respondents,
/// so an observer who holds every published cell can add and subtract them. The engine models exactly that:
///
/// - Respondents are grouped into *atoms*, the classes of respondents that belong to the same published cells
///   with the same answers used (so a table over a filtered subset, or over another item set, is modelled
///   against the unfiltered one). A *coordinate* is an atom together with one measure (what was answered:
///   an eNPS question, an item, a person-level index over an item set); a second coordinate per atom stands
///   for the respondents' head count, which every cell is taken to publish (counts and figures can be
///   combined: the `n` of an eNPS table with a participation count).
/// - Every cell is two 0/1 rows over the coordinates (its answers, its head count). A cell is *determined*
///   when its row lies in the span of the published rows.
/// - *Primary* cells are the ones that must never be determined: a cell with fewer than `min_group_size`
///   answers behind its figure (`below_minimum`), with a Kish effective n below it (`low_effective_n`), a
///   cell whose answers all fall into one category in a group under `min_distribution_size`
///   (`unanimous`: every member's answer would be known), and every atom with fewer than `min_group_size`
///   members (so that no filter or item set can be subtracted from another to isolate a few people).
/// - Complementary suppression is Gaussian elimination over the published rows in the manner of Statistics
///   Norway's Gauss suppression: candidate cells are offered largest first (the smallest cells are the ones
///   hidden), each is published unless its rows would bring a primary row into the span, in which case it is
///   hidden (`complementary`). Exact integer arithmetic (fraction-free elimination), so "determined" has no
///   tolerance. Among cells of equal size the earlier one is hidden; results are deterministic.
/// - Small pieces inside one cell or total (a container) must not be recoverable together when they hold fewer
///   than `min_group_size` respondents between them (or fewer answers to one measure): pieces are below-minimum
///   cells, totals of a small parent and small classes of respondents; per container their union, and per table
///   and level their unions enumerated smallest first (a stated budget; classes only where they are few). So is
///   a container minus one cell nested in it (a team minus its one-location filter).
/// - Cells already published in the release stay published; a new table is decided against all of them.
///
/// Each table also assumes its totals known, offered before its cells: its grand total (the overall figure),
/// and with a `parent` partition the total of every parent (the department of a team); a total that would
/// itself give a small group away (a filtered table's total against the unfiltered table) is not assumed known,
/// and the cells are then decided so that they do not give it either. An observer who knows them from elsewhere gains
/// nothing, so the protection does not rest on their being unpublished.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <tuple>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <functional>

#include "config.hpp"
#include "errors.hpp"

namespace engage {

/// Why a row of a breakdown is (not) shown.
enum class suppression : std::uint8_t {
  shown = 0,            ///< published
  below_minimum = 1,    ///< fewer answers than the minimum group size (primary suppression)
  complementary = 2,    ///< hidden so that the primary-suppressed cells cannot be recovered by subtraction
  unanimous = 3,        ///< every answer in one category, in a group under the distribution minimum
  low_effective_n = 4,  ///< with weights: Kish effective n below the minimum group size
};

/// Text used in every output for a suppression state ("shown", "below_minimum", "complementary", ...).
inline const char* to_string(suppression s) {
  switch (s) {
    case suppression::shown: return "shown";
    case suppression::below_minimum: return "below_minimum";
    case suppression::complementary: return "complementary";
    case suppression::unanimous: return "unanimous";
    case suppression::low_effective_n: return "low_effective_n";
  }
  return "unknown";
}

/// The rules of a release.
struct release_options {
  /// Smallest number of answers behind a published figure (and of respondents in any isolable class).
  std::size_t min_group_size = 5;
  /// Below this many answers, a cell whose answers all fall into one category is hidden (`unanimous`);
  /// at or above it the cell is published and flagged.
  std::size_t min_distribution_size = 10;
};

/// One table offered to a release: its cells and, entry by entry, the answers behind their figures.
struct release_table {
  std::string name;            ///< shown in the audit ("enps_by(team)")
  std::size_t cells = 0;       ///< rows of the published table
  std::vector<std::string> cell_labels;  ///< optional, one per cell, for the audit
  // One entry per answer a figure uses (parallel vectors):
  std::vector<std::int64_t> unit;        ///< who answered (an id shared by every table of the release)
  std::vector<std::int64_t> cell;        ///< the cell the answer counts in, 0..cells-1
  /// What was answered (`release::measure` ids), or `release::member`: the row is in the cell's group but gave
  /// no answer its figure uses (it counts for the head-count classes, not in the cell's n).
  std::vector<std::int64_t> measure;
  std::vector<std::int32_t> category;    ///< the answer's category for the unanimity rule; -1: none
  /// Respondents an entry stands for (empty: one each). A unit with weight w is a block of w respondents
  /// that are alike in everything the release sees (a table of its own uses one block per cell and
  /// category, so it costs O(cells), not O(rows)); its weight must be the same in every entry.
  std::vector<std::size_t> weight;
  /// Per cell, with survey weights: Kish effective n (empty: unweighted).
  std::vector<double> effective_n;
  /// Per cell, the parent partition whose totals are assumed known (empty: only the table's grand total).
  std::vector<std::int64_t> parent;
};

/// The decision on one table.
struct release_decision {
  std::vector<suppression> status;       ///< per cell
  std::vector<std::size_t> n;            ///< answers (distinct respondents) behind each cell's figure
  std::vector<std::uint8_t> unanimous;   ///< per cell: all its answers in one category
  /// Whether the table's grand total (first) and each parent's total (by parent key, ascending) were taken as
  /// known; a total refused is one that would have given a small group away.
  std::vector<std::uint8_t> totals_known;
};

/// A hidden cell (or an isolable class of respondents) that the published cells determine.
struct release_finding {
  std::string table;                     ///< the table of the cell ("" for a class of respondents)
  std::int64_t cell = -1;                ///< its index in the table (-1 for a class of respondents)
  std::string label;                     ///< its label, or a description of the class
  std::size_t n = 0;                     ///< respondents in it
  std::string what;                      ///< "answers" or "head count"
  /// The published cells that determine it: (table index, cell index, coefficient); a negative cell index
  /// -1 - g is the table's g-th total assumed known (0: the grand total).
  std::vector<std::tuple<std::size_t, std::int64_t, double>> combination;
  std::string determined_by;             ///< the combination in words ("+1 enps_by(department)[Legal] -1 ...")
};

namespace detail {

/// A sparse integer vector: coordinates ascending, no zeros.
using sparse_row = std::vector<std::pair<std::int64_t, std::int64_t>>;

inline std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw std::overflow_error("release: integer overflow in the elimination");
  return r;
}
inline std::int64_t checked_sub(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) throw std::overflow_error("release: integer overflow in the elimination");
  return r;
}

/// a*w - b*v (exact; no normalisation).
inline sparse_row axpy(const sparse_row& w, std::int64_t a, const sparse_row& v, std::int64_t b) {
  sparse_row out;
  out.reserve(w.size() + v.size());
  std::size_t i = 0, j = 0;
  while (i < w.size() || j < v.size()) {
    std::int64_t c, x;
    if (j == v.size() || (i < w.size() && w[i].first < v[j].first)) {
      c = w[i].first, x = checked_mul(a, w[i].second), ++i;
    } else if (i == w.size() || v[j].first < w[i].first) {
      c = v[j].first, x = checked_sub(0, checked_mul(b, v[j].second)), ++j;
    } else {
      c = w[i].first, x = checked_sub(checked_mul(a, w[i].second), checked_mul(b, v[j].second)), ++i, ++j;
    }
    if (x != 0) out.emplace_back(c, x);
  }
  return out;
}

inline std::int64_t gcd_of(const sparse_row& w, std::int64_t g = 0) {
  for (const auto& e : w) g = std::gcd(g, e.second);
  return g;
}
inline void divide(sparse_row& w, std::int64_t g) {
  if (g > 1)
    for (auto& e : w) e.second /= g;
}

/// a*w - b*v divided by the gcd of its entries (fraction-free elimination keeps the numbers small).
inline sparse_row combine(const sparse_row& w, std::int64_t a, const sparse_row& v, std::int64_t b) {
  auto out = axpy(w, a, v, b);
  divide(out, gcd_of(out));
  return out;
}

inline std::int64_t coefficient(const sparse_row& w, std::int64_t c) {
  const auto it = std::lower_bound(w.begin(), w.end(), std::make_pair(c, std::numeric_limits<std::int64_t>::min()));
  return it != w.end() && it->first == c ? it->second : 0;
}

/**
 * Gaussian elimination over the integers with a semi-echelon basis: every basis vector's pivot is its smallest
 * coordinate, and a vector is reduced by eliminating its pivot coordinates in increasing order (each
 * elimination only adds larger coordinates, so it ends). With `track`, each vector also carries its
 * combination of the offered rows (`combo`, row ids; id -1 is the vector being tested), and vector and
 * combination are scaled together, so `v = sum(combo * rows)` holds throughout.
 */
class elimination {
 public:
  explicit elimination(bool track) : track_(track) {}

  struct vec {
    sparse_row v;
    sparse_row combo;
  };

  /// `w` reduced by the basis (no pivot coordinate left).
  vec reduce(vec w) const {
    std::int64_t cursor = std::numeric_limits<std::int64_t>::min();
    for (;;) {
      auto it = std::lower_bound(w.v.begin(), w.v.end(),
                                 std::make_pair(cursor, std::numeric_limits<std::int64_t>::min()));
      while (it != w.v.end() && !pivot_of_.count(it->first)) ++it;
      if (it == w.v.end()) return w;
      const std::int64_t c = it->first, wc = it->second;
      const auto& b = basis_[pivot_of_.at(c)];
      const std::int64_t bc = b.v.front().second;
      const std::int64_t g0 = std::gcd(bc, wc);
      const std::int64_t a = bc / g0, m = wc / g0;
      w.v = axpy(w.v, a, b.v, m);
      if (track_) {
        w.combo = axpy(w.combo, a, b.combo, m);
        const auto g = gcd_of(w.combo, gcd_of(w.v));
        divide(w.v, g), divide(w.combo, g);
      } else {
        divide(w.v, gcd_of(w.v));
      }
      cursor = c + 1;
    }
  }

  /// Adds a reduced, non-zero vector to the basis; returns its pivot coordinate.
  std::int64_t add(vec w) {
    const std::int64_t c = w.v.front().first;
    pivot_of_.emplace(c, basis_.size());
    basis_.push_back(std::move(w));
    return c;
  }
  std::size_t rank() const { return basis_.size(); }

 private:
  bool track_;
  std::vector<vec> basis_;
  std::unordered_map<std::int64_t, std::size_t> pivot_of_;
};

inline std::uint64_t mix64(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace detail

/**
 * A release: the tables published together, decided jointly so that no primary cell can be worked out from
 * any combination of the published ones.
 *
 * **Example**:
 * ```
 * engage::release r({.min_group_size = 5});
 * engage::release_table t{.name = "by team", .cells = 2};
 * const auto enps = r.measure("enps");
 * for (std::int64_t person = 0; person < 9; ++person) {      // team 0: 6 people, team 1: 3 people
 *   t.unit.push_back(person); t.cell.push_back(person < 6 ? 0 : 1);
 *   t.measure.push_back(enps); t.category.push_back(static_cast<std::int32_t>(person % 3));
 * }
 * auto d = r.publish(t);   // d.status == {complementary, below_minimum}: total - team 0 would give team 1
 * ```
 */
class release {
 public:
  explicit release(release_options options = {}) : options_(options) {
    if (options_.min_group_size < 1) throw invalid_input("min_group_size = 0: must be at least 1");
  }

  const release_options& options() const { return options_; }

  /// The measure of an entry that records group membership without an answer.
  static constexpr std::int64_t member = -1;

  /// The id of a named measure (what a figure counts: "enps", an item column, "person_mean(q1,q2)").
  std::int64_t measure(const std::string& name) {
    const std::lock_guard<std::mutex> lock(*mutex_);  // a publish on another thread reads the names
    const auto [it, fresh] = measures_.try_emplace(name, static_cast<std::int64_t>(measure_names_.size()));
    if (fresh) measure_names_.push_back(name);
    return it->second;
  }

  /// Seconds spent deciding tables so far (the cost of joint suppression, for benchmarks).
  double seconds() const {
    const std::lock_guard<std::mutex> lock(*mutex_);
    return seconds_;
  }

  /// Tables published so far (their names, in order).
  std::vector<std::string> table_names() const {
    const std::lock_guard<std::mutex> lock(*mutex_);
    std::vector<std::string> out;
    for (const auto& t : tables_) out.push_back(t.table.name);
    return out;
  }
  /// The decision taken on table `i`.
  release_decision decision(std::size_t i) const {
    const std::lock_guard<std::mutex> lock(*mutex_);
    return tables_.at(i).decision;
  }

  /**
   * Decides which cells of `table` are published, jointly with every table published before in this
   * release (those stay as they were). Deterministic.
   */
  release_decision publish(release_table table) {
    const std::lock_guard<std::mutex> lock(*mutex_);  // tables may be offered from several threads
    const auto start = std::chrono::steady_clock::now();
    validate(table);
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      if (tables_[t].alias_of != static_cast<std::size_t>(-1) || !same_entries(tables_[t].table, table)) continue;
      stored a;
      a.decision = tables_[t].decision;
      a.alias_of = t;
      a.table.name = std::move(table.name);
      a.table.cells = table.cells;
      a.table.cell_labels = std::move(table.cell_labels);
      tables_.push_back(std::move(a));
      seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return tables_.back().decision;
    }
    stored s;
    s.table = std::move(table);
    s.decision = first_decision(s.table);
    tables_.push_back(std::move(s));
    try {
      decide_last();
    } catch (...) {
      tables_.pop_back();
      throw;
    }
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return tables_.back().decision;
  }

  /**
   * Records a table that was published without this release (with the states it was published with), so
   * that `audit` can check what is already out: for example the tables of separate calls.
   */
  void record(release_table table, const std::vector<suppression>& status) {
    const std::lock_guard<std::mutex> lock(*mutex_);
    validate(table);
    detail::require_same_length("status", status.size(), "cells", table.cells);
    stored s;
    s.table = std::move(table);
    s.decision = first_decision(s.table);
    s.decision.status = status;
    // Whoever holds a published table holds its total.
    std::vector<std::size_t> all(s.table.cells);
    std::iota(all.begin(), all.end(), std::size_t{0});
    s.margin_cells = {std::move(all)};
    s.margin_key = {std::numeric_limits<std::int64_t>::min()};
    s.margin_known = {1};
    s.decision.totals_known = s.margin_known;
    tables_.push_back(std::move(s));
  }

  /// The decision table `i` would get as a release of its own (for comparing joint with table-by-table
  /// suppression).
  release_decision decision_alone(std::size_t i) const {
    const std::lock_guard<std::mutex> lock(*mutex_);
    release own(options_);
    for (const auto& name : measure_names_) own.measure(name);
    const auto& s = tables_.at(i);
    return own.publish(s.alias_of == static_cast<std::size_t>(-1) ? s.table : tables_.at(s.alias_of).table);
  }

  /// Every hidden primary cell, and every class of fewer than `min_group_size` respondents, that the
  /// published cells (and the totals assumed known) determine, with the combination that does. Empty when
  /// the release is safe.
  std::vector<release_finding> audit() const {
    const std::lock_guard<std::mutex> lock(*mutex_);
    const model m = build_model();
    const auto size_of = m.coordinate_sizes();
    detail::elimination e(true);
    struct owner_t { std::size_t table; std::int64_t cell; };
    std::vector<owner_t> owner;  // offered row id -> its cell (cell < 0: a total, -1 - index)
    auto add_row = [&](const detail::sparse_row& r, std::size_t t, std::int64_t c) {
      if (r.empty()) return;
      const auto id = static_cast<std::int64_t>(owner.size());
      owner.push_back({t, c});
      auto red = e.reduce({r, {{id, 1}}});
      if (!red.v.empty()) e.add(std::move(red));
    };
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      const auto& s = tables_[t];
      for (std::size_t g = 0; g < s.margin_cells.size(); ++g) {
        if (!s.margin_known[g]) continue;
        add_row(m.margin_value[t][g], t, -1 - static_cast<std::int64_t>(g));
        add_row(m.margin_count[t][g], t, -1 - static_cast<std::int64_t>(g));
      }
      for (std::size_t c = 0; c < s.table.cells; ++c) {
        if (s.decision.status[c] != suppression::shown) continue;
        add_row(m.cell_value[t][c], t, static_cast<std::int64_t>(c));
        add_row(m.cell_count[t][c], t, static_cast<std::int64_t>(c));
      }
    }
    std::vector<release_finding> out;
    auto check = [&](const detail::sparse_row& target, release_finding f) {
      if (target.empty()) return;
      // The target carries id -1: at the end 0 = s * target - sum(combo * rows), so target = sum(combo/s).
      auto red = e.reduce({target, {{-1, 1}}});
      if (!red.v.empty()) return;
      const double scale = double(detail::coefficient(red.combo, -1));
      for (const auto& [id, coef] : red.combo) {
        if (id < 0) continue;
        const auto& o = owner[static_cast<std::size_t>(id)];
        f.combination.emplace_back(o.table, o.cell, -double(coef) / scale);
      }
      for (const auto& [t, c, coef] : f.combination) {
        if (!f.determined_by.empty()) f.determined_by += " ";
        f.determined_by += (coef > 0 ? "+" : "") + detail::format_value(coef) + " " + label_of(t, c);
      }
      out.push_back(std::move(f));
    };
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      const auto& s = tables_[t];
      for (std::size_t c = 0; c < s.table.cells; ++c) {
        const auto st = s.decision.status[c];
        if (st == suppression::shown || st == suppression::complementary || s.decision.n[c] == 0) continue;
        release_finding f{s.table.name, static_cast<std::int64_t>(c), label_of(t, static_cast<std::int64_t>(c)),
                          s.decision.n[c], "answers", {}, {}};
        check(m.cell_value[t][c], f);
        if (row_size(m.cell_count[t][c], size_of) < options_.min_group_size) {
          f.what = "head count";
          check(m.cell_count[t][c], f);
        }
      }
    }
    const auto nv = m.coordinate_atom.size();
    for (const auto& sl : measure_slices(m, size_of)) check(sl.value, {"", -1, sl.label, sl.n, "answers", {}, {}});
    for (std::size_t t = 0; t < tables_.size(); ++t)
      for (std::size_t g = 0; g < tables_[t].margin_cells.size(); ++g) {
        if (tables_[t].margin_known[g] || m.margin_value[t][g].empty()) continue;
        const auto label = label_of(t, -1 - static_cast<std::int64_t>(g));
        const auto n = row_size(m.margin_count[t][g], size_of);
        check(m.margin_value[t][g], {tables_[t].table.name, -1 - static_cast<std::int64_t>(g), label, n, "answers", {}, {}});
        if (n < options_.min_group_size)
          check(m.margin_count[t][g], {tables_[t].table.name, -1 - static_cast<std::int64_t>(g), label, n, "head count", {}, {}});
      }
    for (const auto& u : nested_unions(m, size_of, true)) {
      check(u.value, {"", -1, u.label, u.n, "answers", {}, {}});
      check(u.count, {"", -1, u.label, u.n, "head count", {}, {}});
    }
    for (std::size_t a = 0; a < m.group_size.size(); ++a) {
      if (m.group_size[a] >= options_.min_group_size) continue;
      release_finding f{"", -1, m.group_label[a], m.group_size[a], "head count", {}, {}};
      check({{static_cast<std::int64_t>(nv + a), 1}}, f);
    }
    for (std::size_t c = 0; c < nv; ++c) {
      const auto a = m.coordinate_atom[c];
      if (m.atom_size[a] >= options_.min_group_size) continue;
      release_finding f{"", -1, m.atom_label[a] + ", answering " + measure_names_[std::size_t(m.coordinate_measure[c])],
                        m.atom_size[a], "answers", {}, {}};
      check({{static_cast<std::int64_t>(c), 1}}, f);
    }
    return out;
  }

  /// The coordinates and published rows of the release, for a linear-programming audit (see `engage.audit`):
  /// `coordinate_size[c]` respondents, `coordinate_counts[c][k]` of them in category k; rows over coordinates.
  struct structure {
    std::vector<std::size_t> coordinate_size;
    std::vector<std::int64_t> coordinate_measure;  // -1: head count
    std::vector<std::vector<std::size_t>> coordinate_counts;
    std::vector<detail::sparse_row> published;         // value rows of published cells and known totals
    std::vector<std::pair<std::size_t, std::int64_t>> hidden_cells;  // (table, cell) of hidden cells with n > 0
    std::vector<detail::sparse_row> hidden;            // their value rows
  };
  structure export_structure() const {
    const std::lock_guard<std::mutex> lock(*mutex_);
    model m = build_model();
    structure out;
    const std::size_t nv = m.coordinate_atom.size();
    out.coordinate_size.resize(nv);
    out.coordinate_measure.resize(nv);
    out.coordinate_counts.assign(nv, {});
    for (std::size_t c = 0; c < nv; ++c) {
      out.coordinate_size[c] = m.atom_size[m.coordinate_atom[c]];
      out.coordinate_measure[c] = m.coordinate_measure[c];
      out.coordinate_counts[c] = m.coordinate_categories[c];
    }
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      const auto& s = tables_[t];
      for (std::size_t g = 0; g < s.margin_cells.size(); ++g)
        if (s.margin_known[g]) out.published.push_back(m.margin_value[t][g]);
      for (std::size_t c = 0; c < s.table.cells; ++c) {
        if (s.decision.status[c] == suppression::shown) {
          out.published.push_back(m.cell_value[t][c]);
        } else if (s.decision.n[c] > 0) {
          out.hidden_cells.emplace_back(t, static_cast<std::int64_t>(c));
          out.hidden.push_back(m.cell_value[t][c]);
        }
      }
    }
    return out;
  }

  /// The label of cell `c` of table `t` ("enps_by(team)[T012]"; c < 0: the table's total -1 - c).
  std::string cell_label(std::size_t t, std::int64_t c) const {
    const std::lock_guard<std::mutex> lock(*mutex_);
    if (t >= tables_.size())
      throw invalid_input("table = " + std::to_string(t) + ": the release has " + std::to_string(tables_.size()) + " tables");
    const auto& s = tables_[t];
    if (c >= 0 ? static_cast<std::uint64_t>(c) >= s.table.cells : static_cast<std::uint64_t>(-1 - c) >= s.margin_cells.size())
      throw invalid_input("cell = " + std::to_string(c) + ": not a cell (0.." + std::to_string(s.table.cells) +
                          ") or total (-1..-" + std::to_string(s.margin_cells.size()) + ") of table " + std::to_string(t));
    return label_of(t, c);
  }

 private:
  std::string label_of(std::size_t t, std::int64_t c) const {
    const auto& tb = tables_.at(t).table;
    if (c < 0) {
      const auto g = static_cast<std::size_t>(-1 - c);
      return tb.name + (tables_[t].margin_key[g] == std::numeric_limits<std::int64_t>::min()
                            ? std::string("[total]")
                            : "[total of parent " + std::to_string(tables_[t].margin_key[g]) + "]");
    }
    const auto i = static_cast<std::size_t>(c);
    return tb.name + "[" + (i < tb.cell_labels.size() ? tb.cell_labels[i] : std::to_string(i)) + "]";
  }

  struct stored {
    release_table table;
    release_decision decision;
    // Totals assumed known: lists of cells, their parent key (min() = grand total), and whether they were
    // taken as known (a total below the minimum is itself protected, not assumed known).
    std::vector<std::vector<std::size_t>> margin_cells;
    std::vector<std::int64_t> margin_key;
    std::vector<std::uint8_t> margin_known;
    // A table offered again with the same entries (a report's linkage repeats its unit table per outcome and
    // lag) adds nothing an observer can use: it keeps the first one's decision and carries no entries.
    std::size_t alias_of = static_cast<std::size_t>(-1);
  };

  static bool same_entries(const release_table& a, const release_table& b) {
    return a.cells == b.cells && a.unit == b.unit && a.cell == b.cell && a.measure == b.measure &&
           a.category == b.category && a.weight == b.weight && a.effective_n == b.effective_n && a.parent == b.parent;
  }

  // The elimination's view of the release: atoms, coordinates and every cell's rows.
  struct model {
    std::vector<std::size_t> atom_size;    // answer atoms: same cells and same answers used
    std::vector<std::string> atom_label;
    std::vector<std::size_t> group_size;   // head-count classes: same cells, whatever was answered
    std::vector<std::size_t> atom_group;   // atom -> its head-count class (an atom lies in one)
    std::vector<std::string> group_label;
    std::vector<std::size_t> coordinate_atom;         // value coordinate -> atom
    std::vector<std::int64_t> coordinate_measure;     // value coordinate -> measure
    std::vector<std::vector<std::size_t>> coordinate_categories;
    std::vector<std::vector<detail::sparse_row>> cell_value, cell_count, margin_value, margin_count;
    /// Respondents behind each coordinate: answer coordinates first, then the head count of each atom.
    std::vector<std::size_t> coordinate_sizes() const {
      const auto nv = coordinate_atom.size();
      std::vector<std::size_t> out(nv + group_size.size());
      for (std::size_t c = 0; c < nv; ++c) out[c] = atom_size[coordinate_atom[c]];
      for (std::size_t a = 0; a < group_size.size(); ++a) out[nv + a] = group_size[a];
      return out;
    }
  };

  void validate(const release_table& t) const {
    const std::size_t e = t.unit.size();
    detail::require_same_length("cell", t.cell.size(), "unit", e);
    detail::require_same_length("measure", t.measure.size(), "unit", e);
    if (!t.category.empty()) detail::require_same_length("category", t.category.size(), "unit", e);
    if (!t.weight.empty()) detail::require_same_length("weight", t.weight.size(), "unit", e);
    if (!t.effective_n.empty()) detail::require_same_length("effective_n", t.effective_n.size(), "cells", t.cells);
    if (!t.parent.empty()) detail::require_same_length("parent", t.parent.size(), "cells", t.cells);
    if (!t.cell_labels.empty()) detail::require_same_length("cell_labels", t.cell_labels.size(), "cells", t.cells);
    for (std::size_t i = 0; i < e; ++i) {
      if (t.cell[i] < 0 || static_cast<std::uint64_t>(t.cell[i]) >= t.cells)
        detail::fail_at("cell", i, double(t.cell[i]), "must lie in [0, " + std::to_string(t.cells) + ")");
      if (t.measure[i] < member || (t.measure[i] >= 0 && static_cast<std::uint64_t>(t.measure[i]) >= measure_names_.size()))
        detail::fail_at("measure", i, double(t.measure[i]), "not a measure of this release");
    }
  }

  release_decision first_decision(const release_table& t) const {
    release_decision d;
    d.status.assign(t.cells, suppression::shown);
    d.n.assign(t.cells, 0);
    d.unanimous.assign(t.cells, 0);
    // Distinct respondents per cell, and whether all answers share one category.
    std::vector<std::size_t> order;
    order.reserve(t.unit.size());
    for (std::size_t i = 0; i < t.unit.size(); ++i)
      if (t.measure[i] != member) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return t.cell[a] != t.cell[b] ? t.cell[a] < t.cell[b] : t.unit[a] < t.unit[b];
    });
    std::vector<std::int32_t> first_category(t.cells, std::numeric_limits<std::int32_t>::min());
    std::vector<std::uint8_t> mixed(t.cells, 0);
    for (std::size_t k = 0; k < order.size(); ++k) {
      const auto i = order[k];
      const auto c = static_cast<std::size_t>(t.cell[i]);
      if (k == 0 || t.cell[order[k - 1]] != t.cell[i] || t.unit[order[k - 1]] != t.unit[i])
        d.n[c] += t.weight.empty() ? 1 : t.weight[i];
      const std::int32_t cat = t.category.empty() ? -1 : t.category[i];
      if (cat < 0) mixed[c] = 1;
      else if (first_category[c] == std::numeric_limits<std::int32_t>::min()) first_category[c] = cat;
      else if (first_category[c] != cat) mixed[c] = 1;
    }
    for (std::size_t c = 0; c < t.cells; ++c) {
      d.unanimous[c] = d.n[c] > 0 && !mixed[c] ? 1 : 0;
      if (d.n[c] < options_.min_group_size) d.status[c] = suppression::below_minimum;
      else if (!t.effective_n.empty() && !(t.effective_n[c] >= double(options_.min_group_size)))
        d.status[c] = suppression::low_effective_n;
      else if (d.unanimous[c] && d.n[c] < options_.min_distribution_size) d.status[c] = suppression::unanimous;
    }
    return d;
  }

  model build_model() const {
    model m;
    // Atoms: respondents with the same (table, cell, measure) entries. Two independent 64-bit sums of mixed
    // entry hashes identify a signature (order-free; a collision needs 128 bits to agree by chance).
    std::unordered_map<std::int64_t, std::size_t> dense;  // unit id -> dense index, in order of first use
    std::vector<std::pair<std::uint64_t, std::uint64_t>> sig;
    std::vector<std::pair<std::size_t, std::int64_t>> first_cell;  // (table, cell) of each unit's first entry
    std::vector<std::int64_t> unit_id;
    std::vector<std::size_t> unit_weight;
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      const auto& tb = tables_[t].table;
      for (std::size_t i = 0; i < tb.unit.size(); ++i) {
        const auto [it, fresh] = dense.try_emplace(tb.unit[i], sig.size());
        if (fresh) {
          sig.emplace_back(0, 0), first_cell.emplace_back(t, tb.cell[i]), unit_id.push_back(tb.unit[i]);
          unit_weight.push_back(tb.weight.empty() ? 1 : tb.weight[i]);
        }
        if (tb.measure[i] == member) continue;
        const std::uint64_t h = detail::mix64((std::uint64_t(t) << 40) ^ std::uint64_t(tb.cell[i])) ^
                                detail::mix64(~std::uint64_t(tb.measure[i]));
        sig[it->second].first += detail::mix64(h);
        sig[it->second].second += detail::mix64(h ^ 0x5851f42d4c957f2dULL);
      }
    }
    struct pair_hash {
      std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& p) const { return p.first ^ (p.second << 1); }
    };
    std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, std::size_t, pair_hash> atom_of_sig;
    std::vector<std::size_t> unit_atom(sig.size());
    for (std::size_t u = 0; u < sig.size(); ++u) {
      const auto [it, fresh] = atom_of_sig.try_emplace(sig[u], m.atom_size.size());
      if (fresh) {
        m.atom_size.push_back(0);
        m.atom_label.push_back("respondents like unit " + std::to_string(unit_id[u]) + " of " +
                               label_of(first_cell[u].first, first_cell[u].second));
      }
      unit_atom[u] = it->second;
      m.atom_size[it->second] += unit_weight[u];
    }
    // Head-count classes: respondents in the same cells, whatever they answered (which items someone skipped is
    // not a group to protect; who is in a team, a tenure band or a filter is). Each (table, cell) once per unit.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> gsig(sig.size(), {0, 0});
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      const auto& tb = tables_[t].table;
      std::vector<std::pair<std::size_t, std::int64_t>> in_cell(tb.unit.size());
      for (std::size_t i = 0; i < tb.unit.size(); ++i) in_cell[i] = {dense.at(tb.unit[i]), tb.cell[i]};
      std::sort(in_cell.begin(), in_cell.end());
      in_cell.erase(std::unique(in_cell.begin(), in_cell.end()), in_cell.end());
      for (const auto& [u, cell] : in_cell) {
        const std::uint64_t h = detail::mix64((std::uint64_t(t) << 40) ^ std::uint64_t(cell));
        gsig[u].first += detail::mix64(h);
        gsig[u].second += detail::mix64(h ^ 0x5851f42d4c957f2dULL);
      }
    }
    std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, std::size_t, pair_hash> group_of_sig;
    std::vector<std::size_t> unit_group(sig.size());
    for (std::size_t u = 0; u < sig.size(); ++u) {
      const auto [it, fresh] = group_of_sig.try_emplace(gsig[u], m.group_size.size());
      if (fresh) {
        m.group_size.push_back(0);
        m.group_label.push_back("respondents like unit " + std::to_string(unit_id[u]) + " of " +
                                label_of(first_cell[u].first, first_cell[u].second));
      }
      unit_group[u] = it->second;
      m.group_size[it->second] += unit_weight[u];
    }
    m.atom_group.assign(m.atom_size.size(), 0);
    for (std::size_t u = 0; u < sig.size(); ++u) {
      m.atom_group[unit_atom[u]] = unit_group[u];
    }
    // Value coordinates (atom, measure), in order of first appearance; category counts from the first table
    // entry of each respondent and measure.
    const auto n_measures = static_cast<std::uint64_t>(measure_names_.size());
    std::unordered_map<std::uint64_t, std::size_t> coord;
    std::unordered_map<std::uint64_t, std::uint8_t> counted;
    std::vector<std::vector<std::vector<std::int64_t>>> value(tables_.size()), count(tables_.size());
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      const auto& tb = tables_[t].table;
      value[t].assign(tb.cells, {});
      count[t].assign(tb.cells, {});
      for (std::size_t i = 0; i < tb.unit.size(); ++i) {
        const auto u = dense.at(tb.unit[i]);
        const auto cell = static_cast<std::size_t>(tb.cell[i]);
        count[t][cell].push_back(static_cast<std::int64_t>(unit_group[u]));
        if (tb.measure[i] == member) continue;
        const auto a = unit_atom[u];
        const auto ms = static_cast<std::uint64_t>(tb.measure[i]);
        const auto [it, fresh] = coord.try_emplace(std::uint64_t(a) * n_measures + ms, m.coordinate_atom.size());
        if (fresh) {
          m.coordinate_atom.push_back(a);
          m.coordinate_measure.push_back(tb.measure[i]);
          m.coordinate_categories.emplace_back();
        }
        const auto c = it->second;
        value[t][cell].push_back(static_cast<std::int64_t>(c));
        const std::int32_t cat = tb.category.empty() ? -1 : tb.category[i];
        if (cat >= 0 && counted.try_emplace(std::uint64_t(u) * n_measures + ms, 1).second) {
          auto& v = m.coordinate_categories[c];
          if (v.size() <= static_cast<std::size_t>(cat)) v.resize(static_cast<std::size_t>(cat) + 1, 0);
          v[static_cast<std::size_t>(cat)] += unit_weight[u];
        }
      }
    }
    const auto nv = static_cast<std::int64_t>(m.coordinate_atom.size());
    auto to_row = [](std::vector<std::int64_t> ids, std::int64_t offset) {
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      detail::sparse_row r;
      r.reserve(ids.size());
      for (const auto id : ids) r.emplace_back(id + offset, 1);
      return r;
    };
    m.cell_value.resize(tables_.size());
    m.cell_count.resize(tables_.size());
    m.margin_value.resize(tables_.size());
    m.margin_count.resize(tables_.size());
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      const auto& s = tables_[t];
      for (std::size_t c = 0; c < s.table.cells; ++c) {
        m.cell_value[t].push_back(to_row(value[t][c], 0));
        m.cell_count[t].push_back(to_row(count[t][c], nv));
      }
      for (const auto& cells : s.margin_cells) {
        std::vector<std::int64_t> v, n;
        for (const auto c : cells) {
          v.insert(v.end(), value[t][c].begin(), value[t][c].end());
          n.insert(n.end(), count[t][c].begin(), count[t][c].end());
        }
        m.margin_value[t].push_back(to_row(std::move(v), 0));
        m.margin_count[t].push_back(to_row(std::move(n), nv));
      }
    }
    return m;
  }

  struct nested_union {
    detail::sparse_row value, count;
    std::size_t n;
    std::string label;
  };
  /// Unions enumerated per container, table and level beyond the union of all its small pieces there (smallest
  /// pieces first). An attacker subtracting the rest of a container gets the union of all its undetermined pieces; a
  /// strict subset needs further relations that cancel the others, so a container with thousands of small
  /// pieces (a company total over a team x tenure table) has its first unions protected, not all.
  static constexpr std::size_t max_unions_per_group = 2048;
  /// Small classes of respondents inside one container above which only their union is protected.
  static constexpr std::size_t max_enumerated_classes = 12;
  /// The groups a release protects beyond its cells: unions of two or more small pieces (below-minimum cells,
  /// totals of a parent with fewer than the minimum, classes of respondents with fewer) that lie inside one cell
  /// or total, with fewer than the minimum respondents (or answers to a measure) together, and each container
  /// minus a cell nested in it with fewer outside it. Labels only for the audit (`labels`). For each
  /// container, the union of all of them, and per table (and per level: cells, parent totals) the unions of its
  /// pieces there (a team's two small location cells inside the team, its other cells shown, are a group; so are
  /// the three one-person teams of a company whose other teams' totals are known).
  std::vector<nested_union> nested_unions(const model& m, const std::vector<std::size_t>& size_of,
                                          bool labels) const {
    const std::size_t k = options_.min_group_size;
    // A piece is (table, cell), (table, -1 - g) for the table's g-th total, or (classes, g) for a head-count
    // class of fewer than the minimum (a filtered table's total against the unfiltered one leaves such classes).
    using piece = std::pair<std::size_t, std::int64_t>;
    const std::size_t classes = tables_.size();
    const auto nv = static_cast<std::int64_t>(m.coordinate_atom.size());
    std::unordered_map<std::int64_t, std::pair<detail::sparse_row, detail::sparse_row>> class_rows;  // value, count
    for (std::size_t g = 0; g < m.group_size.size(); ++g)
      if (m.group_size[g] > 0 && m.group_size[g] < k) class_rows[std::int64_t(g)].second = {{nv + std::int64_t(g), 1}};
    for (std::size_t c = 0; c < m.coordinate_atom.size(); ++c) {
      const auto it = class_rows.find(std::int64_t(m.atom_group[m.coordinate_atom[c]]));
      if (it != class_rows.end()) it->second.first.emplace_back(std::int64_t(c), 1);
    }
    auto count_of = [&](const piece& p) -> const detail::sparse_row& {
      if (p.first == classes) return class_rows.at(p.second).second;
      return p.second >= 0 ? m.cell_count[p.first][std::size_t(p.second)] : m.margin_count[p.first][std::size_t(-1 - p.second)];
    };
    auto value_of = [&](const piece& p) -> const detail::sparse_row& {
      if (p.first == classes) return class_rows.at(p.second).first;
      return p.second >= 0 ? m.cell_value[p.first][std::size_t(p.second)] : m.margin_value[p.first][std::size_t(-1 - p.second)];
    };
    auto piece_label = [&](const piece& p) {
      return p.first == classes ? m.group_label[std::size_t(p.second)] : label_of(p.first, p.second);
    };
    std::unordered_map<std::int64_t, std::vector<piece>> small_of_atom;
    std::size_t n_small = 0;
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      for (std::size_t c = 0; c < tables_[t].table.cells; ++c) {
        const auto& d = tables_[t].decision;
        if (d.status[c] == suppression::below_minimum && d.n[c] > 0 && !m.cell_count[t][c].empty()) {
          small_of_atom[m.cell_count[t][c].front().first].emplace_back(t, std::int64_t(c));
          ++n_small;
        }
      }
      for (std::size_t g = 0; g < tables_[t].margin_cells.size(); ++g) {
        const auto& r = m.margin_count[t][g];
        if (!r.empty() && row_size(r, size_of) < k) {
          small_of_atom[r.front().first].emplace_back(t, -1 - std::int64_t(g));
          ++n_small;
        }
      }
    }
    for (const auto& [g, r] : class_rows) {
      small_of_atom[r.second.front().first].emplace_back(classes, g);
      ++n_small;
    }
    // Every cell by the first coordinate of its head count, largest first, for the differences below.
    struct keyed { std::size_t size, t, c; };
    std::unordered_map<std::int64_t, std::vector<keyed>> cell_of_atom;
    for (std::size_t t = 0; t < tables_.size(); ++t)
      for (std::size_t c = 0; c < tables_[t].table.cells; ++c)
        if (!m.cell_count[t][c].empty())
          cell_of_atom[m.cell_count[t][c].front().first].push_back({row_size(m.cell_count[t][c], size_of), t, c});
    for (auto& [atom, cells] : cell_of_atom)
      std::sort(cells.begin(), cells.end(), [](const keyed& a, const keyed& b) { return a.size > b.size; });
    std::vector<nested_union> out;
    std::unordered_map<std::uint64_t, std::uint8_t> seen;
    auto rows = [](std::vector<std::int64_t> ids) {
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      detail::sparse_row r;
      for (const auto id : ids) r.emplace_back(id, 1);
      return r;
    };
    auto fresh = [&](const detail::sparse_row& value, const detail::sparse_row& count) {
      std::uint64_t h = 0x243f6a8885a308d3ULL;
      for (const auto& x : value) h = detail::mix64(h ^ std::uint64_t(x.first));
      h = detail::mix64(h ^ 0x9e3779b97f4a7c15ULL);
      for (const auto& x : count) h = detail::mix64(h ^ std::uint64_t(x.first));
      return seen.try_emplace(h, 1).second;
    };
    // A group to protect: its answers and head count when it has fewer than the minimum members, else the answers
    // to each measure that fewer than the minimum gave (members who skipped count, their answers do not).
    auto protect = [&](detail::sparse_row value, detail::sparse_row count, const std::function<std::string()>& label) {
      const auto sz = row_size(count, size_of);
      if (sz == 0) return;
      if (sz < k) {
        if (fresh(value, count)) out.push_back({std::move(value), std::move(count), sz, labels ? label() : std::string()});
        return;
      }
      std::map<std::int64_t, detail::sparse_row> by_measure;
      for (const auto& e : value) by_measure[m.coordinate_measure[static_cast<std::size_t>(e.first)]].push_back(e);
      for (auto& [measure, part] : by_measure) {
        const auto n = row_size(part, size_of);
        if (n == 0 || n >= k || !fresh(part, {})) continue;
        out.push_back({std::move(part), {}, n,
                       labels ? label() + ", answers to " + measure_names_[std::size_t(measure)] : std::string()});
      }
    };
    // The union of the pieces `members`.
    auto emit = [&](const std::vector<piece>& members) {
      std::vector<std::int64_t> v, n;
      for (const auto& p : members) {
        for (const auto& x : value_of(p)) v.push_back(x.first);
        for (const auto& x : count_of(p)) n.push_back(x.first);
      }
      protect(rows(std::move(v)), rows(std::move(n)), [&] {
        std::string label;
        for (const auto& p : members) label += (label.empty() ? "" : " + ") + piece_label(p);
        return label;
      });
    };
    // A cell nested in a container with fewer than the minimum outside it (a filtered team inside the team):
    // the difference is a small group, protected as such (its answers where both count the same answers).
    auto differences = [&](const detail::sparse_row& container, const detail::sparse_row& container_value,
                           std::size_t ct, std::int64_t cc) {
      const auto total = row_size(container, size_of);
      for (const auto& e : container) {
        const auto it = cell_of_atom.find(e.first);
        if (it == cell_of_atom.end()) continue;
        for (const auto& [sz, t, c] : it->second) {
          if (sz + k <= total) break;
          if (sz >= total) continue;
          const auto& r = m.cell_count[t][c];
          if (!std::all_of(r.begin(), r.end(), [&](const auto& x) { return detail::coefficient(container, x.first) != 0; }))
            continue;
          auto count = detail::axpy(container, 1, r, 1);
          const auto& bv = m.cell_value[t][c];
          detail::sparse_row value;
          if (std::all_of(bv.begin(), bv.end(), [&](const auto& x) { return detail::coefficient(container_value, x.first) != 0; }))
            value = detail::axpy(container_value, 1, bv, 1);
          protect(std::move(value), std::move(count),
                  [&, t = t, c = c] { return label_of(ct, cc) + " - " + label_of(t, static_cast<std::int64_t>(c)); });
        }
      }
    };
    auto visit = [&](const detail::sparse_row& container) {
      std::vector<piece> inside;
      for (const auto& e : container) {
        const auto it = small_of_atom.find(e.first);
        if (it == small_of_atom.end()) continue;
        for (const auto& p : it->second) {
          const auto& r = count_of(p);
          if (&r != &container && std::all_of(r.begin(), r.end(),
                                              [&](const auto& x) { return detail::coefficient(container, x.first) != 0; }))
            inside.push_back(p);
        }
      }
      if (inside.size() < 2) return;
      std::sort(inside.begin(), inside.end());
      inside.erase(std::unique(inside.begin(), inside.end()), inside.end());
      emit(inside);
      // Per table and level: its pieces here are disjoint, so a union's size is the sum and subsets can be pruned.
      const auto level = [](const piece& p) { return p.second < 0; };
      for (std::size_t lo = 0; lo < inside.size();) {
        std::size_t hi = lo;
        while (hi < inside.size() && inside[hi].first == inside[lo].first && level(inside[hi]) == level(inside[lo])) ++hi;
        std::vector<piece> group(inside.begin() + std::ptrdiff_t(lo), inside.begin() + std::ptrdiff_t(hi));
        lo = hi;
        if (group.size() < 2) continue;
        if (group.size() < inside.size()) emit(group);
        // Classes of respondents are many in a large container (every skip pattern makes one): there only their
        // union is protected, subsets where they are few (a team, a filtered team).
        if (group.front().first == classes && group.size() > max_enumerated_classes) continue;
        std::vector<std::pair<std::size_t, piece>> sized;
        for (const auto& p : group) sized.emplace_back(row_size(count_of(p), size_of), p);
        std::sort(sized.begin(), sized.end());
        std::vector<piece> chosen;
        std::size_t budget = max_unions_per_group;
        std::function<void(std::size_t, std::size_t)> dfs = [&](std::size_t from, std::size_t total) {
          if (chosen.size() >= 2 && chosen.size() < group.size() && budget > 0) emit(chosen), --budget;
          for (std::size_t i = from; i < sized.size() && budget > 0; ++i) {
            if (total + sized[i].first >= k) break;  // sizes ascending: no later piece fits either
            chosen.push_back(sized[i].second);
            dfs(i + 1, total + sized[i].first);
            chosen.pop_back();
          }
        };
        dfs(0, 0);
      }
    };
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      for (std::size_t c = 0; c < tables_[t].table.cells; ++c) {
        if (n_small >= 2) visit(m.cell_count[t][c]);
        differences(m.cell_count[t][c], m.cell_value[t][c], t, static_cast<std::int64_t>(c));
      }
      for (std::size_t g = 0; g < tables_[t].margin_cells.size(); ++g) {
        if (n_small >= 2) visit(m.margin_count[t][g]);
        differences(m.margin_count[t][g], m.margin_value[t][g], t, -1 - static_cast<std::int64_t>(g));
      }
    }
    return out;
  }

  struct slice {
    detail::sparse_row value;
    std::size_t n;
    std::string label;
  };
  /// The one-measure parts of cells whose figure uses several measures (an index over items: the team's answers
  /// to each item). Each is what a later one-item table would publish, so it is protected from now on when it
  /// is small or unanimous: otherwise the index minus the other items would give it before its table exists.
  std::vector<slice> measure_slices(const model& m, const std::vector<std::size_t>& size_of) const {
    std::vector<slice> out;
    std::unordered_map<std::uint64_t, std::uint8_t> seen;
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      for (std::size_t c = 0; c < tables_[t].table.cells; ++c) {
        const auto& row = m.cell_value[t][c];
        if (row.size() < 2) continue;
        std::map<std::int64_t, detail::sparse_row> by_measure;
        for (const auto& e : row) by_measure[m.coordinate_measure[static_cast<std::size_t>(e.first)]].push_back(e);
        if (by_measure.size() < 2) continue;
        for (auto& [measure, part] : by_measure) {
          const auto n = row_size(part, size_of);
          std::vector<std::size_t> cats;
          std::size_t categorised = 0;
          for (const auto& e : part) {
            const auto& v = m.coordinate_categories[static_cast<std::size_t>(e.first)];
            if (cats.size() < v.size()) cats.resize(v.size(), 0);
            for (std::size_t j = 0; j < v.size(); ++j) cats[j] += v[j], categorised += v[j];
          }
          const bool unanimous = categorised == n && std::count_if(cats.begin(), cats.end(), [](auto x) { return x > 0; }) == 1;
          if (!(n > 0 && (n < options_.min_group_size || (unanimous && n < options_.min_distribution_size)))) continue;
          std::uint64_t h = 0;
          for (const auto& e : part) h = detail::mix64(h ^ std::uint64_t(e.first));
          if (!seen.try_emplace(h, 1).second) continue;
          out.push_back({std::move(part), n,
                         label_of(t, static_cast<std::int64_t>(c)) + ", answers to " + measure_names_[std::size_t(measure)]});
        }
      }
    }
    return out;
  }

  static std::size_t row_size(const detail::sparse_row& r, const std::vector<std::size_t>& size_of) {
    std::size_t s = 0;
    for (const auto& e : r) s += size_of[static_cast<std::size_t>(e.first)];
    return s;
  }

  void decide_last() {
    auto& last = tables_.back();
    // The new table's totals: the grand total, and each parent's total.
    {
      const auto& tb = last.table;
      std::map<std::int64_t, std::vector<std::size_t>> parts;
      for (std::size_t c = 0; c < tb.cells; ++c)
        if (!tb.parent.empty()) parts[tb.parent[c]].push_back(c);
      // The grand total first (the overall figure), then each parent's total.
      std::vector<std::size_t> all(tb.cells);
      std::iota(all.begin(), all.end(), std::size_t{0});
      last.margin_cells = {all};
      last.margin_key = {std::numeric_limits<std::int64_t>::min()};
      if (parts.size() > 1) {
        for (auto& [key, cells] : parts) {
          last.margin_cells.push_back(std::move(cells));
          last.margin_key.push_back(key);
        }
      }
      last.margin_known.assign(last.margin_cells.size(), 0);
    }
    const model m = build_model();
    const auto size_of = m.coordinate_sizes();
    const std::size_t k = options_.min_group_size;

    detail::elimination basis(false);
    auto absorb = [&](const detail::sparse_row& r) {
      if (r.empty()) return;
      auto red = basis.reduce({r, {}});
      if (!red.v.empty()) basis.add(std::move(red));
    };
    const std::size_t t_last = tables_.size() - 1;
    for (std::size_t t = 0; t < t_last; ++t) {
      const auto& s = tables_[t];
      for (std::size_t g = 0; g < s.margin_cells.size(); ++g)
        if (s.margin_known[g]) absorb(m.margin_value[t][g]), absorb(m.margin_count[t][g]);
      for (std::size_t c = 0; c < s.table.cells; ++c)
        if (s.decision.status[c] == suppression::shown) absorb(m.cell_value[t][c]), absorb(m.cell_count[t][c]);
    }

    // Primary rows, kept reduced against the basis; `watch[c]` lists the primaries that may hold coordinate c.
    // Each is a hash map updated in place, so that a long primary (a total minus a few cells) costs what the
    // offered row costs, not its own length, at every update.
    using dense_row = std::unordered_map<std::int64_t, std::int64_t>;
    std::vector<dense_row> primary;
    auto add_primary = [&](const detail::sparse_row& r) {
      if (r.empty()) return;
      auto red = basis.reduce({r, {}});
      if (red.v.empty()) return;  // already determined by earlier publications: nothing left to protect here
      primary.emplace_back(red.v.begin(), red.v.end());
    };
    auto primary_cell = [&](std::size_t t, std::size_t c) {
      const auto& d = tables_[t].decision;
      const auto st = d.status[c];
      if (st == suppression::shown || st == suppression::complementary || d.n[c] == 0) return;
      add_primary(m.cell_value[t][c]);
      // The head count of its group (members who gave no answer included) is protected when it is small too.
      if (row_size(m.cell_count[t][c], size_of) < k) add_primary(m.cell_count[t][c]);
    };
    for (std::size_t t = 0; t < tables_.size(); ++t)
      for (std::size_t c = 0; c < tables_[t].table.cells; ++c) primary_cell(t, c);
    for (std::size_t t = 0; t < tables_.size(); ++t)
      for (std::size_t g = 0; g < tables_[t].margin_cells.size(); ++g) {
        const auto sz = row_size(m.margin_count[t][g], size_of);
        // A total refused earlier (it would have given a small group away then) stays protected: a later table
        // that splits that group into new classes must not publish the total under another name.
        const bool refused = t + 1 < tables_.size() && !tables_[t].margin_known[g];
        if (sz > 0 && sz < k) add_primary(m.margin_value[t][g]), add_primary(m.margin_count[t][g]);
        else if (sz > 0 && refused) add_primary(m.margin_value[t][g]);  // its head count is no small group
      }
    for (std::size_t c = 0; c < size_of.size(); ++c)
      if (size_of[c] > 0 && size_of[c] < k) add_primary({{static_cast<std::int64_t>(c), 1}});
    // Small cells nested in one cell (or total) must not be recoverable together either: the teams of 1 and 3
    // hidden in a department, with its other teams shown, would give away a group of 4.
    for (const auto& u : nested_unions(m, size_of, false)) add_primary(u.value), add_primary(u.count);
    for (const auto& sl : measure_slices(m, size_of)) add_primary(sl.value);
    std::unordered_map<std::int64_t, std::vector<std::size_t>> watch;
    for (std::size_t p = 0; p < primary.size(); ++p)
      for (const auto& e : primary[p]) watch[e.first].push_back(p);

    // Offers a cell's rows; publishes them unless a primary row would become determined. A cell's two rows
    // live in disjoint coordinates (answers, head counts), and so does every primary, so an offer updates a
    // primary at most once: eliminating the offered row's pivot from it. That update empties the primary
    // exactly when the primary is proportional to the offered row, which is checked first; the updates are
    // applied only when the offer is published.
    auto offer = [&](const std::vector<const detail::sparse_row*>& rows) {
      struct update { std::size_t p, row; std::int64_t a, b; };  // primary[p] = a * primary[p] - b * reduced[row]
      std::vector<detail::elimination::vec> reduced;
      std::vector<update> updates;
      std::unordered_map<std::size_t, std::size_t> touched;  // primary -> the row that updates it
      for (const auto* r : rows) {
        if (r->empty()) continue;
        auto red = basis.reduce({*r, {}});
        if (red.v.empty()) continue;  // nothing new
        const std::int64_t c = red.v.front().first, vc = red.v.front().second;
        const auto it = watch.find(c);
        if (it != watch.end()) {
          for (const auto p : it->second) {
            const auto& cur = primary[p];
            const auto at = cur.find(c);
            if (at == cur.end()) continue;
            // A watch list may name a primary twice (a coordinate that left it and came back): once is enough.
            // A primary met by both rows cannot happen (disjoint spaces); it is refused, to be safe.
            const auto [seen_at, first] = touched.try_emplace(p, reduced.size());
            if (!first) {
              if (seen_at->second == reduced.size()) continue;
              return false;
            }
            const std::int64_t g = std::gcd(vc, at->second), a = vc / g, b = at->second / g;
            if (cur.size() == red.v.size() && std::all_of(red.v.begin(), red.v.end(), [&](const auto& x) {
                  const auto y = cur.find(x.first);
                  return y != cur.end() && detail::checked_mul(a, y->second) == detail::checked_mul(b, x.second);
                }))
              return false;  // the offer would determine this primary
            updates.push_back({p, reduced.size(), a, b});
          }
        }
        reduced.push_back(std::move(red));
      }
      for (const auto& [p, row, a, b] : updates) {
        auto& cur = primary[p];
        if (a != 1)
          for (auto& [x, v] : cur) v = detail::checked_mul(a, v);
        for (const auto& [x, v] : reduced[row].v) {
          const auto [y, fresh] = cur.try_emplace(x, 0);
          y->second = detail::checked_sub(y->second, detail::checked_mul(b, v));
          if (y->second == 0) cur.erase(y);
          else if (fresh) watch[x].push_back(p);
        }
        if (a != 1) {  // keep the numbers small: divide by the gcd of the entries
          std::int64_t g = 0;
          for (const auto& [x, v] : cur) g = std::gcd(g, v);
          if (g > 1)
            for (auto& [x, v] : cur) v /= g;
        }
      }
      for (auto& red : reduced) basis.add(std::move(red));
      return true;
    };

    // Offers in order: the new table's totals, then its cells largest first.
    for (std::size_t g = 0; g < last.margin_cells.size(); ++g) {
      const auto sz = row_size(m.margin_count[t_last][g], size_of);
      if (sz < k) continue;
      last.margin_known[g] = offer({&m.margin_value[t_last][g], &m.margin_count[t_last][g]}) ? 1 : 0;
    }
    std::vector<std::size_t> order;
    for (std::size_t c = 0; c < last.table.cells; ++c)
      if (last.decision.status[c] == suppression::shown) order.push_back(c);
    // Largest first, so the smallest are the ones hidden; among equal sizes the later cell is offered first, so
    // the earlier one is hidden (the rule of the per-table engine this replaced).
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return last.decision.n[a] != last.decision.n[b] ? last.decision.n[a] > last.decision.n[b] : a > b;
    });
    for (const auto c : order) {
      if (!offer({&m.cell_value[t_last][c], &m.cell_count[t_last][c]}))
        last.decision.status[c] = suppression::complementary;
    }
    last.decision.totals_known = last.margin_known;
  }

  release_options options_;
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
  double seconds_ = 0.0;
  std::vector<stored> tables_;
  std::unordered_map<std::string, std::int64_t> measures_;
  std::vector<std::string> measure_names_;
};

/**
 * Decides which cells of one breakdown of counts are published, as a release of its own: `n[i]`
 * respondents in cell i, and the totals of each `parent` partition (or the grand total) taken as known.
 * A cell with n = 0 has no figure to protect and gives no cover (`below_minimum`).
 *
 * **Example**:
 * ```
 * auto s = engage::suppress({12, 3, 9, 30}, {}, 5);
 * // s == {shown, below_minimum, complementary, shown}: 3 alone could be recovered, 3 + 9 cannot.
 * ```
 */
inline std::vector<suppression> suppress(const std::vector<std::size_t>& n, const std::vector<std::int64_t>& parent,
                                         std::size_t min_group_size) {
  if (min_group_size < 1) throw invalid_input("min_group_size = 0: must be at least 1");
  if (!parent.empty()) detail::require_same_length("parent", parent.size(), "n", n.size());
  release r({min_group_size, 1});
  release_table t;
  t.name = "suppress";
  t.cells = n.size();
  t.parent = parent;
  const auto m = r.measure("count");
  for (std::size_t c = 0; c < n.size(); ++c) {
    if (n[c] == 0) continue;
    t.unit.push_back(static_cast<std::int64_t>(c));
    t.cell.push_back(static_cast<std::int64_t>(c));
    t.measure.push_back(m);
    t.weight.push_back(n[c]);
  }
  return r.publish(std::move(t)).status;
}

/// How a grouped table is published; every grouped function's options carry one.
struct publication {
  /// The release the table belongs to. Null: the table is a release of its own (decided with the area's
  /// `min_group_size`), which takes its totals as known and nothing else, so separate calls can be combined
  /// by whoever holds both results: publish tables that go out together through one release.
  release* in = nullptr;
  /// Who each input row is, as ids shared by every table of the release (one per row; needed with `in`).
  std::span<const std::int64_t> units{};
  /// The table's name in the release (the audit names its cells by it).
  std::string table{};
  /// What the figure's inputs are, one name per input column (the score column, the item columns): tables
  /// of a release that use the same name are taken to count the same answers.
  std::vector<std::string> measures{};
  /// For a table of its own: below this many answers a group whose answers all fall into one category is
  /// hidden (`release_options::min_distribution_size`).
  std::size_t min_distribution_size = release_options{}.min_distribution_size;
};

/// What a grouped table tells the release about its groups.
struct group_summary {
  const std::vector<std::int64_t>* keys = nullptr;  ///< group keys, sorted ascending
  std::vector<std::size_t> n;                       ///< respondents behind each group's figure
  std::vector<std::int32_t> sole_category;          ///< per group: the one category of all its answers, else -1
  std::vector<double> effective_n;                  ///< per group, with survey weights (empty: unweighted)
};

namespace detail {

/// The `measure` an area emits for a row of a group that gave no answer the figure uses.
inline constexpr std::size_t no_answer = static_cast<std::size_t>(-1);

/// Dense group index of every row: `groups` holds the sorted keys; rows whose key is absent get -1.
inline std::vector<std::int64_t> group_of_rows(codes_view keys, const std::vector<std::int64_t>& groups) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(keys.size()));
  for (Eigen::Index i = 0; i < keys.size(); ++i) {
    const auto it = std::lower_bound(groups.begin(), groups.end(), keys[i]);
    out[static_cast<std::size_t>(i)] = it != groups.end() && *it == keys[i] ? it - groups.begin() : -1;
  }
  return out;
}

/// An answer's category from its position among the cut-points (used by the unanimity rule).
inline std::int32_t sole_of(std::initializer_list<std::uint64_t> counts) {
  std::int32_t sole = -1, k = 0;
  for (const auto c : counts) {
    if (c > 0) {
      if (sole >= 0) return -1;
      sole = k;
    }
    ++k;
  }
  return sole;
}

/// A publication whose figure is one statistic of the rows used: its one measure is `what` over the input
/// columns ("cronbach_alpha(q1,q2,q3)").
inline publication single_measure(const publication& p, const std::string& what) {
  publication out = p;
  std::string cols;
  for (const auto& m : p.measures) cols += (cols.empty() ? "" : ",") + m;
  out.measures = {what + "(" + cols + ")"};
  return out;
}

/// Emits the rows an item-matrix statistic uses (complete rows when `listwise`, else rows with an answer),
/// for a table whose figure is one statistic of those rows (reliability, agreement).
template <class Matrix, class Emit>
void emit_used_rows(const Matrix& items, codes_view keys, const std::vector<std::int64_t>& groups, bool listwise,
                    Emit&& emit) {
  const auto group = group_of_rows(keys, groups);
  for (Eigen::Index i = 0; i < items.rows(); ++i) {
    Eigen::Index answered = 0;
    for (Eigen::Index j = 0; j < items.cols(); ++j) answered += std::isnan(items(i, j)) ? 0 : 1;
    const bool used = listwise ? answered == items.cols() : answered > 0;
    emit(std::size_t(i), group[std::size_t(i)], used ? 0 : no_answer, -1);
  }
}

/**
 * The one call every grouped function makes to decide which of its groups are published.
 *
 * `entries(emit)` calls `emit(row, group, measure, category)` for every answer behind a group's figure
 * (`measure` indexes `p.measures`, `category` is the answer's category or -1), and once with `no_answer` for
 * every other row of a group (so that the head counts of a team are the same in every table of it, whatever
 * its members answered); it is used only when the table goes into a shared release. A table of its own is decided from `summary` alone, in O(groups).
 */
template <class Entries>
release_decision decide_groups(const publication& p, std::size_t min_group_size,
                               const std::function<std::int64_t(std::int64_t)>& parent_of,
                               const group_summary& summary, std::size_t rows, Entries&& entries,
                               const std::string& what) {
  const auto& keys = *summary.keys;
  const std::size_t n_groups = keys.size();
  release_table t;
  t.name = p.table.empty() ? what : p.table;
  t.cells = n_groups;
  t.effective_n = summary.effective_n;
  if (parent_of) {
    t.parent.resize(n_groups);
    for (std::size_t g = 0; g < n_groups; ++g) t.parent[g] = parent_of(keys[g]);
  }
  if (p.in == nullptr) {
    if (min_group_size < 1) throw invalid_input("min_group_size = 0: must be at least 1");
    release own({min_group_size, p.min_distribution_size});
    const auto m = own.measure("answers");
    for (std::size_t g = 0; g < n_groups; ++g) {
      if (summary.n[g] == 0) continue;
      t.unit.push_back(static_cast<std::int64_t>(g));
      t.cell.push_back(static_cast<std::int64_t>(g));
      t.measure.push_back(m);
      t.category.push_back(summary.sole_category.empty() ? -1 : summary.sole_category[g]);
      t.weight.push_back(summary.n[g]);
    }
    return own.publish(std::move(t));
  }
  if (p.units.size() != rows) {
    throw invalid_input("release: " + std::to_string(p.units.size()) + " respondent ids for " + std::to_string(rows) +
                        " rows; the release needs one id per row");
  }
  t.cell_labels.resize(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) t.cell_labels[g] = std::to_string(keys[g]);
  std::vector<std::int64_t> measure_ids;
  auto measure_id = [&](std::size_t m) {
    while (measure_ids.size() <= m) {
      const auto j = measure_ids.size();
      measure_ids.push_back(p.in->measure(j < p.measures.size() ? p.measures[j] : t.name + ":" + std::to_string(j)));
    }
    return measure_ids[m];
  };
  entries([&](std::size_t row, std::int64_t group, std::size_t measure, std::int32_t category) {
    if (group < 0) return;
    t.unit.push_back(p.units[row]);
    t.cell.push_back(group);
    t.measure.push_back(measure == no_answer ? release::member : measure_id(measure));
    t.category.push_back(category);
  });
  return p.in->publish(std::move(t));
}

}  // namespace detail

}  // namespace engage
