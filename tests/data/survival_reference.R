# Independent reference values for survival analysis (churn risk): Kaplan-Meier, the log-rank test, Cox PH.
#
# Run from the repository root:   Rscript tests/data/survival_reference.R
# Writes tests/data/survival_reference.json (read by tests/cpp/test_survival.cpp and tests/python/test_survival.py).
#
# Every value comes from R's `survival` package (survfit, quantile.survfit, summary.survfit, survdiff, coxph,
# survfit.coxph, concordance) run on the data written into the JSON, so the tests need neither R nor the data
# packages. The data sets are survival::lung (228 rows; status 1 = censored, 2 = dead, written as event 0/1) and
# carData::Rossi (432 rows; factors coded 0/1 as in lifelines' load_rossi: fin yes = 1, race black = 1,
# wexp yes = 1, mar married = 1, paro yes = 1). Numbers are written at full double precision (see num_str in
# reference_helpers.R).
#
# The METHODS.md section 7 [REF] values are checked with stopifnot() below, so the JSON is only written if they
# all hold at the precision quoted there.
#
# Penalised Cox fits: engage's `penalizer` lambda subtracts 0.5 * lambda * n * sum_j (beta_j * sd_j)^2 from the
# log partial likelihood (sd with divisor n - 1), which is lifelines' convention (its penalty is on the mean log
# likelihood of standardised covariates). In R that is coxph(... ~ ridge(x1, x2, theta = n * lambda,
# scale = TRUE)); the reference values below come from that call.

suppressPackageStartupMessages({
  library(survival)
  library(carData)
  library(jsonlite)
})

script_name <- "tests/data/survival_reference.R"
out_file <- "tests/data/survival_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer

# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------
lung_df <- data.frame(time = lung$time, event = as.integer(lung$status == 2), age = lung$age, sex = lung$sex,
                      ph_ecog = lung$ph.ecog)
rossi_df <- data.frame(week = Rossi$week, arrest = Rossi$arrest,
                       fin = as.integer(Rossi$fin == "yes"), age = Rossi$age,
                       race = as.integer(Rossi$race == "black"), wexp = as.integer(Rossi$wexp == "yes"),
                       mar = as.integer(Rossi$mar == "married"), paro = as.integer(Rossi$paro == "yes"),
                       prio = Rossi$prio)
rossi_covariates <- c("fin", "age", "race", "wexp", "mar", "paro", "prio")

# ---------------------------------------------------------------------------------------------------------------
# Kaplan-Meier
# ---------------------------------------------------------------------------------------------------------------
conf_types <- c("log", "log-log", "plain")

km_table <- function(f) {
  s <- summary(f, censored = TRUE)
  list(time = I(s$time), at_risk = I(s$n.risk), events = I(s$n.event), censored = I(s$n.censor),
       survival = I(s$surv), standard_error = I(s$std.err), low = I(s$lower), high = I(s$upper))
}

km_median <- function(f) {
  q <- quantile(f, probs = 0.5)
  list(median = unname(q$quantile), low = unname(q$lower), high = unname(q$upper))
}

km_case <- function(name, time, event, levels = c(0.95, 0.90), at = NULL) {
  fits <- list()
  for (ct in conf_types) for (lv in levels) {
    f <- survfit(Surv(time, event) ~ 1, conf.type = ct, conf.int = lv)
    entry <- list(conf_type = ct, confidence_level = lv, table = km_table(f), median = km_median(f))
    if (!is.null(at)) {
      s <- summary(f, times = at)
      entry$at <- list(time = I(s$time), at_risk = I(s$n.risk), events = I(s$n.event), censored = I(s$n.censor),
                       survival = I(s$surv), standard_error = I(s$std.err), low = I(s$lower), high = I(s$upper))
    }
    fits[[length(fits) + 1]] <- entry
  }
  list(name = name, time = I(time), event = I(event), fits = fits)
}

km_cases <- list(
  km_case("lung", lung_df$time, lung_df$event, at = c(0, 5.5, 100, 200, 365, 500, 730, 1022)),
  # Median rules of quantile.survfit: a horizontal segment at exactly 0.5 gives its midpoint.
  km_case("uncensored_even", c(1, 2, 3, 4), c(1, 1, 1, 1)),
  km_case("half_then_censored", c(1, 2, 3, 4), c(1, 1, 0, 0)),
  km_case("half_then_event", c(1, 2, 3, 4, 5, 6), c(1, 1, 1, 0, 1, 1)),
  km_case("ties_and_zero", c(1, 1, 1, 4), c(1, 1, 0, 1)),
  km_case("all_censored", c(1, 2, 3, 4), c(0, 0, 0, 0)),
  km_case("event_at_time_zero", c(0, 0, 2, 3, 3, 5, 8, 8, 9), c(1, 0, 1, 1, 0, 1, 1, 0, 0)),
  km_case("single", c(7), c(1)),
  km_case("censored_first", c(1, 2, 3, 4), c(0, 1, 1, 0), at = c(0.5, 1, 1.5, 3.5)),
  km_case("tied_mixed", c(2, 2, 2, 3, 3, 5, 5, 5, 5, 7, 8, 8, 10, 12, 12),
          c(1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0)))

# Per-group curves (the grouped API, min_group_size = 1): lung by sex
km_by_sex <- lapply(c(1, 2), function(s) {
  d <- lung_df[lung_df$sex == s, ]
  f <- survfit(Surv(time, event) ~ 1, data = d)
  list(key = s, n = nrow(d), events = sum(d$event), table = km_table(f), median = km_median(f))
})

# ---------------------------------------------------------------------------------------------------------------
# Log-rank test (survdiff, rho = 0)
# ---------------------------------------------------------------------------------------------------------------
logrank_case <- function(name, time, event, group) {
  keys <- sort(unique(group))
  sd <- survdiff(Surv(time, event) ~ factor(group, levels = keys))
  df <- length(keys) - 1
  list(name = name, time = I(time), event = I(event), group = I(group), keys = I(keys),
       n = I(as.numeric(sd$n)), observed = I(as.numeric(sd$obs)), expected = I(as.numeric(sd$exp)),
       variance = lapply(seq_len(nrow(sd$var)), function(i) I(sd$var[i, ])),
       statistic = sd$chisq, df = df, pvalue = pchisq(sd$chisq, df, lower.tail = FALSE))
}
ecog <- !is.na(lung_df$ph_ecog)
logrank_cases <- list(
  logrank_case("lung_sex", lung_df$time, lung_df$event, lung_df$sex),
  # ph.ecog 3 has a single patient: the reference keeps it (the engage call uses min_group_size = 1)
  logrank_case("lung_ecog", lung_df$time[ecog], lung_df$event[ecog], lung_df$ph_ecog[ecog]),
  logrank_case("rossi_fin", rossi_df$week, rossi_df$arrest, rossi_df$fin))

# ---------------------------------------------------------------------------------------------------------------
# Cox proportional hazards
# ---------------------------------------------------------------------------------------------------------------
surv_times <- function(d, dcol) {
  t <- sort(unique(d[[dcol]]))
  sort(unique(c(0, t[round(seq(1, length(t), length.out = 6))], t[length(t)] - 0.5)))
}

cox_case <- function(name, d, dcol, ecol, covariates, ties, theta = NULL, newdata_rows = 1:5) {
  keep <- complete.cases(d[, c(dcol, ecol, covariates)])
  rhs <- if (is.null(theta)) paste(covariates, collapse = " + ") else
    sprintf("ridge(%s, theta = %.17g, scale = TRUE)", paste(covariates, collapse = ", "), theta)
  form <- as.formula(sprintf("Surv(%s, %s) ~ %s", dcol, ecol, rhs))
  fit <- coxph(form, data = d, ties = ties, control = coxph.control(eps = 1e-9, iter.max = 20))
  p <- length(covariates)
  beta <- unname(fit$coefficients)
  v <- unname(fit$var)
  se <- sqrt(diag(v))
  cc <- concordance(fit)
  out <- list(name = name, ties = ties, covariates = I(covariates), duration_col = dcol, event_col = ecol,
              n = fit$n, n_events = fit$nevent, dropped = sum(!keep), iterations = fit$iter,
              params = I(beta), standard_errors = I(se),
              covariance = lapply(seq_len(p), function(i) I(v[i, ])),
              z = I(beta / se), pvalues = I(2 * pnorm(-abs(beta / se))),
              log_likelihood_null = fit$loglik[1], log_likelihood = fit$loglik[2],
              concordance = list(concordant = unname(cc$count["concordant"]),
                                 discordant = unname(cc$count["discordant"]),
                                 tied_risk = unname(cc$count["tied.x"]), tied_time = unname(cc$count["tied.y"]),
                                 tied_both = unname(cc$count["tied.xy"]), statistic = unname(cc$concordance),
                                 standard_error = sqrt(unname(cc$var))),
              means = I(unname(fit$means)))
  if (is.null(theta)) {
    lr <- 2 * (fit$loglik[2] - fit$loglik[1])
    out$likelihood_ratio <- list(statistic = lr, df = p, pvalue = pchisq(lr, p, lower.tail = FALSE))
    out$wald <- list(statistic = unname(fit$wald.test), df = p,
                     pvalue = pchisq(unname(fit$wald.test), p, lower.tail = FALSE))
    out$score <- list(statistic = unname(fit$score), df = p,
                      pvalue = pchisq(unname(fit$score), p, lower.tail = FALSE))
  } else {
    out$theta <- theta
    out$penalizer <- theta / fit$n
    out$penalty <- unname(fit$penalty[2])
  }
  # Predictions for the first rows of the complete data: risk = exp((x - means) beta) and S(t | x) from
  # survfit.coxph (default ctype: Efron-adjusted hazard for ties = "efron"; stype 2: S = exp(-H)).
  # R's reference point `means` is the covariate mean except for 0/1 covariates, where it is 0; engage centres
  # every covariate at its mean (as lifelines), so the tests rescale partial hazards and the baseline by
  # exp((means_engage - means_R)' beta). Predicted survival does not depend on the reference.
  nd <- d[keep, , drop = FALSE][newdata_rows, covariates, drop = FALSE]
  lp <- as.matrix(sweep(nd, 2, fit$means)) %*% beta
  at <- surv_times(d[keep, ], dcol)
  sf <- survfit(fit, newdata = nd)
  ssum <- summary(sf, times = at)
  surv <- matrix(ssum$surv, nrow = length(at))
  out$newdata <- lapply(seq_len(nrow(nd)), function(i) I(unname(unlist(nd[i, ]))))
  out$partial_hazard <- I(as.numeric(exp(lp)))
  if (is.null(theta)) stopifnot(isTRUE(all.equal(as.numeric(exp(lp)),
                                                 as.numeric(predict(fit, newdata = nd, type = "risk")),
                                                 tolerance = 1e-12)))
  out$survival_times <- I(at)
  out$survival <- lapply(seq_len(nrow(nd)), function(i) I(surv[, i]))  # one row per subject
  bh <- basehaz(fit, centered = TRUE)
  ev <- bh$time %in% d[keep, ][[dcol]][d[keep, ][[ecol]] == 1]
  out$baseline <- list(time = I(bh$time[ev]), cumulative_hazard = I(bh$hazard[ev]))
  out
}

lung_ac <- lung_df[, c("time", "event", "age", "sex", "ph_ecog")]
cox_cases <- list(
  cox_case("lung_efron", lung_ac, "time", "event", c("age", "sex"), "efron"),
  cox_case("lung_breslow", lung_ac, "time", "event", c("age", "sex"), "breslow"),
  # one missing ph.ecog: coxph drops the row (na.omit); engage with nan_policy = "omit"
  cox_case("lung_ecog_omit", lung_ac, "time", "event", c("age", "sex", "ph_ecog"), "efron"),
  cox_case("rossi_efron", rossi_df, "week", "arrest", rossi_covariates, "efron"),
  cox_case("rossi_breslow", rossi_df, "week", "arrest", rossi_covariates, "breslow"),
  cox_case("lung_ridge_0.1", lung_ac, "time", "event", c("age", "sex"), "efron", theta = 0.1 * 228),
  cox_case("rossi_ridge_0.05", rossi_df, "week", "arrest", rossi_covariates, "efron", theta = 0.05 * 432))

# ---------------------------------------------------------------------------------------------------------------
# METHODS.md section 7 [REF] checks (at the precision printed there)
# ---------------------------------------------------------------------------------------------------------------
near <- function(a, b, tol) all(abs(a - b) <= tol)
lung_km <- km_cases[[1]]$fits
at_log <- lung_km[[1]]$at        # conf log, 0.95
stopifnot(lung_km[[1]]$conf_type == "log", lung_km[[1]]$confidence_level == 0.95)
stopifnot(near(at_log$survival[3:7], c(0.8639690, 0.6802729, 0.4092416, 0.2932692, 0.1156931), 5e-8),
          near(at_log$standard_error[c(3, 5)], c(0.02271023, 0.03582364), 5e-9),
          near(c(at_log$low[3], at_log$high[3]), c(0.82058489, 0.9096467), 5e-8),
          near(c(at_log$low[5], at_log$high[5]), c(0.34472158, 0.4858376), 5e-8),
          near(c(lung_km[[3]]$at$low[5], lung_km[[3]]$at$high[5]), c(0.3387143, 0.4783808), 5e-8),   # log-log
          near(c(lung_km[[5]]$at$low[5], lung_km[[5]]$at$high[5]), c(0.3390286, 0.4794547), 5e-8),   # plain
          near(unlist(lung_km[[1]]$median), c(310, 285, 363), 0))
lr_sex <- logrank_cases[[1]]
stopifnot(near(lr_sex$statistic, 10.3, 0.05), near(lr_sex$observed, c(112, 53), 0),
          near(lr_sex$expected, c(91.6, 73.4), 0.05))
le <- cox_cases[[1]]
stopifnot(near(le$params, c(0.017045, -0.513219), 5e-7), near(le$standard_errors, c(0.009223, 0.167458), 5e-7),
          near(c(le$log_likelihood_null, le$log_likelihood), c(-749.9098, -742.8482), 5e-5),
          near(c(le$likelihood_ratio$statistic, le$wald$statistic, le$score$statistic), c(14.12, 13.47, 13.72), 5e-3),
          near(le$concordance$statistic, 0.6029, 5e-5), near(le$concordance$standard_error, 0.0255, 5e-5),
          near(c(le$concordance$concordant, le$concordance$discordant, le$concordance$tied_risk,
                 le$concordance$tied_time), c(11910, 7793, 311, 28), 0))
stopifnot(near(cox_cases[[2]]$params, c(0.01701289, -0.5125648), c(5e-9, 5e-8)))
re <- cox_cases[[4]]
stopifnot(near(re$params, c(-0.379422, -0.057438, 0.313900, -0.149796, -0.433704, -0.084871, 0.091497), 5e-7),
          near(re$standard_errors, c(0.191379, 0.021999, 0.307993, 0.212224, 0.381868, 0.195757, 0.028649), 5e-7),
          near(c(re$log_likelihood_null, re$log_likelihood), c(-675.3806, -658.7477), 5e-5),
          near(re$concordance$statistic, 0.6403292, 5e-8))

# ---------------------------------------------------------------------------------------------------------------
provenance <- reference_provenance(script_name, c("survival", "carData"),
  method = paste(
    "survfit(Surv(time, event) ~ 1, conf.type, conf.int): summary(censored = TRUE) gives the table at every",
    "distinct time, summary(times = ) the table at given times, quantile(probs = 0.5) the median and its CI;",
    "survdiff (rho = 0) the log-rank test; coxph(ties, control = coxph.control(eps = 1e-9, iter.max = 20)) the",
    "Cox fits, concordance(fit) the Harrell C with its infinitesimal-jackknife variance, survfit(fit, newdata)",
    "(default ctype and stype) the predicted survival, basehaz(fit, centered = TRUE) the baseline cumulative",
    "hazard; penalised fits use ridge(..., theta = n * penalizer, scale = TRUE). NA/NaN are JSON null."),
  data = "lung: survival::lung (event = status == 2); rossi: carData::Rossi coded 0/1 as lifelines load_rossi")

data_out <- list(
  lung = list(time = I(lung_df$time), event = I(lung_df$event), age = I(lung_df$age), sex = I(lung_df$sex),
              ph_ecog = I(lung_df$ph_ecog)),
  rossi = lapply(rossi_df, I))
result <- list(provenance = provenance, data = data_out, kaplan_meier = km_cases, kaplan_meier_by_sex = km_by_sex,
               logrank = logrank_cases, cox = cox_cases)
# I()-wrapped character vectors stay arrays.
back <- write_reference_json(result, out_file, asis_character = TRUE)
# round-trip check: the file reads back to exactly the computed doubles
stopifnot(identical(back$cox[[1]]$params[[1]], cox_cases[[1]]$params[[1]]),
          identical(back$kaplan_meier[[1]]$fits[[1]]$table$standard_error[[3]],
                    km_cases[[1]]$fits[[1]]$table$standard_error[[3]]),
          identical(back$logrank[[1]]$statistic, logrank_cases[[1]]$statistic))
cat("wrote", out_file, "\n")
