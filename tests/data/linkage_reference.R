# Independent reference values for unit-level employee-customer linkage (engage.linkage, include/engage/linkage.hpp).
#
# Run from the repository root:   Rscript tests/data/linkage_reference.R
# Writes tests/data/linkage_reference.json (read by tests/cpp/test_linkage.cpp and tests/python/test_linkage.py).
#
# Sources of the values (packages used as black boxes through their documented functions):
#   Weighted Pearson r: boot::corr(cbind(x, y), w), checked against stats::cov.wt(..., cor = TRUE). Kish's
#     effective n = (sum w)^2 / sum w^2, the t test on n_eff - 2 df (stats::pt) and the Fisher interval
#     tanh(atanh(r) +- qnorm(.) / sqrt(n_eff - 3)) are written out from their formulas (no R package implements a
#     test for a weighted r). With equal weights everything must equal stats::cor.test (checked by stopifnot).
#   Quartile comparison: stats::quantile (type 7) for the cut points, stats::t.test(top, bottom) (Welch) for the
#     difference, its interval, t, df and p.
#   Fitted line and band (scatter plot): stats::predict(lm(y ~ x[, weights = w]), interval = "confidence").
#   End to end on the sample organisation (examples/data/survey.csv and customers.csv): the engagement index
#     "favourable_items" (per item % favourable, i.e. 4 or 5 on 1..5, among the item's scored answers -- 9 is
#     "don't know" and unscored -- averaged over items) and eNPS (% promoters 9-10 minus % detractors 0-6) per team
#     and quarter (wave 1 = 2024Q1, wave 2 = 2024Q3), teams with fewer than 5 respondents hidden (plus
#     complementary suppression within the quarter, which this data does not trigger: checked), joined to the
#     customers of the same quarter (lag 0) or the next (lag 1); stats::cor.test; the reliability of the unit
#     means as multilevel::ICC2 of the person-level score (share of favourable answers x 100; +100 / 0 / -100
#     for eNPS) by team-quarter over the persons of the units used; the correction r / sqrt(ICC2 * 1) (customer
#     outcomes taken as perfectly reliable unless given); the quartile comparison as above.

suppressPackageStartupMessages({
  library(jsonlite)
  library(boot)
  library(multilevel)
})

script_name <- "tests/data/linkage_reference.R"
out_file <- "tests/data/linkage_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer

fisher <- function(r, neff, level, alternative) {
  z <- atanh(r); se <- 1 / sqrt(neff - 3)
  if (alternative == "two.sided") { q <- qnorm((1 + level) / 2); return(c(tanh(z - q * se), tanh(z + q * se))) }
  q <- qnorm(level)
  if (alternative == "less") return(c(-1, tanh(z + q * se)))
  c(tanh(z - q * se), 1)
}
py_alt <- c(two.sided = "two-sided", less = "less", greater = "greater")

weighted_case <- function(name, x, y, w, levels = c(0.95, 0.9)) {
  r <- boot::corr(cbind(x, y), w)
  r2 <- cov.wt(cbind(x, y), wt = w / sum(w), cor = TRUE)$cor[1, 2]
  stopifnot(abs(r - r2) < 1e-12)
  neff <- sum(w)^2 / sum(w^2)
  df <- neff - 2
  t <- r * sqrt(df / (1 - r^2))
  tests <- lapply(names(py_alt), function(alt) {
    p <- switch(alt, two.sided = 2 * pt(-abs(t), df), less = pt(t, df), greater = pt(t, df, lower.tail = FALSE))
    list(alternative = unname(py_alt[alt]), pvalue = p,
         intervals = lapply(levels, function(lv) list(level = lv, ci = fisher(r, neff, lv, alt))))
  })
  list(name = name, x = x, y = y, w = w, statistic = r, effective_n = neff, df = df, t = t, tests = tests)
}

set.seed(20261123)
k <- 40
size <- round(exp(rnorm(k, log(12), 0.8))) + 2
eng <- round(rnorm(k, 70, 10), 1)
csat <- round(3.9 + 0.01 * (eng - 70) + rnorm(k, 0, 0.25), 3)
weighted <- list(
  weighted_case("40 teams, weights = team size", eng, csat, size),
  weighted_case("40 teams, equal weights", eng, csat, rep(1, k)),
  weighted_case("8 units, negative, uneven weights", c(1.5, 2.2, 2.9, 3.1, 3.3, 4.0, 4.4, 5.0),
                c(9.1, 8.7, 8.8, 7.2, 7.9, 6.5, 6.8, 5.0), c(3, 30, 8, 12, 5, 60, 9, 14)))
# Equal weights must be cor.test.
ct <- cor.test(eng, csat)
stopifnot(abs(weighted[[2]]$statistic - ct$estimate) < 1e-12, abs(weighted[[2]]$t - ct$statistic) < 1e-9,
          abs(weighted[[2]]$tests[[1]]$pvalue - ct$p.value) < 1e-12 * max(1, ct$p.value),
          max(abs(weighted[[2]]$tests[[1]]$intervals[[1]]$ci - ct$conf.int)) < 1e-12)

quartile_case <- function(name, measure, outcome, level = 0.95) {
  q <- unname(quantile(measure, c(0.25, 0.75), type = 7))
  bottom <- outcome[measure <= q[1]]; top <- outcome[measure >= q[2]]
  tt <- t.test(top, bottom, var.equal = FALSE, conf.level = level)
  d <- unname(tt$estimate[1] - tt$estimate[2])
  list(name = name, measure = measure, outcome = outcome, level = level, q1 = q[1], q3 = q[2],
       n_bottom = length(bottom), n_top = length(top), mean_bottom = mean(bottom), mean_top = mean(top),
       sd_bottom = sd(bottom), sd_top = sd(top), difference = d, standard_error = unname(tt$stderr),
       df = unname(tt$parameter), t = unname(tt$statistic), pvalue = tt$p.value, ci = as.numeric(tt$conf.int),
       relative_difference = if (mean(bottom) > 0) d / mean(bottom) else NA)
}
quartiles <- list(
  quartile_case("40 teams csat", eng, csat),
  quartile_case("40 teams csat, 90%", eng, csat, 0.9),
  quartile_case("ties at the cut points, NPS outcome (negative bottom mean)", c(1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5),
                c(-20, -35, -5, -12, 0, 10, 15, 22, 8, 30, 41)))

band_case <- function(name, x, y, w, at, level = 0.95) {
  fit <- if (is.null(w)) lm(y ~ x) else lm(y ~ x, weights = w)
  p <- predict(fit, newdata = data.frame(x = at), interval = "confidence", level = level)
  list(name = name, x = x, y = y, w = if (is.null(w)) NA else w, weighted = !is.null(w), at = at, level = level,
       intercept = unname(coef(fit)[1]), slope = unname(coef(fit)[2]), residual_sd = summary(fit)$sigma,
       fit = unname(p[, "fit"]), low = unname(p[, "lwr"]), high = unname(p[, "upr"]))
}
bands <- list(
  band_case("40 teams, unweighted", eng, csat, NULL, c(40, 55, 70, 85, 100)),
  band_case("40 teams, weighted by size, 90%", eng, csat, size, c(50, 70, 90), 0.9))

# ---------------------------------------------------------------------------------------------------------------
# End to end on the sample organisation
# ---------------------------------------------------------------------------------------------------------------
survey <- read.csv("examples/data/survey.csv", stringsAsFactors = FALSE)
customers <- read.csv("examples/data/customers.csv", stringsAsFactors = FALSE)
items <- sprintf("q%02d", 1:12)
wave_quarter <- c("2024Q1", "2024Q3")
next_quarter <- function(q, lag) {
  y <- as.integer(substr(q, 1, 4)); k <- as.integer(substr(q, 6, 6)) - 1 + lag
  sprintf("%dQ%d", y + k %/% 4, k %% 4 + 1)
}
survey$quarter <- wave_quarter[survey$wave]
X <- as.matrix(survey[, items]); X[X == 9] <- NA
fav <- (X >= 4) * 1
answered <- rowSums(!is.na(X))
survey$fav_share <- ifelse(answered > 0, 100 * rowSums(fav, na.rm = TRUE) / answered, NA)
survey$enps_score <- ifelse(is.na(survey$enps), NA, ifelse(survey$enps >= 9, 100, ifelse(survey$enps <= 6, -100, 0)))
survey$unit <- paste(survey$quarter, survey$team)

unit_index <- function(measure) {
  rows <- split(seq_len(nrow(survey)), survey$unit)
  out <- do.call(rbind, lapply(names(rows), function(u) {
    i <- rows[[u]]
    if (measure == "engagement_index") {
      Xi <- X[i, , drop = FALSE]
      n <- sum(rowSums(!is.na(Xi)) > 0)
      per_item <- colSums(Xi >= 4, na.rm = TRUE) / colSums(!is.na(Xi))
      value <- 100 * mean(per_item[colSums(!is.na(Xi)) > 0])
    } else {
      s <- survey$enps_score[i]; s <- s[!is.na(s)]
      n <- length(s); value <- mean(s)
    }
    data.frame(unit = u, quarter = survey$quarter[i[1]], team = survey$team[i[1]], n = n, value = value)
  }))
  out$status <- ifelse(out$n < 5, "below_minimum", "shown")
  for (q in unique(out$quarter)) {  # complementary suppression: not triggered on this data (checked)
    j <- out$quarter == q
    hidden <- out$status[j] != "shown"
    stopifnot(!any(hidden) || sum(out$n[j][hidden]) >= 5)
  }
  out
}

end_to_end <- function(measure, outcome, lag) {
  units <- unit_index(measure)
  shown <- units[units$status == "shown", ]
  shown$outcome_quarter <- next_quarter(shown$quarter, lag)
  m <- merge(shown, customers, by.x = c("team", "outcome_quarter"), by.y = c("team", "quarter"))
  m <- m[order(m$quarter, m$team), ]
  ct <- cor.test(m$value, m[[outcome]])
  score <- if (measure == "engagement_index") "fav_share" else "enps_score"
  persons <- survey[survey$unit %in% m$unit & !is.na(survey[[score]]), ]
  fit <- aov(persons[[score]] ~ as.factor(persons$unit))
  icc2 <- ICC2(fit)
  wr <- boot::corr(cbind(m$value, m[[outcome]]), m$n)
  neff <- sum(m$n)^2 / sum(m$n^2)
  wci <- fisher(wr, neff, 0.95, "two.sided")
  qc <- quartile_case("", m$value, m[[outcome]])
  list(measure = measure, outcome = outcome, lag = lag, n_units = nrow(m),
       n_below_minimum = sum(units$status == "below_minimum"),
       n_no_outcome = nrow(shown) - nrow(m),
       units = list(team = m$team, quarter = m$quarter, outcome_quarter = m$outcome_quarter, n = m$n,
                    measure = m$value, outcome = m[[outcome]]),
       statistic = unname(ct$estimate), pvalue = ct$p.value, ci = as.numeric(ct$conf.int),
       reliability = icc2, icc_persons = nrow(persons),
       corrected = unname(ct$estimate) / sqrt(icc2), corrected_ci = as.numeric(ct$conf.int) / sqrt(icc2),
       weighted = list(statistic = wr, effective_n = neff, ci = wci),
       quartiles = qc[c("q1", "q3", "n_bottom", "n_top", "mean_bottom", "mean_top", "difference", "df", "pvalue",
                        "ci", "relative_difference")])
}
e2e <- list(end_to_end("engagement_index", "csat_mean", 1), end_to_end("engagement_index", "csat_mean", 0),
            end_to_end("enps", "customer_nps", 1))
stopifnot(e2e[[1]]$n_units > 150, e2e[[1]]$statistic > e2e[[2]]$statistic)

provenance <- reference_provenance(script_name, c("boot", "multilevel"),
  method = paste(
    "boot::corr (checked against cov.wt) for weighted r; Kish n_eff, t test and Fisher interval by formula;",
    "quantile type 7 + t.test (Welch) for the quartile comparison; end to end on examples/data with",
    "cor.test, multilevel::ICC2(aov(score ~ unit)) and r / sqrt(ICC2)."))

result <- list(provenance = provenance, weighted = weighted, quartiles = quartiles, bands = bands, end_to_end = e2e)
# All-NA logical vectors are written as numbers (null).
back <- write_reference_json(result, out_file, logical = "na")
stopifnot(identical(back$weighted[[1]]$statistic, weighted[[1]]$statistic),
          identical(back$end_to_end[[1]]$reliability, e2e[[1]]$reliability))
cat("wrote", out_file, "\n")
