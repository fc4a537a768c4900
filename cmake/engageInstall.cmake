# Install and export rules: `find_package(engage CONFIG)` then `target_link_libraries(app engage::engage)`.
include(CMakePackageConfigHelpers)
set(ENGAGE_CMAKE_DIR ${CMAKE_INSTALL_DATADIR}/cmake/engage) # datadir: the package is header-only

install(TARGETS engage EXPORT engageTargets)
install(DIRECTORY include/engage DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT engageTargets NAMESPACE engage:: DESTINATION ${ENGAGE_CMAKE_DIR})
export(EXPORT engageTargets NAMESPACE engage:: FILE ${PROJECT_BINARY_DIR}/engageTargets.cmake)

configure_package_config_file(cmake/engageConfig.cmake.in ${PROJECT_BINARY_DIR}/engageConfig.cmake
  INSTALL_DESTINATION ${ENGAGE_CMAKE_DIR})
# SameMinorVersion while at 0.x; ARCH_INDEPENDENT because nothing is compiled into the package.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/engageConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/engageConfig.cmake ${PROJECT_BINARY_DIR}/engageConfigVersion.cmake
  DESTINATION ${ENGAGE_CMAKE_DIR})
