# Shared JSON-writing code of the tests/data/*_reference.R scripts. Each script sources this file with
#   source(file.path(dirname(script_name), "reference_helpers.R"))
# where script_name is its own path relative to the repository root (the scripts are run from there).
# Only base R and jsonlite (called as jsonlite::) are used; the scripts load jsonlite themselves.

# jsonlite's digits = NA prints at most 15 significant digits, which does not round-trip a double. Every number
# is therefore pre-formatted with the shortest of %.15g/%.16g/%.17g that reads back to the identical double
# (NA and NaN -> null) and passed through verbatim (json_verbatim = TRUE in write_reference_json).
# infinite = "error": +-Inf stops the script; "string": +-Inf is written as the JSON string "inf" / "-inf"
# (JSON has no infinity).
num_str <- function(v, infinite = "error") {
  stopifnot(infinite %in% c("error", "string"))
  vapply(v, function(x) {
    if (is.na(x)) return("null")
    if (infinite == "string" && is.infinite(x)) return(if (x > 0) "\"inf\"" else "\"-inf\"")
    stopifnot(is.finite(x))
    for (k in 15:17) { s <- sprintf(paste0("%.", k, "g"), x); if (as.numeric(s) == x) return(s) }
  }, "")
}

# Pre-formats every number of a (nested) list as a "json" string for json_verbatim. A length-1 vector is written
# as a scalar, except when wrapped in I() (AsIs): then, like every longer vector, it stays an array.
# logical = "keep":    logical values are left to jsonlite (true / false / null);
#           "na":      all-NA logical vectors are written as numbers (null), other logicals are left to jsonlite;
#           "numbers": logical vectors of length > 1 and I()-wrapped ones are written as numbers (0 / 1 / null),
#                      a plain length-1 logical stays true / false.
# asis_character = TRUE: character vectors wrapped in I() are written as arrays (even of length 1).
# infinite: passed to num_str.
full_precision <- function(x, logical = "keep", asis_character = FALSE, infinite = "error") {
  stopifnot(logical %in% c("keep", "na", "numbers"))
  if (is.list(x)) {
    a <- attributes(x)
    x <- lapply(x, full_precision, logical = logical, asis_character = asis_character, infinite = infinite)
    attributes(x) <- a
    return(x)
  }
  if (logical == "numbers" && is.logical(x) && length(x) == 1 && !inherits(x, "AsIs")) return(x)
  if (is.numeric(x) || is.logical(x) && switch(logical, keep = FALSE, na = all(is.na(x)), numbers = TRUE)) {
    s <- num_str(as.numeric(x), infinite = infinite)
    s <- if (length(x) == 1 && !inherits(x, "AsIs")) s else paste0("[", paste(s, collapse = ", "), "]")
    return(structure(s, class = "json"))
  }
  if (asis_character && is.character(x) && inherits(x, "AsIs")) {
    return(structure(jsonlite::toJSON(unclass(x)), class = "json"))
  }
  x
}

# The provenance block that opens every reference JSON: script, R version, the versions of the packages named in
# `packages` (field <name>_version; the element's name if given, else the package name), jsonlite's version and
# today's date, followed by the script's own fields (method = ..., and any others) in the order given.
reference_provenance <- function(script, packages = character(), ...) {
  fields <- if (is.null(names(packages))) packages else ifelse(names(packages) == "", packages, names(packages))
  versions <- list()
  for (i in seq_along(packages)) {
    versions[[paste0(fields[i], "_version")]] <- as.character(packageVersion(packages[[i]]))
  }
  c(list(script = script, r_version = R.version.string),
    versions,
    list(jsonlite_version = as.character(packageVersion("jsonlite")),
         date = format(Sys.time(), "%Y-%m-%d")),
    list(...))
}

# Writes `result` to `out_file` at full double precision (options of full_precision in `...`; missing values and
# NULL are null) and returns the file read back (simplifyVector = FALSE) for the script's round-trip checks.
write_reference_json <- function(result, out_file, ...) {
  jsonlite::write_json(full_precision(result, ...), out_file, digits = NA, auto_unbox = TRUE, pretty = TRUE,
                       na = "null", null = "null", json_verbatim = TRUE)
  jsonlite::fromJSON(out_file, simplifyVector = FALSE)
}
