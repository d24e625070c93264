# Helpers shared by every part of the build.

# carebridge_target_defaults(<target>): warnings-as-errors and the repository root on the include path,
# so headers are included as "services/common/config.h".
function(carebridge_target_defaults target)
  target_compile_options(${target} PRIVATE ${CAREBRIDGE_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

# carebridge_embed_migrations(<target> <function-name> <dir>): compiles every NNNN_name.sql file of
# <dir> into the binary as `const std::vector<carebridge::Migration>& <function-name>()`, in version
# order, so a service carries its own schema wherever it is deployed.
function(carebridge_embed_migrations target function_name dir)
  file(GLOB sql_files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sql_files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${function_name}.cc)
  # A CMake list separator (;) would end the shell command: pass the files joined with '|'.
  string(REPLACE ";" "|" files_arg "${sql_files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DFUNCTION_NAME=${function_name} "-DFILES=${files_arg}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    COMMENT "Embedding migrations for ${function_name}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
