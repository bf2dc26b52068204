# `make package` (cpack -G DEB): the rapport .deb for Debian 12 — rapportd and rapport in
# /usr/bin, the systemd unit, the default settings in /etc/rapport (a conffile), man pages
# rapportd(8) and rapport(1). packaging/postinst creates the `rapport` user, /var/lib/rapport
# and a random token secret. tests/package_test.sh builds it, checks it and starts rapportd from
# it in a throwaway root.
include(GNUInstallDirs)

install(TARGETS rapportd rapport RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/rapportd.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/rapportd.toml DESTINATION /etc/rapport
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/ARCHITECTURE.md
              ${PROJECT_SOURCE_DIR}/docs/RELIABILITY.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man pages: help2man runs each binary's --help (so every option is listed as the binary has
# it) and adds packaging/man/<name>.h2m (description, files, environment, examples).
find_program(HELP2MAN_EXECUTABLE help2man)
if(HELP2MAN_EXECUTABLE)
  foreach(page rapportd:8 rapport:1)
    string(REPLACE ":" ";" parts ${page})
    list(GET parts 0 name)
    list(GET parts 1 section)
    set(out ${CMAKE_BINARY_DIR}/man/${name}.${section})
    add_custom_command(
      OUTPUT ${out}.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
      COMMAND ${HELP2MAN_EXECUTABLE} --no-info --section=${section}
              --include=${PROJECT_SOURCE_DIR}/packaging/man/${name}.h2m
              --output=${out} $<TARGET_FILE:${name}>
      COMMAND gzip -9nf ${out}
      DEPENDS ${name} ${PROJECT_SOURCE_DIR}/packaging/man/${name}.h2m
      COMMENT "Writing the ${name}(${section}) man page")
    list(APPEND MAN_PAGES ${out}.gz)
    install(FILES ${out}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  endforeach()
  add_custom_target(man_pages ALL DEPENDS ${MAN_PAGES})
else()
  message(WARNING "help2man not found (scripts/setup.sh installs it): the package has no man pages")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rapport)
set(CPACK_PACKAGE_VENDOR "Rapport")
set(CPACK_PACKAGE_CONTACT "Rapport maintainers <rapport@example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Self-hosted service that schedules, generates and stores reports")
set(CPACK_PACKAGE_DESCRIPTION
    "Rapport produces network SLA reports (per-site uptime from fault data) and brand reports\n(how AI answer engines talk about a brand, per region) on a cadence or on demand, as\nimmutable JSON and PDF artifacts, through an HTTP/JSON API (rapportd) and a CLI (rapport).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Beside the libraries dpkg-shlibdeps finds: the user tool, time zones and the PDF fonts.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, tzdata, fonts-dejavu-core, fonts-noto-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, fonts-noto-cjk")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/postinst ${PROJECT_SOURCE_DIR}/packaging/prerm
    ${PROJECT_SOURCE_DIR}/packaging/postrm ${PROJECT_SOURCE_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)
include(CPack)
