# engage_set_warnings(<target>): the warning set every engage-built target compiles with.
function(engage_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${ENGAGE_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
      $<$<BOOL:${ENGAGE_WERROR}>:-Werror>)
  endif()
endfunction()
