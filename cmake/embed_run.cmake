file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# unsigned char: bytes above 0x7f (UTF-8 text) are not narrowing conversions.
file(WRITE ${OUTPUT}
  "#include <string_view>\nnamespace rapport::embedded {\n"
  "static const unsigned char k${SYMBOL}[] = {${bytes} 0};\n"
  "extern const std::string_view ${SYMBOL}(reinterpret_cast<const char*>(k${SYMBOL}),\n"
  "                                         sizeof(k${SYMBOL}) - 1);\n}\n")
