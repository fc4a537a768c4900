# Independent reference values for correlations (METHODS.md section 5).
#
# Run from the repository root:   Rscript tests/data/correlation_reference.R
# Writes tests/data/correlation_reference.json (read by tests/cpp/test_correlation.cpp and
# tests/python/test_correlation.py). tests/data/correlation_reference.py cross-checks these cases against scipy
# and pingouin and writes tests/data/correlation_reference_scipy.json (large tied data for Kendall, scipy's
# bootstrap intervals).
#
# Sources of the values:
#   Pearson: stats::cor.test (t test, Fisher-z interval; one-sided intervals for one-sided alternatives).
#   Spearman: stats::cor.test(method = "spearman", exact = FALSE) (the t approximation, as scipy.stats.spearmanr);
#     the Bonett-Wright and Fieller intervals are written out from their formulas (no R package implements them).
#   Kendall tau_b: stats::cor.test(method = "kendall", exact = FALSE) (normal test with the tie-corrected
#     variance, continuity = FALSE, as scipy.stats.kendalltau(method = "asymptotic")); Fieller interval by formula.
#   Partial r: residuals of lm() (and psych::partial.r as a second route); t test with df = n - 2 - k by formula.
#   Corrections: attenuation r / sqrt(rxx ryy) by formula; range restriction psychometric::cRRr (Thorndike
#     Case II); Fisher intervals of the observed r from psychometric::CIr.
#   Bootstrap (documentation of the R/scipy difference, not an exact target): boot::boot + boot.ci(type =
#     c("perc", "bca")) with 9999 resamples; R's BCa estimates the acceleration from regression influence values.
# Only the exported functions are called; their sources were not consulted.
#
# METHODS.md [REF] values are checked with stopifnot() before anything is written:
#   attitude rating ~ complaints: r 0.82541757, CI [0.66201277, 0.91391389], t 7.7369777, p 1.9876822e-08;
#   Spearman 0.83220056 (Bonett-Wright CI [0.63965815, 0.92647469]); Kendall tau_b 0.65497121;
#   partial r(rating, complaints | learning) 0.7225924;
#   correct_r: attenuation 0.8254 / sqrt(0.8 * 0.7) = 1.103; meas(.3, .8, .7) = 0.401 [0.147, 0.626] (n = 100);
#   uvdrr_x(.3, ux = .7) = 0.4098 (psychmeta prints 0.41) [0.156, 0.604] (n = 100).

suppressPackageStartupMessages({
  library(jsonlite)
  library(psych)
  library(psychometric)
  library(boot)
})

script_name <- "tests/data/correlation_reference.R"
out_file <- "tests/data/correlation_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer

fisher_ci <- function(r, se, level, alternative = "two.sided") {
  z <- atanh(r)
  if (alternative == "two.sided") {
    q <- qnorm((1 + level) / 2); return(c(tanh(z - q * se), tanh(z + q * se)))
  }
  q <- qnorm(level)
  if (alternative == "less") return(c(-1, tanh(z + q * se)))
  c(tanh(z - q * se), 1)
}

alternatives <- c("two.sided", "less", "greater")
py_alt <- c(two.sided = "two-sided", less = "less", greater = "greater")

# One case: x, y with NaN (pairwise-complete), all three methods and alternatives.
case <- function(name, x, y, levels = c(0.95, 0.90)) {
  ok <- !is.na(x) & !is.na(y)
  xc <- x[ok]; yc <- y[ok]; n <- length(xc)
  out <- list(name = name, x = x, y = y, n = n, missing = sum(!ok))
  tests <- list()
  for (alt in alternatives) {
    p <- cor.test(xc, yc, method = "pearson", alternative = alt)
    s <- suppressWarnings(cor.test(xc, yc, method = "spearman", alternative = alt, exact = FALSE))
    k <- suppressWarnings(cor.test(xc, yc, method = "kendall", alternative = alt, exact = FALSE))
    rho <- unname(s$estimate); tau <- unname(k$estimate)
    t_s <- rho * sqrt((n - 2) / ((1 + rho) * (1 - rho)))
    ints <- lapply(levels, function(lv) {
      pc <- cor.test(xc, yc, method = "pearson", alternative = alt, conf.level = lv)$conf.int
      bw <- fisher_ci(rho, sqrt((1 + rho^2 / 2) / (n - 3)), lv, alt)
      fs <- fisher_ci(rho, sqrt(1.06 / (n - 3)), lv, alt)
      fk <- fisher_ci(tau, sqrt(0.437 / (n - 4)), lv, alt)
      list(level = lv, pearson_fisher = as.numeric(pc), spearman_bonett_wright = bw, spearman_fieller = fs,
           kendall_fieller = fk)
    })
    tests[[length(tests) + 1]] <- list(
      alternative = unname(py_alt[alt]),
      pearson = list(statistic = unname(p$estimate), t = unname(p$statistic), df = unname(p$parameter),
                     pvalue = p$p.value),
      spearman = list(statistic = rho, t = t_s, pvalue = s$p.value),
      kendall = list(statistic = tau, z = unname(k$statistic), pvalue = k$p.value),
      intervals = ints)
  }
  out$tests <- tests
  out
}

# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------
data(attitude)
att <- case("attitude rating ~ complaints", attitude$rating, attitude$complaints)

set.seed(20240611)
n_likert <- 200
team_engagement <- sample(1:5, n_likert, replace = TRUE, prob = c(0.05, 0.15, 0.30, 0.35, 0.15))
csat <- pmin(pmax(round(0.5 * team_engagement + sample(0:6, n_likert, replace = TRUE) / 2), 1), 5)
team_engagement[c(3, 17, 90)] <- NA
csat[c(17, 44)] <- NA
likert <- case("likert with ties and missing", team_engagement, csat)

small <- case("small n = 6 negative", c(3.1, 1.2, 4.8, 2.2, 5.9, 0.4), c(3.9, 4.5, 1.1, 3.3, 0.2, 5.0))
tied_small <- case("small n = 10 with ties", c(1, 2, 2, 3, 3, 3, 4, 5, 5, 6), c(2, 1, 3, 3, 2, 5, 4, 4, 6, 6))

# ---------------------------------------------------------------------------------------------------------------
# Partial correlations: residual route and psych::partial.r; t test df = n - 2 - k
# ---------------------------------------------------------------------------------------------------------------
partial_case <- function(name, x, y, z, levels = c(0.95, 0.90)) {
  z <- as.matrix(z)
  ok <- complete.cases(cbind(x, y, z))
  xc <- x[ok]; yc <- y[ok]; zc <- z[ok, , drop = FALSE]
  n <- length(xc); k <- ncol(zc)
  r <- cor(resid(lm(xc ~ zc)), resid(lm(yc ~ zc)))
  pr <- partial.r(cbind(xc, yc, zc), c(1, 2), seq_len(k) + 2)[1, 2]
  stopifnot(abs(r - pr) < 1e-12)
  rs <- cor(resid(lm(rank(xc) ~ apply(zc, 2, rank))), resid(lm(rank(yc) ~ apply(zc, 2, rank))))
  df <- n - 2 - k
  tests <- lapply(alternatives, function(alt) {
    one <- function(rr) {
      t <- rr * sqrt(df / (1 - rr^2))
      p <- switch(alt, two.sided = 2 * pt(-abs(t), df), less = pt(t, df), greater = pt(t, df, lower.tail = FALSE))
      list(statistic = rr, t = t, df = df, pvalue = p,
           intervals = lapply(levels, function(lv) list(level = lv, fisher = fisher_ci(rr, 1 / sqrt(n - 3 - k), lv, alt))))
    }
    list(alternative = unname(py_alt[alt]), pearson = one(r), spearman = one(rs))
  })
  list(name = name, x = x, y = y, covariates = unname(lapply(seq_len(ncol(z)), function(j) z[, j])), n = n,
       k = k, missing = sum(!ok), tests = tests)
}
partial_att <- partial_case("attitude rating ~ complaints | learning", attitude$rating, attitude$complaints,
                            attitude["learning"])
partial_att2 <- partial_case("attitude rating ~ complaints | learning, raises, critical", attitude$rating,
                             attitude$complaints, attitude[c("learning", "raises", "critical")])
zl <- attitude$learning; zl[c(4, 11)] <- NA
xr <- attitude$rating; xr[20] <- NA
partial_missing <- partial_case("attitude with NA, listwise", xr, attitude$complaints, data.frame(learning = zl))

# ---------------------------------------------------------------------------------------------------------------
# Corrections
# ---------------------------------------------------------------------------------------------------------------
atten <- function(r, rxx, ryy) r / sqrt(rxx * ryy)
case2 <- function(r, u) cRRr(r, u, 1)$unrestricted   # psychometric returns a one-column data frame
ci100 <- CIr(0.3, 100, 0.95)             # Fisher interval of the observed r = .3, n = 100
corrections <- list(
  attenuation = list(
    list(r = 0.3, rxx = 0.8, ryy = 0.7, n = 100, statistic = atten(0.3, 0.8, 0.7),
         ci = c(atten(ci100[1], 0.8, 0.7), atten(ci100[2], 0.8, 0.7))),
    list(r = unname(att$tests[[1]]$pearson$statistic), rxx = 0.8, ryy = 0.7, n = NA,
         statistic = atten(att$tests[[1]]$pearson$statistic, 0.8, 0.7), ci = c(NA, NA)),
    list(r = -0.45, rxx = 0.6, ryy = 0.5, n = NA, statistic = atten(-0.45, 0.6, 0.5), ci = c(NA, NA))),
  range_restriction = list(
    list(r = 0.3, u = 0.7, n = 100, statistic = case2(0.3, 0.7),
         ci = c(case2(ci100[1], 0.7), case2(ci100[2], 0.7))),
    list(r = -0.2, u = 0.5, n = NA, statistic = case2(-0.2, 0.5), ci = c(NA, NA)),
    list(r = 0.6, u = 1.25, n = NA, statistic = case2(0.6, 1.25), ci = c(NA, NA))),
  fisher_ci_r03_n100 = as.numeric(ci100))

# ---------------------------------------------------------------------------------------------------------------
# Bootstrap (R boot; documents the BCa difference; not a bit-exact target)
# ---------------------------------------------------------------------------------------------------------------
set.seed(1)
bt <- boot(data.frame(x = attitude$rating, y = attitude$complaints),
           function(d, i) cor(d$x[i], d$y[i]), R = 9999)
bci <- boot.ci(bt, conf = 0.95, type = c("perc", "bca"))
bootstrap <- list(data = "attitude rating ~ complaints", statistic = "pearson", R = 9999, seed = 1,
                  percentile = as.numeric(bci$percent[4:5]), bca = as.numeric(bci$bca[4:5]),
                  boot_version = as.character(packageVersion("boot")))

# ---------------------------------------------------------------------------------------------------------------
# METHODS.md [REF] checks
# ---------------------------------------------------------------------------------------------------------------
a2 <- att$tests[[1]]
near <- function(a, b, tol) all(abs(a - b) <= tol)
stopifnot(
  near(a2$pearson$statistic, 0.82541757, 5e-9), near(a2$pearson$t, 7.7369777, 5e-8),
  near(a2$pearson$pvalue, 1.9876822e-08, 5e-16),
  near(a2$intervals[[1]]$pearson_fisher, c(0.66201277, 0.91391389), 5e-9),
  near(a2$spearman$statistic, 0.83220056, 5e-9),
  near(a2$intervals[[1]]$spearman_bonett_wright, c(0.63965815, 0.92647469), 5e-9),
  near(a2$kendall$statistic, 0.65497121, 5e-9),
  near(partial_att$tests[[1]]$pearson$statistic, 0.7225924, 5e-8),
  near(corrections$attenuation[[2]]$statistic, 1.103, 5e-4),
  near(corrections$attenuation[[1]]$statistic, 0.401, 5e-4),
  near(corrections$attenuation[[1]]$ci, c(0.147, 0.626), 5e-4),
  near(corrections$range_restriction[[1]]$statistic, 0.4098, 5e-5),
  near(corrections$range_restriction[[1]]$ci, c(0.156, 0.604), 5e-4))

provenance <- reference_provenance(script_name, c("psych", "psychometric", "boot"),
  method = paste(
    "cor.test (pearson; spearman and kendall with exact = FALSE), Bonett-Wright/Fieller intervals by formula,",
    "partial r from lm() residuals (checked against psych::partial.r), t test df = n - 2 - k, psychometric::cRRr",
    "and CIr, boot::boot.ci. Missing values are JSON null; x/y pairs with a missing value are dropped",
    "(pairwise), partial cases drop incomplete rows (listwise)."))

result <- list(provenance = provenance,
               cases = list(att, likert, small, tied_small),
               partial = list(partial_att, partial_att2, partial_missing),
               corrections = corrections, bootstrap = bootstrap)
# All-NA logical vectors are written as numbers (null).
back <- write_reference_json(result, out_file, logical = "na")
stopifnot(identical(back$cases[[1]]$tests[[1]]$pearson$pvalue, att$tests[[1]]$pearson$pvalue),
          identical(back$partial[[1]]$tests[[1]]$pearson$statistic, partial_att$tests[[1]]$pearson$statistic))
cat("wrote", out_file, "\n")
