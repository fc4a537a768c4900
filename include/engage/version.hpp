#pragma once
/// @file version.hpp
/// The one version source of engage: CMake and the Python package both read these macros.

#define ENGAGE_VERSION_MAJOR 0
#define ENGAGE_VERSION_MINOR 1
#define ENGAGE_VERSION_PATCH 0

namespace engage {
/// The library version as "major.minor.patch".
inline constexpr const char* version = "0.1.0";
}  // namespace engage
