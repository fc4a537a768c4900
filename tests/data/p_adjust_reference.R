# Reference values for p-value adjustment (METHODS.md section 8) from base R's stats::p.adjust.
#
# Run from the repository root:   Rscript tests/data/p_adjust_reference.R
# Writes tests/data/p_adjust_reference.json (read by tests/cpp/test_multiplicity.cpp and
# tests/python/test_multiplicity.py); tests/data/p_adjust_reference.py re-derives every value with statsmodels.
#
# NA handling follows p.adjust's default n = length(p[!is.na(p)]): NAs are excluded from m and stay NA (JSON null).
# Checked at the end against the METHODS.md [REF] golden values for p = (0.01, 0.04, 0.03, 0.005, 0.20, 0.049):
#   BH (0.03, 0.0588, 0.0588, 0.03, 0.20, 0.0588); Holm (0.05, 0.12, 0.12, 0.03, 0.20, 0.12);
#   BY (0.0735, 0.14406, 0.14406, 0.0735, 0.49, 0.14406); Hochberg (0.05, 0.098, 0.098, 0.03, 0.20, 0.098);
#   Bonferroni (0.06, 0.24, 0.18, 0.03, 1, 0.294).  All match (BY to the 5 digits given, the rest to 1e-15).

suppressPackageStartupMessages(library(jsonlite))

script_name <- "tests/data/p_adjust_reference.R"
out_file <- "tests/data/p_adjust_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer
methods <- c("holm", "hochberg", "bonferroni", "BH", "BY", "none")

set.seed(4)
p12 <- runif(12, 0, 0.1)
p12[5] <- p12[2]                 # ties: three copies of one value, two of another
p12[9] <- p12[2]
p12[11] <- p12[7]
p12[8] <- NA                     # one missing value

cases <- list(
  list(name = "methods_md", p = c(0.01, 0.04, 0.03, 0.005, 0.20, 0.049)),
  list(name = "runif12_seed4_ties_na", p = p12),
  list(name = "single", p = I(0.03)))
for (i in seq_along(cases)) {
  p <- as.numeric(cases[[i]]$p)
  cases[[i]]$m <- sum(!is.na(p))
  cases[[i]]$adjusted <- setNames(lapply(methods, function(meth) I(p.adjust(p, method = meth))), methods)
}

# Golden values (METHODS.md section 8)
adj <- cases[[1]]$adjusted
near <- function(a, b, tol) all(abs(as.numeric(a) - b) <= tol)
stopifnot(near(adj$BH, c(0.03, 0.0588, 0.0588, 0.03, 0.20, 0.0588), 1e-15),
          near(adj$holm, c(0.05, 0.12, 0.12, 0.03, 0.20, 0.12), 1e-15),
          near(adj$BY, c(0.0735, 0.14406, 0.14406, 0.0735, 0.49, 0.14406), 5e-6),
          near(adj$hochberg, c(0.05, 0.098, 0.098, 0.03, 0.20, 0.098), 1e-15),
          near(adj$bonferroni, c(0.06, 0.24, 0.18, 0.03, 1, 0.294), 1e-15))
# the single value is unchanged by every method
stopifnot(all(vapply(cases[[3]]$adjusted, function(v) isTRUE(all.equal(as.numeric(v), 0.03)), TRUE)))

provenance <- reference_provenance(script_name, c("stats"),
  method = paste(
    "stats::p.adjust(p, method) for holm, hochberg, bonferroni, BH, BY, none with the default n = number of",
    "non-NA p-values; NA in -> null out. Second case: set.seed(4); runif(12, 0, 0.1) with p[5] = p[9] = p[2],",
    "p[11] = p[7] (ties) and p[8] = NA. Cross-checked against statsmodels by p_adjust_reference.py."))

back <- write_reference_json(list(provenance = provenance, methods = methods, cases = cases), out_file)
stopifnot(identical(unlist(back$cases[[2]]$adjusted$BY)[3], as.numeric(cases[[2]]$adjusted$BY)[3]))
cat("wrote", out_file, "\n")
