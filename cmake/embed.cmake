# embed_file(<input> <symbol> <out-var>): generates a .cpp defining
#   extern const std::string_view rapport::embedded::<symbol>;  with the file's bytes (and a NUL
# after them), rebuilt when the file changes. The bytes go in with the assembler's .incbin, so a
# megabyte of JavaScript costs no compile time; the generated file names the input's SHA-256 so
# that ccache, which does not follow .incbin, sees every change.
function(embed_file input symbol out_var)
  set(out ${CMAKE_BINARY_DIR}/generated/${symbol}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${out} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${input}")
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
