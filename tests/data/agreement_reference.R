# Reference values for within-group agreement and aggregation (rwg, rwg(j), r*wg(j), AD, a_wg, ICC(1), ICC(2)).
#
# Run from the repository root:   Rscript tests/data/agreement_reference.R
# Writes tests/data/agreement_reference.json and the input data the tests read:
#   tests/data/agreement_bh1996.csv    multilevel::bh1996 columns GRP, HRS (7382 soldiers in 99 companies)
#   tests/data/agreement_lq2002.csv    multilevel::lq2002 columns COMPID, LEAD01..LEAD11 (1-5), HOSTIL01..HOSTIL05 (0-4)
#   tests/data/agreement_lq2002_na.csv the same columns with missing answers (3% of cells, seeded) and edge-case groups:
#                                      9001 and 9002 have one respondent; 9003 has two, one of them incomplete; every
#                                      respondent of 9004 has a missing LEAD item (no complete row at all).
# CSVs are unquoted; a missing value is an empty field. (Read by tests/cpp/test_agreement.cpp and
# tests/python/test_agreement.py.)
#
# Reference implementations: multilevel 2.7 (Debian) rwg, rwg.j, rwg.j.lindell, ad.m, awg, ICC1/ICC2 on aov fits;
# psych::statsBy for the F-based ICC intervals. These packages are used as black boxes (their source was not read).
# Behaviour of multilevel 2.7 that engage reproduces and that this script pins down:
#   * rwg, ad.m, awg on a single item drop missing answers within the group; gsize/nraters count the answers.
#   * rwg.j, rwg.j.lindell, ad.m and awg on several items drop a respondent with any missing item (listwise
#     deletion; 2.7 has no `listwise` argument; multilevel 2.8 added `listwise = FALSE` as the new default).
#   * A group left with no usable respondent is absent from the output (engage keeps it with n = 0, hidden).
#   * A group of one respondent gives NA for every index (engage: NaN).
#   * awg is NA when the group mean lies outside [L + (H - L)/k, H - (H - L)/k] (bounds included), 1 when every
#     answer is L or every answer is H (k >= 2); with several items it is the mean of the defined item values
#     (NaN when none is defined).
# The ICC intervals are F-based with the mean group size N/J: F_L = F / F_{1-a/2}(J-1, N-J),
# F_U = F * F_{1-a/2}(N-J, J-1); ICC(1): (F - 1)/(F + N/J - 1) at F_L and F_U; ICC(2): 1 - 1/F at F_L and F_U.
# The script checks (stopifnot) that this formula reproduces psych::statsBy's ci1/ci2 before writing anything.

suppressPackageStartupMessages({
  library(multilevel)
  library(psych)
  library(jsonlite)
})

script_name <- "tests/data/agreement_reference.R"
out_file <- "tests/data/agreement_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer
data(bh1996)
data(lq2002)

lead_items <- sprintf("LEAD%02d", 1:11)
hostil_items <- sprintf("HOSTIL%02d", 1:5)

# ---------------------------------------------------------------------------------------------------------------
# Input data
# ---------------------------------------------------------------------------------------------------------------
bh <- data.frame(GRP = as.integer(bh1996$GRP), HRS = as.integer(bh1996$HRS))
lq <- data.frame(COMPID = as.integer(lq2002$COMPID), lq2002[, c(lead_items, hostil_items)])

set.seed(20240501)
lqna <- lq
cells <- as.matrix(lqna[, -1])
cells[runif(length(cells)) < 0.03] <- NA
lqna[, -1] <- cells
lqna$COMPID[c(1L, 500L)] <- c(9001L, 9002L)       # two groups of one respondent
lqna$COMPID[c(600L, 601L)] <- 9003L               # two respondents, the second incomplete
lqna[601L, "LEAD03"] <- NA
lqna[600L, c(lead_items, hostil_items)] <- lq[600L, c(lead_items, hostil_items)]
lqna$COMPID[700:702] <- 9004L                     # no complete LEAD row at all
lqna[700L, "LEAD01"] <- NA
lqna[701L, "LEAD06"] <- NA
lqna[702L, "LEAD11"] <- NA
stopifnot(!is.na(lqna[700L, "LEAD05"]), !is.na(lqna[702L, "LEAD05"]))

write_plain_csv <- function(df, file) {
  out <- df
  out[] <- lapply(df, function(v) ifelse(is.na(v), "", format(v, scientific = FALSE, trim = TRUE)))
  write.table(out, file, sep = ",", quote = FALSE, row.names = FALSE, col.names = TRUE, na = "")
}
write_plain_csv(bh, "tests/data/agreement_bh1996.csv")
write_plain_csv(lq, "tests/data/agreement_lq2002.csv")
write_plain_csv(lqna, "tests/data/agreement_lq2002_na.csv")
datasets <- list(bh1996 = bh, lq2002 = lq, lq2002_na = lqna)
files <- list(bh1996 = "agreement_bh1996.csv", lq2002 = "agreement_lq2002.csv",
              lq2002_na = "agreement_lq2002_na.csv")
# The CSVs read back to the same values.
for (nm in names(files)) {
  back <- read.csv(file.path("tests/data", files[[nm]]))
  stopifnot(isTRUE(all.equal(back, datasets[[nm]], check.attributes = FALSE)))
}

# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------
cases <- list()
add_case <- function(case) cases[[length(cases) + 1L]] <<- case

grouped_result <- function(out, stat_col, n_col) {
  list(group = I(as.numeric(out$grpid)), statistic = I(as.numeric(out[[stat_col]])),
       n = I(as.numeric(out[[n_col]])))
}

# Single-item cases: x is one column.
for (spec in list(
  list(data = "bh1996", x = "HRS", groups = "GRP", ranvar = c(2, 1.34)),
  list(data = "lq2002", x = "LEAD05", groups = "COMPID", ranvar = c(2, 1.34, 0.9)),
  list(data = "lq2002", x = "HOSTIL01", groups = "COMPID", ranvar = c(2)),
  list(data = "lq2002_na", x = "LEAD05", groups = "COMPID", ranvar = c(2, 0.44)),
  list(data = "lq2002_na", x = "HOSTIL02", groups = "COMPID", ranvar = c(2))
)) {
  d <- datasets[[spec$data]]
  x <- d[[spec$x]]
  g <- d[[spec$groups]]
  for (rv in spec$ranvar) {
    add_case(list(`function` = "rwg", dataset = spec$data, x = I(spec$x), groups = spec$groups, null_variance = rv,
                  result = grouped_result(rwg(x, g, ranvar = rv), "rwg", "gsize")))
  }
  for (type in c("mean", "median")) {
    add_case(list(`function` = "ad", dataset = spec$data, x = I(spec$x), groups = spec$groups, type = type,
                  result = grouped_result(ad.m(x, g, type = type), "AD.M", "gsize")))
  }
  rng <- if (startsWith(spec$x, "HOSTIL")) c(0, 4) else c(1, 5)
  if (spec$data != "bh1996") {
    add_case(list(`function` = "awg", dataset = spec$data, x = I(spec$x), groups = spec$groups, range = I(rng),
                  result = grouped_result(awg(x, g, range = rng), "a.wg", "nraters")))
  }
}

# Multi-item cases (listwise deletion, as multilevel 2.7 does).
for (spec in list(
  list(data = "lq2002", x = lead_items, groups = "COMPID", ranvar = c(2, 0.9), range = c(1, 5)),
  list(data = "lq2002", x = hostil_items, groups = "COMPID", ranvar = c(2), range = c(0, 4)),
  list(data = "lq2002_na", x = lead_items, groups = "COMPID", ranvar = c(2, 1.34), range = c(1, 5)),
  list(data = "lq2002_na", x = hostil_items, groups = "COMPID", ranvar = c(2), range = c(0, 4))
)) {
  d <- datasets[[spec$data]]
  x <- d[, spec$x]
  g <- d[[spec$groups]]
  for (rv in spec$ranvar) {
    add_case(list(`function` = "rwg_j", dataset = spec$data, x = I(spec$x), groups = spec$groups, null_variance = rv,
                  result = grouped_result(rwg.j(x, g, ranvar = rv), "rwg.j", "gsize")))
    add_case(list(`function` = "rwg_j_lindell", dataset = spec$data, x = I(spec$x), groups = spec$groups,
                  null_variance = rv,
                  result = grouped_result(rwg.j.lindell(x, g, ranvar = rv), "rwg.lindell", "gsize")))
  }
  for (type in c("mean", "median")) {
    add_case(list(`function` = "ad", dataset = spec$data, x = I(spec$x), groups = spec$groups, type = type,
                  result = grouped_result(ad.m(x, g, type = type), "AD.M", "gsize")))
  }
  add_case(list(`function` = "awg", dataset = spec$data, x = I(spec$x), groups = spec$groups, range = I(spec$range),
                result = grouped_result(awg(x, g, range = spec$range), "a.wg", "nraters")))
}

# Small inline cases: edge cases of every index (single raters, all-missing groups, truncation, a_wg bounds).
inline_cases <- list()
add_inline <- function(case) inline_cases[[length(inline_cases) + 1L]] <<- case
vx <- c(1, 2, 3, 5, 5, 5, 1, 5, 1, 5, 4, 2, NA, 4, NA, NA, 3, 3)
vg <- c(1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 5, 5, 5, 6, 6, 7, 7)
add_inline(list(`function` = "rwg", x = I(vx), groups = I(vg), null_variance = 2,
                result = grouped_result(rwg(vx, vg), "rwg", "gsize")))
add_inline(list(`function` = "ad", x = I(vx), groups = I(vg), type = "mean",
                result = grouped_result(ad.m(vx, vg), "AD.M", "gsize")))
add_inline(list(`function` = "ad", x = I(vx), groups = I(vg), type = "median",
                result = grouped_result(ad.m(vx, vg, type = "median"), "AD.M", "gsize")))
add_inline(list(`function` = "awg", x = I(vx), groups = I(vg), range = I(c(1, 5)),
                result = grouped_result(awg(vx, vg), "a.wg", "nraters")))
# a_wg at and beyond the feasible band (L = 1, H = 5), at the scale ends, a single rater.
ax <- c(5, 1, 1, 1, 5, 5, 1, 1, 1, 4, 1, 1, 1, 5, 1, 1, 1, 1, 5, 1, 1, 1, 2, 3, 2, 4, 1, 2, 3, 2, 2, 3)
ag <- c(1, 2, 2, 2, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 8, 8, 9, 9, 9, 10, 10, 10)
add_inline(list(`function` = "awg", x = I(ax), groups = I(ag), range = I(c(1, 5)),
                result = grouped_result(awg(ax, ag), "a.wg", "nraters")))
hx <- c(0, 0, 4, 0, 4, 4, 0, 0, 0, 2, 3, 3, 1)
hg <- c(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4)
add_inline(list(`function` = "awg", x = I(hx), groups = I(hg), range = I(c(0, 4)),
                result = grouped_result(awg(hx, hg, range = c(0, 4)), "a.wg", "nraters")))
# Several items with missing answers: listwise deletion, a variance above the null (rwg(j) truncated to 0,
# r*wg(j) negative), a group of one complete respondent.
mx <- data.frame(a = c(1, 2, 3, 2, 4, 4, 5, 3, 3, 2, 4), b = c(2, 2, 3, NA, 4, 5, 5, 1, 5, 3, NA),
                 c = c(1, 1, 2, 3, 4, NA, 4, 2, 2, 1, 5))
mg <- c(1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4)
for (rv in c(2, 1.04)) {
  add_inline(list(`function` = "rwg_j", x = I(unname(as.list(mx))), groups = I(mg), null_variance = rv,
                  result = grouped_result(rwg.j(mx, mg, ranvar = rv), "rwg.j", "gsize")))
  add_inline(list(`function` = "rwg_j_lindell", x = I(unname(as.list(mx))), groups = I(mg), null_variance = rv,
                  result = grouped_result(rwg.j.lindell(mx, mg, ranvar = rv), "rwg.lindell", "gsize")))
}
for (type in c("mean", "median")) {
  add_inline(list(`function` = "ad", x = I(unname(as.list(mx))), groups = I(mg), type = type,
                  result = grouped_result(ad.m(mx, mg, type = type), "AD.M", "gsize")))
}
add_inline(list(`function` = "awg", x = I(unname(as.list(mx))), groups = I(mg), range = I(c(1, 5)),
                result = grouped_result(awg(mx, mg), "a.wg", "nraters")))

# Hand checks of the conventions listed at the top (so a different multilevel build cannot slip through).
stopifnot(is.na(rwg(vx, vg)$rwg[4]), !(6 %in% rwg(vx, vg)$grpid), rwg(vx, vg)$gsize[5] == 2,
          rwg(vx, vg)$rwg[3] == 0)
stopifnot(isTRUE(all.equal(rwg.j(mx, mg)$gsize, c(3, 2, 2, 1))))
stopifnot(is.na(awg(c(1, 2, 3), c(1, 1, 1))$a.wg), awg(c(2, 4), c(1, 1))$a.wg == 0.5,
          awg(c(1, 1, 1), c(1, 1, 1))$a.wg == 1, is.na(awg(5, 1)$a.wg))

# ---------------------------------------------------------------------------------------------------------------
# ICC(1), ICC(2) and their F-based intervals
# ---------------------------------------------------------------------------------------------------------------
icc_case <- function(dataset, label, x, g, x_desc) {
  ok <- !is.na(x)
  missing <- sum(!ok)
  x <- x[ok]
  g <- g[ok]
  fit <- aov(x ~ as.factor(g))
  tab <- summary(fit)[[1]]
  ms <- tab[["Mean Sq"]]
  df <- tab[["Df"]]
  n <- length(x)
  j <- length(unique(g))
  k <- n / j
  f <- ms[1] / ms[2]
  stopifnot(df[1] == j - 1, df[2] == n - j, isTRUE(all.equal(f, tab[["F value"]][1], tolerance = 1e-12)))
  icc1 <- ICC1(fit)
  icc2 <- ICC2(fit)
  stopifnot(isTRUE(all.equal(icc1, (ms[1] - ms[2]) / (ms[1] + (k - 1) * ms[2]), tolerance = 1e-12)),
            isTRUE(all.equal(icc2, (ms[1] - ms[2]) / ms[1], tolerance = 1e-12)))
  intervals <- list()
  for (level in c(0.95, 0.90)) {
    a <- 1 - level
    fl <- f / qf(1 - a / 2, df[1], df[2])
    fu <- f * qf(1 - a / 2, df[2], df[1])
    ci <- c(icc1_low = (fl - 1) / (fl + k - 1), icc1_high = (fu - 1) / (fu + k - 1),
            icc2_low = 1 - 1 / fl, icc2_high = 1 - 1 / fu)
    # psych::statsBy (needs two variables; the second is a copy) gives the same intervals.
    sb <- statsBy(data.frame(g = g, x = x, x2 = x), "g", alpha = a)
    stopifnot(isTRUE(all.equal(unname(ci[1:2]), unname(sb$ci1["x", ]), tolerance = 1e-10)),
              isTRUE(all.equal(unname(ci[3:4]), unname(sb$ci2["x", ]), tolerance = 1e-10)),
              isTRUE(all.equal(unname(sb$ICC1["x"]), icc1, tolerance = 1e-10)),
              isTRUE(all.equal(unname(sb$ICC2["x"]), icc2, tolerance = 1e-10)))
    intervals[[length(intervals) + 1L]] <- c(list(level = level), as.list(ci))
  }
  list(dataset = dataset, label = label, x = x_desc$x, groups = x_desc$groups, scale_mean = x_desc$scale_mean,
       icc1 = icc1, icc2 = icc2, f = f, pvalue = pf(f, df[1], df[2], lower.tail = FALSE),
       df_between = df[1], df_within = df[2], ms_between = ms[1], ms_within = ms[2], n_groups = j, n = n,
       missing = missing, mean_group_size = k, intervals = intervals)
}
icc_cases <- list(
  icc_case("bh1996", "HRS", bh$HRS, bh$GRP, list(x = I("HRS"), groups = "GRP", scale_mean = FALSE)),
  icc_case("lq2002", "LEAD05", lq$LEAD05, lq$COMPID, list(x = I("LEAD05"), groups = "COMPID", scale_mean = FALSE)),
  icc_case("lq2002", "LEAD scale mean", rowMeans(lq[, lead_items]), lq$COMPID,
           list(x = I(lead_items), groups = "COMPID", scale_mean = TRUE)),
  icc_case("lq2002_na", "LEAD05 (missing, groups of one)", lqna$LEAD05, lqna$COMPID,
           list(x = I("LEAD05"), groups = "COMPID", scale_mean = FALSE)),
  icc_case("lq2002_na", "HOSTIL01 (missing, groups of one)", lqna$HOSTIL01, lqna$COMPID,
           list(x = I("HOSTIL01"), groups = "COMPID", scale_mean = FALSE))
)
# METHODS.md / the multilevel help example: ICC1 and ICC2 of aov(HRS ~ as.factor(GRP), bh1996).
stopifnot(abs(icc_cases[[1]]$icc1 - 0.1331067) < 5e-8, abs(icc_cases[[1]]$icc2 - 0.9196732) < 5e-8)

# ---------------------------------------------------------------------------------------------------------------
provenance <- reference_provenance(script_name, c("multilevel", "psych"),
  method = paste(
    "multilevel::rwg, rwg.j, rwg.j.lindell, ad.m (type mean/median), awg (range), ICC1/ICC2 of",
    "aov(x ~ as.factor(group)); ICC intervals F-based with the mean group size N/J, checked against",
    "psych::statsBy ci1/ci2. Group ids are numbers; result arrays are in multilevel's output order (sorted",
    "group ids); a missing index (NA) is JSON null. Groups multilevel leaves out (no usable respondent) are",
    "absent from `group`."),
  datasets = files)

result <- list(provenance = provenance, cases = cases, inline_cases = inline_cases, icc = icc_cases)
back <- write_reference_json(result, out_file)
stopifnot(identical(back$icc[[1]]$icc1, icc_cases[[1]]$icc1),
          identical(back$icc[[4]]$intervals[[1]]$icc1_low, icc_cases[[4]]$intervals[[1]]$icc1_low))
cat("wrote", out_file, "with", length(cases), "dataset cases,", length(inline_cases), "inline cases,",
    length(icc_cases), "ICC cases\n")
