# Reference values for reliability: Cronbach's alpha (psych::alpha, multilevel::cronbach), McDonald's omega_total
# (psych::omega with one factor, psych::fa minres loadings) and alpha per group.
#
# Run from the repository root:   Rscript tests/data/reliability_reference.R
# Writes tests/data/reliability_reference.json (read by tests/cpp/test_reliability.cpp and
# tests/python/test_reliability.py). pingouin 0.7.0 values come from tests/data/reliability_reference.py (run after
# this script: it reads the data sets from this script's JSON).
#
# psych 2.2.9 conventions, established here by black-box comparison of psych's output with the formulas of
# METHODS.md section 3 computed directly in base R (the stopifnot() checks below; psych's source was not read):
#   * C = cov(x, use = "pairwise"); the correlation matrix used by alpha is cov2cor(C) (NOT cor(x, use = "pairwise"),
#     which differs when items have different missing rows).
#   * n for the Feldt interval and for the asymptotic SE ("ase", Duhachek & Iacobucci's Q) is nrow(x): every row,
#     including rows with missing items and even rows with every item missing. pingouin 0.7.0 (pairwise) does
#     the same.
#   * mean and sd are those of the person scores = rowMeans(x, na.rm = TRUE) (rows with no item are skipped).
#   * item.stats raw.r = cor(item, person mean score, use = "pairwise"); std.r = colSums(R)/sqrt(1'R1);
#     r.cor = colSums(R*)/sqrt(1'R*1) with R* = R with smc on the diagonal; r.drop = (C1 - C_ii)/sqrt(C_ii 1'C_-i 1).
#   * alpha.drop "alpha se" is the ase of C[-i,-i] with the same n; var.r and med.r are the variance (divisor m-1)
#     and median of the off-diagonal correlations of R[-i,-i].
#   * psych::omega(x, nfactors = 1)$omega.tot = 1 - sum(u2)/1'R1 with u2 = 1 - g^2 (g: the minres loadings) and
#     R = cor(x, use = "pairwise") (here the pairwise correlation, not cov2cor). This is neither (sum g)^2/1'R1 nor
#     the model-implied (sum g)^2/((sum g)^2 + sum u2); both are written too.
#   * psych::fa(x, 1, fm = "minres") loadings minimise the off-diagonal residual sum of squares of that R. psych's
#     optimiser stops early; the exact minimiser ("tight", Newton's method to a gradient of ~1e-15, below) differs
#     from psych's loadings by up to ~1e-6, and that is the agreement to expect with psych.
# Listwise references are psych on na.omit(x) (identical to alpha on complete rows) and multilevel::cronbach(x).
# Feldt intervals at confidence levels other than 0.95 (psych prints 0.95 only) use the same formula with qf().

suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
  library(multilevel)
  library(jsonlite)
})

script_name <- "tests/data/reliability_reference.R"
out_file <- "tests/data/reliability_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer

near <- function(a, b, tol) isTRUE(all(abs(a - b) <= tol * pmax(1, abs(b))))

# --- formulas of METHODS.md section 3, written directly ----------------------------------------------------
alpha_raw <- function(C) { k <- ncol(C); k / (k - 1) * (1 - sum(diag(C)) / sum(C)) }
alpha_std <- function(R) { k <- ncol(R); k / (k - 1) * (1 - k / sum(R)) }
smc_of <- function(R) 1 - 1 / diag(solve(R))
g6_of <- function(R) 1 - sum(1 - smc_of(R)) / sum(R)
offdiag <- function(R) R[lower.tri(R)]
ase_Q <- function(C) {
  k <- ncol(C); tot <- sum(C); tr <- sum(diag(C)); C2 <- C %*% C
  2 * k^2 / ((k - 1)^2 * tot^3) * (tot * (sum(diag(C2)) + tr^2) - 2 * tr * sum(C2))
}
feldt <- function(a, n, k, level) {
  g <- 1 - level
  c(1 - (1 - a) * qf(1 - g / 2, n - 1, (n - 1) * (k - 1)), 1 - (1 - a) * qf(g / 2, n - 1, (n - 1) * (k - 1)))
}

# Exact one-factor minres: minimise f(l) = sum_{i != j} (r_ij - l_i l_j)^2 by Newton's method from psych's solution.
minres_tight <- function(R, start) {
  l <- start; k <- length(l)
  for (it in 1:100) {
    E <- R - outer(l, l); diag(E) <- 0
    g <- -4 * as.vector(E %*% l)
    H <- -4 * R + 8 * outer(l, l); diag(H) <- 4 * (sum(l^2) - l^2)
    step <- solve(H, g)
    l <- l - step
    if (max(abs(step)) < 1e-15) break
  }
  E <- R - outer(l, l); diag(E) <- 0
  if (sum(l) < 0) l <- -l
  list(loadings = l, gradient = max(abs(4 * as.vector(E %*% l))), iterations = it)
}

# psych stores the Feldt ends as one-column data frames
feldt_of <- function(a) c(as.numeric(unlist(a$feldt$lower.ci)), as.numeric(unlist(a$feldt$upper.ci)))

columns_of <- function(x) lapply(seq_len(ncol(x)), function(j) as.numeric(x[[j]]))

psych_alpha_case <- function(name, x, missing) {
  xa <- if (missing == "listwise") na.omit(x) else x
  a <- suppressWarnings(suppressMessages(psych::alpha(xa, warnings = FALSE)))
  k <- ncol(x)
  C <- cov(xa, use = "pairwise"); R <- cov2cor(C); n <- nrow(xa)
  # psych's conventions (see header), checked against psych's own numbers
  score <- rowMeans(xa, na.rm = TRUE)
  tot <- a$total
  stopifnot(near(tot$raw_alpha, alpha_raw(C), 1e-12), near(tot$std.alpha, alpha_std(R), 1e-12),
            near(tot[["G6(smc)"]], g6_of(R), 1e-10), near(tot$average_r, mean(offdiag(R)), 1e-12),
            near(tot$median_r, median(offdiag(R)), 1e-12), near(tot$ase, sqrt(ase_Q(C) / n), 1e-10),
            near(tot$mean, mean(score, na.rm = TRUE), 1e-12), near(tot$sd, sd(score, na.rm = TRUE), 1e-12),
            near(feldt_of(a), feldt(tot$raw_alpha, n, k, 0.95), 1e-12))
  is <- a$item.stats
  stopifnot(near(is$raw.r, as.vector(cor(xa, score, use = "pairwise")), 1e-10),
            near(is$std.r, colSums(R) / sqrt(sum(R)), 1e-10),
            near(is$r.drop, sapply(1:k, function(i) (sum(C[i, ]) - C[i, i]) / sqrt(C[i, i] * sum(C[-i, -i]))), 1e-10))
  if (k >= 3) {
    ad <- a$alpha.drop
    stopifnot(near(ad$raw_alpha, sapply(1:k, function(i) alpha_raw(C[-i, -i])), 1e-12),
              near(ad[["alpha se"]], sapply(1:k, function(i) sqrt(ase_Q(C[-i, -i]) / n)), 1e-10))
  }
  out <- list(
    name = name, missing = missing, item_names = names(x), columns = columns_of(x),
    n = n, n_items = k, missing_cells = sum(is.na(x)), rows_dropped = nrow(x) - nrow(xa),
    total = list(raw_alpha = tot$raw_alpha, std_alpha = tot$std.alpha, g6 = tot[["G6(smc)"]],
                 average_r = tot$average_r, signal_to_noise = tot[["S/N"]], ase = tot$ase, mean = tot$mean,
                 sd = tot$sd, median_r = tot$median_r),
    feldt = list(list(level = 0.95, low = feldt_of(a)[1], high = feldt_of(a)[2]),
                 list(level = 0.90, low = feldt(tot$raw_alpha, n, k, 0.90)[1],
                      high = feldt(tot$raw_alpha, n, k, 0.90)[2])),
    item_stats = list(n = I(as.numeric(is$n)), raw_r = I(is$raw.r), std_r = I(is$std.r), r_cor = I(is$r.cor),
                      r_drop = I(is$r.drop), mean = I(is$mean), sd = I(is$sd)))
  if (k >= 3) {
    ad <- a$alpha.drop
    out$alpha_drop <- list(raw_alpha = I(ad$raw_alpha), std_alpha = I(ad$std.alpha), g6 = I(ad[["G6(smc)"]]),
                           average_r = I(ad$average_r), signal_to_noise = I(ad[["S/N"]]),
                           alpha_se = I(ad[["alpha se"]]), var_r = I(ad$var.r), median_r = I(ad$med.r))
  }
  if (missing == "listwise") {
    mc <- multilevel::cronbach(x)
    stopifnot(near(mc$Alpha, tot$raw_alpha, 1e-12), mc$N == n)
    out$multilevel <- list(alpha = mc$Alpha, n = mc$N)
  }
  out
}

psych_omega_case <- function(name, x, missing) {
  xa <- if (missing == "listwise") na.omit(x) else x
  o <- suppressWarnings(suppressMessages(psych::omega(xa, nfactors = 1, plot = FALSE)))
  f <- suppressWarnings(suppressMessages(psych::fa(xa, 1, fm = "minres")))
  R <- cor(xa, use = "pairwise")
  lp <- as.vector(f$loadings)
  stopifnot(near(lp, as.vector(o$schmid$sl[, 1]), 1e-12))
  stopifnot(near(o$omega.tot, 1 - sum(1 - lp^2) / sum(R), 1e-12))
  t <- minres_tight(R, lp)
  l <- t$loadings; u <- 1 - l^2
  stopifnot(t$gradient < 1e-13, max(abs(l - lp)) < 1e-5)
  list(name = name, missing = missing, item_names = names(x), columns = columns_of(x), n = nrow(xa),
       psych = list(omega_total = o$omega.tot, loadings = I(lp), uniquenesses = I(as.vector(f$uniquenesses))),
       tight = list(loadings = I(l), uniquenesses = I(u), gradient = t$gradient,
                    omega_total = 1 - sum(u) / sum(R), omega_total_model = sum(l)^2 / (sum(l)^2 + sum(u)),
                    omega_total_sum_loadings = sum(l)^2 / sum(R), explained_variance = sum(l^2)),
       max_abs_difference_psych_tight = max(abs(l - lp)))
}

# --- data --------------------------------------------------------------------------------------------------
attitude <- datasets::attitude
bfi <- psych::bfi
bfi_A <- bfi[, paste0("A", 1:5)]; bfi_A$A1 <- 7 - bfi_A$A1  # A1 reverse-keyed on its 1-6 scale
bfi_C <- bfi[, paste0("C", 1:5)]; bfi_C$C4 <- 7 - bfi_C$C4; bfi_C$C5 <- 7 - bfi_C$C5
bfi_N <- bfi[, paste0("N", 1:5)]
attitude_na <- attitude
set.seed(20260101)
for (j in seq_len(ncol(attitude_na))) attitude_na[sample(nrow(attitude), 3), j] <- NA
attitude_na[nrow(attitude_na) + 1, ] <- NA  # a respondent who answered no item
# A small case with a negative alpha (item 3 runs against items 1 and 2).
negative <- data.frame(x1 = c(1, 2, 3, 4, 5, 2, 3, 4, 1, 5), x2 = c(2, 2, 3, 5, 4, 1, 3, 4, 2, 5),
                       x3 = c(5, 4, 2, 1, 1, 5, 3, 2, 4, 1))

# METHODS.md [REF] golden values for attitude
ga <- suppressWarnings(psych::alpha(attitude))
stopifnot(near(c(ga$total$raw_alpha, ga$total$std.alpha, ga$total[["G6(smc)"]], ga$total$average_r, ga$total[["S/N"]],
                 ga$total$ase, ga$total$mean, ga$total$sd), c(0.8431428, 0.8390838, 0.8752151, 0.4269066, 5.214415,
                 0.0424357, 60.4381, 8.249789), 5e-7),
          near(feldt_of(ga), c(0.7393757, 0.9157731), 5e-7))

alpha_cases <- list(
  psych_alpha_case("attitude", attitude, "pairwise"),
  psych_alpha_case("attitude", attitude, "listwise"),
  psych_alpha_case("bfi_A", bfi_A, "pairwise"),
  psych_alpha_case("bfi_A", bfi_A, "listwise"),
  psych_alpha_case("bfi_C", bfi_C, "pairwise"),
  psych_alpha_case("bfi_N", bfi_N, "pairwise"),
  psych_alpha_case("bfi_N", bfi_N, "listwise"),
  psych_alpha_case("attitude_na", attitude_na, "pairwise"),
  psych_alpha_case("attitude_na", attitude_na, "listwise"),
  psych_alpha_case("negative", negative, "pairwise"),
  psych_alpha_case("attitude_2items", attitude[, 1:2], "pairwise"))
stopifnot(alpha_cases[[10]]$total$raw_alpha < 0)

omega_cases <- list(
  psych_omega_case("attitude", attitude, "pairwise"),
  psych_omega_case("bfi_A", bfi_A, "pairwise"),
  psych_omega_case("bfi_A", bfi_A, "listwise"),
  psych_omega_case("bfi_N", bfi_N, "pairwise"),
  psych_omega_case("attitude_na", attitude_na, "pairwise"))

# --- psych's own listwise option: alpha(x, use = "complete.obs") ----------------------------------------------
# psych computes alpha from the complete rows but keeps n = nrow(x) (every row) for the ase and the Feldt interval
# (pingouin's nan_policy = "listwise" does the same). engage's missing = "listwise" follows psych::alpha(na.omit(x))
# and multilevel::cronbach instead (n = complete rows); psych's complete.obs interval is engage's
# feldt_interval(statistic, n = nrow(x), n_items).
complete_obs_case <- function(name, x) {
  a <- suppressWarnings(suppressMessages(psych::alpha(x, use = "complete.obs", warnings = FALSE)))
  xa <- na.omit(x); C <- cov(xa); n <- nrow(x); k <- ncol(x)
  stopifnot(near(a$total$raw_alpha, alpha_raw(C), 1e-12), near(a$total$ase, sqrt(ase_Q(C) / n), 1e-10),
            near(feldt_of(a), feldt(a$total$raw_alpha, n, k, 0.95), 1e-12), nrow(xa) < n)
  list(name = name, n_rows = n, n_complete = nrow(xa), raw_alpha = a$total$raw_alpha, ase = a$total$ase,
       feldt_low = feldt_of(a)[1], feldt_high = feldt_of(a)[2])
}
complete_obs_cases <- list(complete_obs_case("attitude_na", attitude_na), complete_obs_case("bfi_A", bfi_A),
                           complete_obs_case("bfi_N", bfi_N))

# --- alpha per group: bfi_A by education (missing education is its own group), psych per group -----------
education <- bfi$education
group_label <- ifelse(is.na(education), "NA", as.character(education))
grouped <- list()
for (missing in c("listwise", "pairwise")) {
  rows <- list()
  for (g in sort(unique(group_label))) {
    xg <- bfi_A[group_label == g, ]
    xa <- if (missing == "listwise") na.omit(xg) else xg
    a <- suppressWarnings(suppressMessages(psych::alpha(xa, warnings = FALSE)))
    rows[[length(rows) + 1]] <- list(
      education = if (g == "NA") NA_real_ else as.numeric(g), n = nrow(xa), rows_dropped = nrow(xg) - nrow(xa),
      alpha = a$total$raw_alpha, standardized = a$total$std.alpha, average_r = a$total$average_r,
      standard_error = a$total$ase, low = feldt_of(a)[1], high = feldt_of(a)[2])
  }
  grouped[[missing]] <- rows
}
stopifnot(sum(rowSums(!is.na(bfi_A)) == 0) == 0)  # no empty rows: pairwise n = rows of the group either way

provenance <- reference_provenance(script_name, c("psych", gparotation = "GPArotation", "multilevel"),
  method = paste(
    "psych::alpha(x) (use = 'pairwise', the default) for missing = 'pairwise'; psych::alpha(na.omit(x)) and",
    "multilevel::cronbach(x) for 'listwise' (psych::alpha(x, use = 'complete.obs') in complete_obs: n = all rows);",
    "psych::omega(x, nfactors = 1) and psych::fa(x, 1, fm = 'minres') for",
    "omega, plus the exact minres minimiser by Newton's method ('tight'); alpha per group with psych::alpha on",
    "each group's rows. Data: datasets::attitude, psych::bfi (A1, C4, C5 reverse-keyed as 7 - x), attitude with",
    "seeded missing values and one empty row. Missing values are JSON null; data are stored column by column."),
  conventions = "see the header of the script")

# Data columns are always arrays (even of length 1).
for (i in seq_along(alpha_cases)) alpha_cases[[i]]$columns <- lapply(alpha_cases[[i]]$columns, I)
for (i in seq_along(omega_cases)) omega_cases[[i]]$columns <- lapply(omega_cases[[i]]$columns, I)

# education: the grouping column of the grouped cases, row by row beside the bfi_A case's data (null = missing).
result <- list(provenance = provenance, alpha = alpha_cases, omega = omega_cases, complete_obs = complete_obs_cases,
               grouped = grouped,
               education = I(as.numeric(education)))
back <- write_reference_json(result, out_file)
stopifnot(identical(back$alpha[[3]]$total$ase, alpha_cases[[3]]$total$ase),
          identical(back$omega[[2]]$tight$loadings[[1]], omega_cases[[2]]$tight$loadings[[1]]),
          identical(back$grouped$pairwise[[1]]$alpha, grouped$pairwise[[1]]$alpha))
cat("wrote", out_file, "\n")
