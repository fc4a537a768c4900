# Independent reference values for the Hunter-Schmidt psychometric meta-analysis (engage.meta_analysis).
#
# Run from the repository root:   Rscript tests/data/meta_analysis_reference.R
# Writes tests/data/meta_analysis_reference.json (read by tests/cpp/test_meta_analysis.cpp and
# tests/python/test_meta_analysis.py).
#
# Three kinds of values, kept apart in the JSON:
#   "expected" -- the formulas of METHODS.md section 5, written here in base R (function hs_meta below), at full
#                 double precision. Every case has them; engage must match them to 1e-8 relative.
#   "oracles"  -- values computed by the reference packages themselves, at full precision:
#                 psychometric 2.3 (Fletcher; Debian r-cran-psychometric): rbar, varr, vare, varRes, pvse, CIr;
#                 metafor 3.8 (Debian r-cran-metafor): rma(yi, vi = (1 - rbar_w^2)^2/(n - 1), weights = n,
#                 method = "HS") and escalc(measure = "COR", vtype = "AV"). Matched to 1e-8 relative.
#   "rounded"  -- METHODS.md [REF] numbers produced by psychmeta 2.7.0 (CRAN only, not installed here) and by
#                 psychmeta::correct_r, as printed there: R's default 7 significant digits (correct_r: 3 decimals).
#                 They are compared at that precision: |engage - value| <= half a unit in the last printed digit.
# The packages are used as black boxes (their documented functions); none of their source was read.
#
# Facts established by this script (stopifnot below) that the library's documentation relies on:
#   * psychometric::vare is the "mean" sampling-error variance  sum n_i (1 - rbar^2)^2/(n_i - 1) / sum n_i
#     (its help page says so; aprox.vare is the textbook (1 - rbar^2)^2/(Nbar - 1) = error_type "mean_n").
#     Checked on ABHt32 and dat.mcdaniel1994, where the two differ.
#   * psychometric::CIrb uses SE = sqrt((1 - rbar^2)^2/(N - k) + varRes/k) (its SERHET), which equals
#     engage's S_r/sqrt(k) (psychmeta's se_r) only when every study has the same n (HSJt35); on ABHt32 they
#     differ in the 4th digit. engage follows H&S 2004 / psychmeta: S_r/sqrt(k).
#   * metafor's HS tau^2 weights by 1/v_i, i.e. by n_i - 1:  tau^2 = sum (n_i-1)(r_i - r')^2/sum(n_i-1)
#     - k (1 - rbar^2)^2/sum(n_i - 1), r' the (n-1)-weighted mean. It equals the classic var_res when all n_i
#     are equal (HSJt35) but not otherwise (dat.mcdaniel1994: 0.0179103 vs 0.0179437). Its SE of the estimate,
#     sqrt(sum n_i^2 (v_i + tau^2))/sum n_i, is a different quantity from S_r/sqrt(k) (0.0295 vs 0.0122 there).
#     So metafor is an oracle for tau^2 and SE only on HSJt35; on dat.mcdaniel1994 only its estimate is used.

suppressPackageStartupMessages({
  library(psychometric)
  library(metafor)
  library(metadat)
  library(jsonlite)
})

script_name <- "tests/data/meta_analysis_reference.R"
out_file <- "tests/data/meta_analysis_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer
near <- function(a, b, tol) all(abs(a - b) <= tol * pmax(1, abs(b)))
rel_near <- function(a, b, tol = 1e-12) all(abs(a - b) <= tol * abs(b))

# ---------------------------------------------------------------------------------------------------------------
# The formulas (METHODS.md section 5), individual-correction (IC) psychometric meta-analysis.
# ---------------------------------------------------------------------------------------------------------------
# Corrections of one correlation, in the order of Hunter & Schmidt (2004) for direct range restriction on x:
#   1. measurement error in y:  r1 = r / sqrt(ryy)           (ryy of the study sample)
#   2. Thorndike Case II:       r2 = (r1/u) / sqrt(1 + r1^2 (1/u^2 - 1))
#   3. measurement error in x:  rho = r2 / sqrt(rxx_a),  rxx_a = 1 - u^2 (1 - rxx) when rxx is the study-sample
#                               (restricted) reliability, rxx itself when rxx_restricted = FALSE.
correct_one <- function(r, rxx, ryy, u, rxx_restricted) {
  rxx_a <- if (rxx_restricted) 1 - u^2 * (1 - rxx) else rxx
  r1 <- r / sqrt(ryy)
  r2 <- (r1 / u) / sqrt(1 + r1^2 * (1 / u^2 - 1))
  r2 / sqrt(rxx_a)
}
# d rho / d r, analytic: (1/sqrt(ryy)) * (1/u) (1 + r1^2 (1/u^2 - 1))^(-3/2) * (1/sqrt(rxx_a)).
d_correct_one <- function(r, rxx, ryy, u, rxx_restricted) {
  rxx_a <- if (rxx_restricted) 1 - u^2 * (1 - rxx) else rxx
  r1 <- r / sqrt(ryy)
  (1 / sqrt(ryy)) * (1 / u) * (1 + r1^2 * (1 / u^2 - 1))^(-3 / 2) / sqrt(rxx_a)
}
# attenuation factor A = r / rho, written without dividing by r (defined at r = 0)
attenuation <- function(r, rxx, ryy, u, rxx_restricted) {
  rxx_a <- if (rxx_restricted) 1 - u^2 * (1 - rxx) else rxx
  r1 <- r / sqrt(ryy)
  sqrt(ryy) * u * sqrt(1 + r1^2 * (1 / u^2 - 1)) * sqrt(rxx_a)
}

crit <- function(method, level, k) {
  p <- 1 - (1 - level) / 2
  if (method == "t") qt(p, df = k - 1) else qnorm(p)
}

# weighted mean as x[1] + weighted mean of deviations from x[1], so equal values give a variance of exactly 0
wmean <- function(x, w) x[1] + sum(w * (x - x[1])) / sum(w)
wvar <- function(x, w, unbiased) {
  m <- wmean(x, w)
  v <- sum(w * (x - m)^2) / sum(w)
  if (unbiased) v * length(x) / (length(x) - 1) else v
}

hs_meta <- function(r, n, rxx = 1, ryy = 1, ux = 1, rxx_restricted = TRUE, correct_bias, var_unbiased, error_type,
                    conf_method, cred_method, confidence_level = 0.95, credibility_level = 0.80) {
  k <- length(r)
  rxx <- rep_len(rxx, k); ryy <- rep_len(ryy, k); ux <- rep_len(ux, k)
  rc <- if (correct_bias) r * (2 * n - 1) / (2 * n - 2) else r
  N <- sum(n)
  mean_r <- wmean(rc, n)
  var_r <- wvar(rc, n, var_unbiased)
  c2 <- (1 - mean_r^2)^2
  var_e_i <- if (error_type == "mean") c2 / (n - 1) else rep(c2 / (N / k - 1), k)
  var_e <- sum(n * var_e_i) / N
  var_res_raw <- var_r - var_e
  var_res <- max(0, var_res_raw)
  se_mean_r <- sqrt(var_r) / sqrt(k)
  zc <- crit(conf_method, confidence_level, k)
  zr <- crit(cred_method, credibility_level, k)

  A <- attenuation(rc, rxx, ryy, ux, rxx_restricted)
  rho <- correct_one(rc, rxx, ryy, ux, rxx_restricted)
  stopifnot(near(A * rho, rc, 1e-12))
  d <- d_correct_one(rc, rxx, ryy, ux, rxx_restricted)
  # independent check of the analytic derivative by central differences
  h <- 1e-6
  num <- (correct_one(rc + h, rxx, ryy, ux, rxx_restricted) - correct_one(rc - h, rxx, ryy, ux, rxx_restricted)) / (2 * h)
  stopifnot(near(d, num, 1e-7))
  w <- n * A^2
  mean_rho <- wmean(rho, w)
  var_r_c <- wvar(rho, w, var_unbiased)
  var_e_c_i <- var_e_i * d^2
  var_e_c <- sum(w * var_e_c_i) / sum(w)
  var_rho_raw <- var_r_c - var_e_c
  var_rho <- max(0, var_rho_raw)
  se_mean_rho <- sqrt(var_r_c) / sqrt(k)

  # study level: Fisher-z interval of the observed r, mapped through the same corrections for rho
  zs <- qnorm(1 - (1 - confidence_level) / 2)
  lo <- ifelse(n > 3, tanh(atanh(r) - zs / sqrt(n - 3)), NA)
  hi <- ifelse(n > 3, tanh(atanh(r) + zs / sqrt(n - 3)), NA)
  bias <- if (correct_bias) (2 * n - 1) / (2 * n - 2) else rep(1, k)
  list(
    summary = list(
      k = k, n_total = N, mean_r = mean_r, var_r = var_r, var_e = var_e, var_res = var_res,
      var_res_truncated = var_res_raw < 0, sd_r = sqrt(var_r), sd_e = sqrt(var_e), sd_res = sqrt(var_res),
      se_mean_r = se_mean_r, pct_var_sampling_error = 100 * var_e / var_r,
      ci_low = mean_r - zc * se_mean_r, ci_high = mean_r + zc * se_mean_r,
      cr_low = mean_r - zr * sqrt(var_res), cr_high = mean_r + zr * sqrt(var_res),
      mean_rho = mean_rho, var_r_c = var_r_c, var_e_c = var_e_c, var_rho = var_rho,
      var_rho_truncated = var_rho_raw < 0, sd_r_c = sqrt(var_r_c), sd_e_c = sqrt(var_e_c), sd_rho = sqrt(var_rho),
      se_mean_rho = se_mean_rho, pct_var_artifacts = 100 * var_e_c / var_r_c,
      ci_rho_low = mean_rho - zc * se_mean_rho, ci_rho_high = mean_rho + zc * se_mean_rho,
      cr_rho_low = mean_rho - zr * sqrt(var_rho), cr_rho_high = mean_rho + zr * sqrt(var_rho)),
    studies = list(
      r_bias_corrected = rc, weight = n, low = lo, high = hi, attenuation = A, rho = rho, weight_rho = w,
      var_e = var_e_i, var_e_rho = var_e_c_i,
      rho_low = correct_one(bias * lo, rxx, ryy, ux, rxx_restricted),
      rho_high = correct_one(bias * hi, rxx, ryy, ux, rxx_restricted)))
}

presets <- list(
  psychmeta = list(correct_bias = TRUE, var_unbiased = TRUE, error_type = "mean", conf_method = "t", cred_method = "t"),
  classic = list(correct_bias = FALSE, var_unbiased = FALSE, error_type = "mean", conf_method = "norm",
                 cred_method = "norm"),
  hs_override = list(correct_bias = TRUE, var_unbiased = FALSE, error_type = "mean", conf_method = "norm",
                     cred_method = "norm"))

run_case <- function(name, r, n, options, rxx = NULL, ryy = NULL, ux = NULL, rxx_restricted = TRUE,
                     confidence_level = 0.95, credibility_level = 0.80, oracles = list(), rounded = NULL, note = NULL) {
  args <- c(list(r = r, n = n, rxx = if (is.null(rxx)) 1 else rxx, ryy = if (is.null(ryy)) 1 else ryy,
                 ux = if (is.null(ux)) 1 else ux, rxx_restricted = rxx_restricted,
                 confidence_level = confidence_level, credibility_level = credibility_level), options)
  res <- do.call(hs_meta, args)
  case <- list(name = name, r = I(r), n = I(n), rxx = if (is.null(rxx)) NULL else I(rxx),
               ryy = if (is.null(ryy)) NULL else I(ryy), ux = if (is.null(ux)) NULL else I(ux),
               rxx_restricted = rxx_restricted,
               options = c(options, list(confidence_level = confidence_level, credibility_level = credibility_level)),
               expected = res$summary, studies = lapply(res$studies, I), oracles = oracles)
  if (!is.null(rounded)) case$rounded <- rounded
  if (!is.null(note)) case$note <- note
  case
}
# half a unit in the 7th significant digit (R's default print precision)
sig7_tol <- function(x) 0.5 * 10^(floor(log10(abs(x))) - 6)
check_rounded <- function(res, rounded) {
  for (nm in names(rounded$values)) {
    v <- rounded$values[[nm]]
    tol <- if (is.null(rounded$decimals)) sig7_tol(v) else 0.5 * 10^(-rounded$decimals)
    got <- if (nm %in% names(res$summary)) res$summary[[nm]] else res$studies[[nm]][1]
    if (abs(got - v) > tol) stop(sprintf("rounded check %s: %.10g vs %.10g (tol %g)", nm, got, v, tol))
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------
data(HSJt35, package = "psychometric"); data(ABHt32, package = "psychometric")
hsj <- HSJt35[!is.na(HSJt35$Rxy), c("Rxy", "n")]
abh <- ABHt32[, c("Rxy", "n")]
mcd <- data.frame(Rxy = dat.mcdaniel1994$ri, n = dat.mcdaniel1994$ni)
stopifnot(nrow(hsj) == 4, nrow(abh) == 10, nrow(mcd) == 160, !anyNA(mcd))

psychometric_oracle <- function(d) {
  list(source = paste("psychometric", packageVersion("psychometric"), "rbar, varr, vare, varRes, pvse"),
       values = list(mean_r = rbar(d), var_r = varr(d), var_e = vare(d), var_res = varRes(d),
                     pct_var_sampling_error = as.numeric(pvse(d))))
}
metafor_fit <- function(d) {
  rb <- sum(d$n * d$Rxy) / sum(d$n)
  es <- escalc(measure = "COR", ri = d$Rxy, ni = d$n, vtype = "AV")
  stopifnot(rel_near(es$vi, (1 - rb^2)^2 / (d$n - 1), 1e-12))  # escalc's "AV" is the formula we pass
  rma(yi = d$Rxy, vi = (1 - rb^2)^2 / (d$n - 1), weights = d$n, method = "HS")
}

cases <- list()

# --- HSJt35 (Hunter, Schmidt & Jackson 1982, table 3.5) -------------------------------------------------------
fit <- metafor_fit(hsj)
cases$hsj_classic <- run_case(
  "HSJt35 classic", hsj$Rxy, hsj$n, presets$classic,
  oracles = list(
    psychometric_oracle(hsj),
    list(source = paste("psychometric", packageVersion("psychometric"), "CIrb (equal n: its SE equals S_r/sqrt(k))"),
         values = list(ci_low = CIrb(hsj)[[1]], ci_high = CIrb(hsj)[[2]])),
    list(source = paste("metafor", packageVersion("metafor"), "rma(method = 'HS', weights = n): tau2, estimate, se"),
         values = list(var_res = fit$tau2, mean_r = as.numeric(fit$beta), se_mean_r = fit$se,
                       ci_low = fit$ci.lb, ci_high = fit$ci.ub))),
  rounded = list(source = "METHODS.md [REF] HSJt35 classic (psychometric / psychmeta correct_bias = FALSE, var_unbiased = FALSE)",
                 values = list(mean_r = 0.18, var_r = 0.01465, var_e = 0.01397388, var_res = 0.000676123,
                               sd_res = 0.02600236, pct_var_sampling_error = 95.38483, ci_low = 0.06138574,
                               ci_high = 0.2986143, cr_low = 0.1466766, cr_high = 0.2133234)))
check_rounded(do.call(hs_meta, c(list(r = hsj$Rxy, n = hsj$n), presets$classic)), cases$hsj_classic$rounded)

cases$hsj_psychmeta <- run_case(
  "HSJt35 psychmeta defaults", hsj$Rxy, hsj$n, presets$psychmeta,
  rounded = list(source = "METHODS.md [REF] psychmeta 2.7.0 ma_r_bb defaults (correct_bias, var_unbiased, t intervals)",
                 values = list(mean_r = 0.1813433, var_r = 0.01982596, var_e = 0.01395986, var_res = 0.005866103,
                               ci_low = -0.04270841, ci_high = 0.405395, cr_low = 0.05590765, cr_high = 0.3067789)))
check_rounded(do.call(hs_meta, c(list(r = hsj$Rxy, n = hsj$n), presets$psychmeta)), cases$hsj_psychmeta$rounded)

cases$hsj_hs_override <- run_case(
  "HSJt35 psychmeta hs_override", hsj$Rxy, hsj$n, presets$hs_override,
  rounded = list(source = "METHODS.md [REF] psychmeta 2.7.0 control_psychmeta(hs_override = TRUE)",
                 values = list(var_r = 0.01486947, var_res = 0.0009096118, ci_low = 0.06184384, ci_high = 0.3008427,
                               cr_low = 0.142692, cr_high = 0.2199946)))
check_rounded(do.call(hs_meta, c(list(r = hsj$Rxy, n = hsj$n), presets$hs_override)), cases$hsj_hs_override$rounded)

# other interval levels of the psychmeta case (for confidence_interval_at / credibility_interval_at)
k4 <- nrow(hsj)
pm <- do.call(hs_meta, c(list(r = hsj$Rxy, n = hsj$n), presets$psychmeta))$summary
intervals_at <- lapply(c(0.5, 0.9, 0.99), function(lv) {
  list(level = lv,
       conf_t = I(pm$mean_r + c(-1, 1) * qt(1 - (1 - lv) / 2, k4 - 1) * pm$se_mean_r),
       conf_norm = I(pm$mean_r + c(-1, 1) * qnorm(1 - (1 - lv) / 2) * pm$se_mean_r),
       cred_t = I(pm$mean_r + c(-1, 1) * qt(1 - (1 - lv) / 2, k4 - 1) * pm$sd_res),
       cred_norm = I(pm$mean_r + c(-1, 1) * qnorm(1 - (1 - lv) / 2) * pm$sd_res))
})

# IC meta-analysis: measurement error only (rxx .8, ryy .6), psychmeta defaults
cases$hsj_ic <- run_case(
  "HSJt35 individual correction rxx .8 ryy .6, psychmeta defaults", hsj$Rxy, hsj$n, presets$psychmeta,
  rxx = 0.8, ryy = 0.6,
  rounded = list(source = "METHODS.md [REF] psychmeta 2.7.0 ma_r(ma_method = 'ic', rxx = .8, ryy = .6) defaults",
                 values = list(mean_rho = 0.2617465, sd_rho = 0.1105488, cr_rho_low = 0.08069574,
                               cr_rho_high = 0.4427972)))
check_rounded(do.call(hs_meta, c(list(r = hsj$Rxy, n = hsj$n, rxx = 0.8, ryy = 0.6), presets$psychmeta)),
              cases$hsj_ic$rounded)

# --- ABHt32 (Arthur, Bennett & Huffcutt 2001, table 3.2) -----------------------------------------------------------
abh_classic <- do.call(hs_meta, c(list(r = abh$Rxy, n = abh$n), presets$classic))$summary
stopifnot(abs(abh_classic$mean_r - 0.3011921) <= sig7_tol(0.3011921),
          abs(abh_classic$var_r - 0.02874427) <= sig7_tol(0.02874427),
          abs(abh_classic$var_e - 0.01115178) <= sig7_tol(0.01115178),
          rel_near(abh_classic$var_e, vare(abh)), !rel_near(abh_classic$var_e, aprox.vare(abh), 1e-4))
# psychometric's CIrb differs from S_r/sqrt(k) when n differ (see the header)
stopifnot(rel_near((CIrb(abh)[[2]] - CIrb(abh)[[1]]) / 2 / qnorm(0.975),
                   sqrt((1 - rbar(abh)^2)^2 / (sum(abh$n) - 10) + varRes(abh) / 10)),
          abs(CIrb(abh)[[1]] - abh_classic$ci_low) > 5e-5)
cases$abh_classic <- run_case(
  "ABHt32 classic", abh$Rxy, abh$n, presets$classic, oracles = list(psychometric_oracle(abh)),
  rounded = list(source = "METHODS.md [REF] ABHt32 (psychometric)",
                 values = list(mean_r = 0.3011921, var_r = 0.02874427, var_e = 0.01115178)))
mean_n <- modifyList(presets$classic, list(error_type = "mean_n"))
cases$abh_mean_n <- run_case(
  "ABHt32 classic with error_type mean_n", abh$Rxy, abh$n, mean_n,
  oracles = list(list(source = paste("psychometric", packageVersion("psychometric"), "aprox.vare"),
                      values = list(var_e = aprox.vare(abh)))))
cases$abh_psychmeta <- run_case("ABHt32 psychmeta defaults", abh$Rxy, abh$n, presets$psychmeta)

# --- dat.mcdaniel1994 (metadat), k = 160 ------------------------------------------------------------------------
fit <- metafor_fit(mcd)
m1 <- mcd$n - 1
rprime <- sum(m1 * mcd$Rxy) / sum(m1)
stopifnot(rel_near(fit$tau2, sum(m1 * (mcd$Rxy - rprime)^2) / sum(m1) -
                     length(m1) * (1 - rbar(mcd)^2)^2 / sum(m1), 1e-10))  # metafor's HS weighting (header)
cases$mcd_classic <- run_case(
  "dat.mcdaniel1994 classic", mcd$Rxy, mcd$n, presets$classic,
  oracles = list(
    psychometric_oracle(mcd),
    list(source = paste("metafor", packageVersion("metafor"), "rma(method = 'HS', weights = n): estimate only",
                        "(its tau^2 weights by n - 1, see the script header)"),
         values = list(mean_r = as.numeric(fit$beta)))),
  note = sprintf("metafor HS tau2 = %.10g (weights n - 1), not the classic var_res", fit$tau2))
cases$mcd_psychmeta <- run_case("dat.mcdaniel1994 psychmeta defaults", mcd$Rxy, mcd$n, presets$psychmeta)
cases$mcd_mean_n_t <- run_case(
  "dat.mcdaniel1994 mean_n, unbiased, norm CI, t CR, 90/90", mcd$Rxy, mcd$n,
  list(correct_bias = FALSE, var_unbiased = TRUE, error_type = "mean_n", conf_method = "norm", cred_method = "t"),
  confidence_level = 0.90, credibility_level = 0.90,
  oracles = list(list(source = paste("psychometric", packageVersion("psychometric"), "aprox.vare"),
                      values = list(var_e = aprox.vare(mcd)))))

# --- Individual corrections with range restriction -----------------------------------------------------------------
# ABHt32 studies 1-3 carry all three artifacts.
a3 <- ABHt32[1:3, ]
cases$abh3_rr <- run_case("ABHt32 studies 1-3, rxx, ryy, ux per study, psychmeta defaults", a3$Rxy, a3$n,
                          presets$psychmeta, rxx = a3$Rxx, ryy = a3$Ryy, ux = a3$u)
cases$abh3_rr_classic <- run_case("ABHt32 studies 1-3, rxx, ryy, ux per study, classic", a3$Rxy, a3$n,
                                  presets$classic, rxx = a3$Rxx, ryy = a3$Ryy, ux = a3$u)
# scalar ryy, per-study rxx given as unrestricted, one u > 1 (range enhancement), a negative r
cases$mixed_rr <- run_case(
  "mixed artifacts: scalar ryy, unrestricted rxx, u > 1, negative r", c(0.25, -0.05, 0.41, 0.18, 0.33),
  c(40, 120, 65, 210, 33), presets$hs_override, rxx = c(0.85, 0.9, 0.75, 0.8, 0.7), ryy = 0.65,
  ux = c(0.6, 1.2, 0.8, 0.9, 1), rxx_restricted = FALSE)
# heterogeneity below sampling error: var_res and var_rho truncated at 0
cases$truncated <- run_case("homogeneous studies, truncated residual variance", c(0.20, 0.22, 0.19, 0.21),
                            c(50, 60, 70, 80), presets$psychmeta, rxx = 0.8, ryy = 0.7)
stopifnot(cases$truncated$expected$var_res_truncated, cases$truncated$expected$var_rho_truncated)

# psychmeta::correct_r single-study values (METHODS.md [REF], 3 decimals), via the study table of a 2-study meta
cases$correct_r_meas <- run_case(
  "psychmeta correct_r meas(r .3, rxx .8, ryy .7, n 100), study table", c(0.3, 0.3), c(100, 100),
  modifyList(presets$psychmeta, list(correct_bias = FALSE)), rxx = 0.8, ryy = 0.7,
  rounded = list(source = "METHODS.md [REF] psychmeta 2.7.0 correct_r(correction = 'meas'), 3 decimals", decimals = 3,
                 values = list(rho = 0.401, rho_low = 0.147, rho_high = 0.626)))
check_rounded(do.call(hs_meta, c(list(r = c(0.3, 0.3), n = c(100, 100), rxx = 0.8, ryy = 0.7),
                                 modifyList(presets$psychmeta, list(correct_bias = FALSE)))),
              cases$correct_r_meas$rounded)
cases$correct_r_uvdrr <- run_case(
  "psychmeta correct_r uvdrr_x(r .3, ux .7, n 100), study table", c(0.3, 0.3), c(100, 100),
  modifyList(presets$psychmeta, list(correct_bias = FALSE)), ux = 0.7,
  rounded = list(source = "METHODS.md [REF] psychmeta 2.7.0 correct_r(correction = 'uvdrr_x'), 3 decimals", decimals = 3,
                 values = list(rho = 0.41, rho_low = 0.156, rho_high = 0.604)))
check_rounded(do.call(hs_meta, c(list(r = c(0.3, 0.3), n = c(100, 100), ux = 0.7),
                                 modifyList(presets$psychmeta, list(correct_bias = FALSE)))),
              cases$correct_r_uvdrr$rounded)
stopifnot(abs(correct_one(0.3, 1, 1, 0.7, TRUE) - 0.4098) < 5e-5)  # Case II closed form, METHODS.md

# study-level Fisher-z intervals against psychometric::CIr
fisher_oracle <- t(vapply(seq_len(nrow(abh)), function(i) CIr(abh$Rxy[i], abh$n[i], 0.95), numeric(2)))
cases$abh_classic$oracles[[length(cases$abh_classic$oracles) + 1]] <- list(
  source = paste("psychometric", packageVersion("psychometric"), "CIr (study-level Fisher z interval)"),
  studies = list(low = I(fisher_oracle[, 1]), high = I(fisher_oracle[, 2])))

# ---------------------------------------------------------------------------------------------------------------
provenance <- reference_provenance(script_name, c("psychometric", "metafor", "metadat"),
  method = paste(
    "expected: Hunter-Schmidt bare-bones and individual-correction meta-analysis written in base R from METHODS.md",
    "section 5 (psychmeta conventions: bias correction r (2n-1)/(2n-2), var_unbiased k/(k-1), error_type 'mean' or",
    "'mean_n', t or normal intervals; corrections in H&S 2004 order for direct range restriction; corrected-r",
    "sampling variance by the delta method, checked by central differences); oracles: psychometric and metafor",
    "functions; rounded: METHODS.md [REF] psychmeta 2.7.0 values at their printed precision."),
  tolerance = "expected and oracles: 1e-8 relative; rounded: half a unit in the last printed digit",
  presets = presets)

result <- list(provenance = provenance, cases = unname(cases), intervals_at = list(case = "HSJt35 psychmeta defaults",
               levels = intervals_at))
# Numbers round-trip exactly (reference_helpers.R); NA -> null; +-Inf (the % of variance when all r are equal)
# -> the strings "inf" / "-inf".
back <- write_reference_json(result, out_file, infinite = "string")
stopifnot(identical(back$cases[[1]]$expected$var_res, cases$hsj_classic$expected$var_res),
          identical(back$cases[[2]]$expected$cr_high, cases$hsj_psychmeta$expected$cr_high))
cat("wrote", out_file, "\n")
