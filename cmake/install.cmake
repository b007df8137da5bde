include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Public headers only: each part's include/ tree (impl/ holds what public templates need); the
# private headers beside the sources stay out.
install(DIRECTORY memory/include/ engine/include/ nodes/include/ service/include/ include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(TARGETS logic_graph logic_graph_memory logic_graph_engine logic_graph_nodes
                logic_graph_service
                logic_graph_alloc_counting
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
