file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUTPUT}
  "#include <string_view>\nnamespace rapport::embedded {\nstatic const char k${SYMBOL}[] = {${bytes} 0};\n"
  "extern const std::string_view ${SYMBOL}(k${SYMBOL}, sizeof(k${SYMBOL}) - 1);\n}\n")
