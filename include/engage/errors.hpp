#pragma once
/// @file errors.hpp
/// The error vocabulary of engage. Every check names the argument and the offending value or index,
/// so a caller several layers up (Python, a report) can say exactly what was wrong.

#include <cmath>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace engage {

/// Input that can never be valid: out-of-range scores, mismatched lengths, unknown options.
/// Maps to Python's `engage.InvalidInputError` (a `ValueError`).
struct invalid_input : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// Valid input with too little information for the statistic: empty, all missing, n below the minimum.
/// Maps to Python's `engage.InsufficientDataError` (a `ValueError`).
struct insufficient_data : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// An iterative method did not converge. Maps to Python's `engage.ConvergenceError` (a `RuntimeError`).
struct convergence_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace detail {

/// Formats a value for an error message ("nan" and integers read naturally).
inline std::string format_value(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

[[noreturn]] inline void fail_at(std::string_view argument, std::size_t index, double value,
                                 std::string_view why) {
  std::ostringstream s;
  s << argument << "[" << index << "] = " << format_value(value) << ": " << why;
  throw invalid_input(s.str());
}

inline void require_same_length(std::string_view a, std::size_t na, std::string_view b, std::size_t nb) {
  if (na != nb) {
    std::ostringstream s;
    s << a << " has " << na << " elements but " << b << " has " << nb << "; they must have the same length";
    throw invalid_input(s.str());
  }
}

/// Confidence levels are fractions in (0, 1); 95 (a percentage) is a common slip worth naming.
inline void require_confidence_level(double level) {
  if (!(level > 0.0 && level < 1.0)) {
    throw invalid_input("confidence_level = " + format_value(level) +
                        ": must be strictly between 0 and 1 (for example 0.95)");
  }
}

/// Largest number of bootstrap resamples engage draws (10^7: the draws alone are 80 MB; 10^4 is usual). A larger
/// request is refused rather than left to fail on memory or run for hours.
inline constexpr std::size_t max_resamples = 10'000'000;

/// `n_resamples` must lie in [2, max_resamples]; `usual` is named in the message.
inline void require_resamples(std::size_t n_resamples, std::size_t usual) {
  if (n_resamples < 2 || n_resamples > max_resamples) {
    throw invalid_input("n_resamples = " + std::to_string(n_resamples) + ": must lie in [2, " +
                        std::to_string(max_resamples) + "] (" + std::to_string(usual) + " is usual)");
  }
}

}  // namespace detail
}  // namespace engage
