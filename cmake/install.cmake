include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY memory engine nodes
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/logic_graph
        FILES_MATCHING PATTERN "*.hpp"
        # implementation-only headers of the memory module
        PATTERN "counting_hook.hpp" EXCLUDE
        PATTERN "format.hpp" EXCLUDE
        PATTERN "spin_lock.hpp" EXCLUDE)
install(FILES logic_graph.hpp fwd.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/logic_graph)
install(TARGETS logic_graph logic_graph_alloc_counting
        EXPORT logic_graph-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/logic_graph-objects)
install(EXPORT logic_graph-targets NAMESPACE logic_graph::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/logic_graph)
configure_package_config_file(cmake/logic_graph-config.cmake.in
  ${PROJECT_BINARY_DIR}/logic_graph-config.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/logic_graph)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/logic_graph-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/logic_graph-config.cmake
              ${PROJECT_BINARY_DIR}/logic_graph-config-version.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/logic_graph)
