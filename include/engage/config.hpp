#pragma once
/// @file config.hpp
/// Shared type aliases and the single Boost.Math policy every distribution call uses.

#include <Eigen/Core>
#include <boost/math/policies/policy.hpp>
#include <cstdint>

namespace engage {

/// Boost.Math policy: errors throw (the default), passed explicitly so no translation unit can differ.
using math_policy = boost::math::policies::policy<>;

/// Row-major matrix, so numpy (C-order) item matrices map without a copy.
using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Read-only views of caller data (numpy arrays map onto these without copying).
using vector_view = Eigen::Ref<const Eigen::VectorXd>;
using codes_view = Eigen::Ref<const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>>;

}  // namespace engage
