# cmake -DSOURCE_DIR=<tests/scheduling/ics> -DCHECK_DIR=<build dir>/ics -P install_ics_check.cmake
# Copies the ical.js checker (package.json, package-lock.json, parse_ics.mjs) to CHECK_DIR and runs
# `npm ci` there, so `node CHECK_DIR/parse_ics.mjs` resolves ical.js from CHECK_DIR/node_modules.
# Idempotent: npm ci replaces node_modules/ with exactly what the lock file names.
foreach(var SOURCE_DIR CHECK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()
find_program(NPM npm REQUIRED)
file(MAKE_DIRECTORY "${CHECK_DIR}")
file(COPY "${SOURCE_DIR}/package.json" "${SOURCE_DIR}/package-lock.json"
          "${SOURCE_DIR}/parse_ics.mjs" DESTINATION "${CHECK_DIR}")
execute_process(COMMAND "${NPM}" ci --no-audit --no-fund
                WORKING_DIRECTORY "${CHECK_DIR}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "npm ci in ${CHECK_DIR} failed (${result})")
endif()
