# Script mode (cmake -P): writes OUT, a C++ file defining FUNCTION_NAME() that returns the SQL FILES.
string(REPLACE "|" ";" FILES "${FILES}")
set(body "")
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^[0-9]+" version ${name})
  if(NOT version)
    message(FATAL_ERROR "migration ${name} does not start with a version number")
  endif()
  math(EXPR version "${version}")
  file(READ ${f} sql)
  string(FIND "${sql}" ")cbsql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "migration ${name} contains the raw-string delimiter")
  endif()
  string(APPEND body "      {${version}, \"${name}\", R\"cbsql(${sql})cbsql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from SQL migration files; do not edit.
#include \"services/common/migrations.h\"

namespace carebridge {
const std::vector<Migration>& ${FUNCTION_NAME}() {
  static const std::vector<Migration> kMigrations = {
${body}  };
  return kMigrations;
}
}  // namespace carebridge
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
