# Independent reference values for the logistic churn model and the model-quality measures (AUC, concordance,
# Brier score, calibration table).
#
# Run from the repository root:   Rscript tests/data/logistic_reference.R
# Writes tests/data/logistic_reference.json (read by tests/cpp/test_logistic.cpp and tests/python/test_logistic.py)
# and the two data files it fits:
#   tests/data/logistic_attrition_sim.csv  a fixed simulated attrition data set (seeded, written below)
#   tests/data/logistic_ibm_attrition.csv  14 unscaled numeric columns of the IBM HR attrition data
#                                          (modeldata::attrition, 1470 rows; ordinal satisfaction items as 1-4)
# The models are fitted on the CSV files as read back, so R and engage see identical doubles.
#
# References:
#   logistic   glm(family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)), then refitted with
#              start = its coefficients: glm's covariance uses the IRLS weights of the last-but-one iterate (off the
#              MLE by ~1e-7 even at epsilon 1e-14, since the deviance change is quadratic in the step), and the
#              extra step started at the MLE evaluates it at the estimate. Standard errors, z and p from summary.glm;
#              Wald intervals from confint.default.
#   penalised  engage's convention: maximise loglik - 0.5 * penalizer * sum(beta[-1]^2) (intercept not penalised).
#              Base R has no such fit, so the optimum is found here by optim(BFGS) and polished by Newton steps on
#              that objective written from its definition; standard errors are sqrt(diag(solve(X'WX + P))).
#              (scikit-learn's C = 1 / penalizer is checked in tests/data/logistic_reference.py.)
#   AUC        pROC::roc(levels = c(0, 1), direction = "<") (higher score = positive class), auc(), var(method =
#              "delong"), ci.auc(method = "delong"), roc.test(method = "delong", paired = TRUE); the DeLong variance
#              is recomputed here directly from the placement values of DeLong, DeLong & Clarke-Pearson (1988) and
#              checked against pROC.
#   C-index    survival::concordance(Surv(time, status) ~ score, reverse = TRUE) (higher score = higher risk =
#              shorter survival): counts concordant, discordant, tied.x, tied.y, tied.xy and the infinitesimal-
#              jackknife variance; checked against METHODS.md [REF] (lung, coxph(age + sex): 11910/7793/311/28).
#   Brier      mean((p - y)^2) in base R.
#   calibration  cut(p, unique(quantile(p, seq(0, 1, 1 / bins))), include.lowest = TRUE) (type-7 quantile breaks,
#              right-closed bins), per bin n, events, mean p, observed rate and the Wilson interval
#              (prop.test(correct = FALSE)$conf.int).

suppressPackageStartupMessages({
  library(survival)
  library(pROC)
  library(modeldata)
  library(jsonlite)
})

script_name <- "tests/data/logistic_reference.R"
out_file <- "tests/data/logistic_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer
sim_file <- "tests/data/logistic_attrition_sim.csv"
ibm_file <- "tests/data/logistic_ibm_attrition.csv"
ctrl <- glm.control(epsilon = 1e-14, maxit = 100)

# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------
set.seed(20240611)
n <- 1200
sim <- data.frame(
  engagement = round(pmin(pmax(rnorm(n, 3.6, 0.7), 1), 5), 2),
  tenure_years = round(rexp(n, 1 / 4), 1),
  salary_k = round(rnorm(n, 62, 14), 1),
  overtime = rbinom(n, 1, 0.3),
  remote = rbinom(n, 1, 0.4),
  manager_changes = rpois(n, 0.8))
eta <- -0.4 - 0.9 * (sim$engagement - 3.6) - 0.15 * sim$tenure_years - 0.02 * (sim$salary_k - 62) +
  0.8 * sim$overtime - 0.3 * sim$remote + 0.25 * sim$manager_changes
sim$left <- rbinom(n, 1, plogis(eta))
write.csv(sim, sim_file, row.names = FALSE)
sim <- read.csv(sim_file)
sim_cols <- c("engagement", "tenure_years", "salary_k", "overtime", "remote", "manager_changes")

data(attrition, package = "modeldata")
lv <- c(Low = 1, Medium = 2, High = 3, Very_High = 4)
ibm <- data.frame(
  age = attrition$Age, daily_rate = attrition$DailyRate, distance = attrition$DistanceFromHome,
  hourly_rate = attrition$HourlyRate, monthly_income = attrition$MonthlyIncome,
  monthly_rate = attrition$MonthlyRate, num_companies = attrition$NumCompaniesWorked,
  overtime = as.integer(attrition$OverTime == "Yes"),
  job_satisfaction = unname(lv[as.character(attrition$JobSatisfaction)]),
  environment_satisfaction = unname(lv[as.character(attrition$EnvironmentSatisfaction)]),
  total_working_years = attrition$TotalWorkingYears, years_at_company = attrition$YearsAtCompany,
  years_since_promotion = attrition$YearsSinceLastPromotion, stock_option_level = attrition$StockOptionLevel,
  left = as.integer(attrition$Attrition == "Yes"))
stopifnot(!anyNA(ibm))
write.csv(ibm, ibm_file, row.names = FALSE)
ibm <- read.csv(ibm_file)
ibm_cols <- setdiff(names(ibm), "left")

# ---------------------------------------------------------------------------------------------------------------
# Logistic regression
# ---------------------------------------------------------------------------------------------------------------
fit_case <- function(name, d, ycol, cols, intercept = TRUE, na_rows = NULL, predict_rows = 1:5) {
  rhs <- paste(c(if (intercept) "1" else "0", cols), collapse = " + ")
  form <- as.formula(paste(ycol, "~", rhs))
  fit0 <- glm(form, family = binomial, data = d, control = ctrl)
  # glm's covariance uses the weights of the last-but-one iterate, which a deviance criterion leaves ~1e-7 away
  # from the MLE; one more IRLS step started at the MLE puts the covariance at the estimate itself.
  fit <- glm(form, family = binomial, data = d, control = ctrl, start = coef(fit0))
  stopifnot(fit0$converged, fit$converged, max(abs(coef(fit) - coef(fit0)) / abs(coef(fit0))) < 1e-12)
  s <- summary(fit)$coefficients
  ci95 <- confint.default(fit, level = 0.95)
  ci90 <- confint.default(fit, level = 0.90)
  nd <- d[predict_rows, cols, drop = FALSE]
  list(name = name, columns = I(cols), fit_intercept = intercept,
       n = nobs(fit), missing = nrow(d) - nobs(fit), events = sum(fit$y),
       params = I(unname(coef(fit))), standard_errors = I(unname(s[, 2])), z = I(unname(s[, 3])),
       pvalues = I(unname(s[, 4])), covariance = lapply(seq_len(ncol(vcov(fit))), function(i) I(unname(vcov(fit)[i, ]))),
       low95 = I(unname(ci95[, 1])), high95 = I(unname(ci95[, 2])),
       low90 = I(unname(ci90[, 1])), high90 = I(unname(ci90[, 2])),
       deviance = deviance(fit), null_deviance = fit$null.deviance, aic = AIC(fit),
       log_likelihood = as.numeric(logLik(fit)), df_residual = fit$df.residual, iterations_r = fit0$iter,
       predict_rows = I(predict_rows - 1), predicted = I(unname(predict(fit, newdata = nd, type = "response"))))
}

sim_na <- sim
na_engagement <- c(3, 50, 777); na_salary <- c(10, 50); na_left <- c(100)
sim_na$engagement[na_engagement] <- NA
sim_na$salary_k[na_salary] <- NA
sim_na$left[na_left] <- NA

mt <- data.frame(am = mtcars$am, hp = mtcars$hp, wt = mtcars$wt)

logistic_cases <- list(
  fit_case("simulated_attrition", sim, "left", sim_cols),
  fit_case("simulated_attrition_missing", sim_na, "left", sim_cols, predict_rows = c(1, 3, 10)),
  fit_case("mtcars_am_hp_wt", mt, "am", c("hp", "wt")),
  fit_case("mtcars_am_hp_wt_no_intercept", mt, "am", c("hp", "wt"), intercept = FALSE),
  fit_case("ibm_attrition_unscaled", ibm, "left", ibm_cols),
  fit_case("simulated_intercept_only", sim, "left", character(0)))
# The two-column mtcars fit is the textbook one (coefficients 18.86630, 0.03626, -8.08348).
stopifnot(max(abs(logistic_cases[[3]]$params - c(18.86630, 0.03626, -8.08348))) < 1e-5)
# R's default epsilon (1e-8) stops one step earlier on the simulated data; its covariance uses the weights of the
# step before the last, so its standard errors are then off by ~2e-5 (relative): the reason engage iterates further.
default_fit <- glm(left ~ ., family = binomial, data = sim)
default_gap <- c(max(abs(coef(default_fit) - logistic_cases[[1]]$params) / abs(logistic_cases[[1]]$params)),
                 max(abs(sqrt(diag(vcov(default_fit))) - logistic_cases[[1]]$standard_errors) /
                       logistic_cases[[1]]$standard_errors))

# Penalised (ridge) fit: maximise loglik(beta) - 0.5 * lambda * sum(beta[-1]^2).
ridge_case <- function(name, d, ycol, cols, lambda) {
  X <- cbind(1, as.matrix(d[, cols])); y <- d[[ycol]]
  P <- diag(c(0, rep(lambda, length(cols))))
  obj <- function(b) { e <- X %*% b; -(sum(y * e - log1p(exp(e))) - 0.5 * sum(P %*% (b * b))) }
  grad <- function(b) { mu <- plogis(X %*% b); -(t(X) %*% (y - mu) - P %*% b)[, 1] }
  b <- optim(unname(coef(glm(y ~ X - 1, family = binomial))), obj, grad, method = "BFGS",
             control = list(reltol = 1e-16, maxit = 10000))$par
  for (k in 1:10) {  # Newton polish: the objective is smooth and strictly concave
    mu <- plogis(X %*% b)[, 1]
    H <- t(X) %*% (X * (mu * (1 - mu))) + P
    b <- b + solve(H, -grad(b))
  }
  mu <- plogis(X %*% b)[, 1]
  H0 <- t(X) %*% (X * (mu * (1 - mu)))
  V <- solve(H0 + P)
  dev <- -2 * sum(y * log(mu) + (1 - y) * log(1 - mu))
  edf <- sum(diag(V %*% H0))
  list(name = name, columns = I(cols), penalizer = lambda, params = I(unname(b)),
       standard_errors = I(sqrt(diag(V))), deviance = dev, effective_df = edf, aic = dev + 2 * edf,
       gradient_max = max(abs(grad(b))))
}
ridge_cases <- list(
  ridge_case("simulated_attrition_ridge_2", sim, "left", sim_cols, 2),
  ridge_case("mtcars_ridge_0.5", mt, "am", c("hp", "wt"), 0.5))
stopifnot(all(sapply(ridge_cases, function(r) r$gradient_max) < 1e-8))

# Separation: R "converges" with huge coefficients and warnings (engage raises or flags instead).
separation_case <- function(name, x, y, kind) {
  w <- character(0)
  fit <- withCallingHandlers(glm(y ~ x, family = binomial),
                             warning = function(cond) { w <<- c(w, conditionMessage(cond)); invokeRestart("muffleWarning") })
  x <- as.matrix(x)
  list(name = name, kind = kind, x = lapply(seq_len(nrow(x)), function(i) I(unname(x[i, ]))), y = I(y),
       r_params = I(unname(coef(fit))), r_converged = fit$converged, r_warnings = I(w))
}
quasi_x <- cbind(dept = c(rep(1, 8), rep(0, 32)), score = c(seq(1, 8), seq(1, 32) / 4))
quasi_y <- c(rep(0, 8), as.numeric((1:32) %% 3 == 0 | (1:32) > 20))
separation_cases <- list(
  separation_case("complete_1d", 1:10, as.numeric(1:10 > 5.5), "complete"),
  separation_case("quasi_complete_1d", c(1, 2, 3, 4, 5, 5, 6, 7, 8, 9), c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1),
                  "quasi-complete"),
  separation_case("quasi_complete_dummy", quasi_x, quasi_y, "quasi-complete"))

# ---------------------------------------------------------------------------------------------------------------
# AUC (pROC) and a direct DeLong computation
# ---------------------------------------------------------------------------------------------------------------
delong_direct <- function(y, s) {
  cases <- s[y == 1]; controls <- s[y == 0]
  psi <- outer(cases, controls, function(a, b) (a > b) + 0.5 * (a == b))
  v10 <- rowMeans(psi); v01 <- colMeans(psi)
  list(auc = mean(psi), var = var(v10) / length(cases) + var(v01) / length(controls), v10 = v10, v01 = v01)
}
auc_case <- function(name, y, s) {
  r <- roc(y, s, levels = c(0, 1), direction = "<", quiet = TRUE)
  dd <- delong_direct(y, s)
  v <- var(r, method = "delong")
  stopifnot(abs(as.numeric(auc(r)) - dd$auc) < 1e-14, abs(v - dd$var) < 1e-14 * max(1, v))
  c95 <- as.numeric(ci.auc(r, conf.level = 0.95, method = "delong"))
  c90 <- as.numeric(ci.auc(r, conf.level = 0.90, method = "delong"))
  list(name = name, y = I(y), score = I(s), n_positive = sum(y == 1), n_negative = sum(y == 0),
       statistic = as.numeric(auc(r)), standard_error = sqrt(v), low95 = c95[1], high95 = c95[3],
       low90 = c90[1], high90 = c90[3])
}
sim_fit <- glm(left ~ ., family = binomial, data = sim, control = ctrl)
p_sim <- unname(fitted(sim_fit))
auc_cases <- list(
  auc_case("simulated_fitted", sim$left, p_sim),
  auc_case("simulated_engagement_ties", sim$left, -sim$engagement),
  auc_case("simulated_overtime_heavy_ties", sim$left, sim$overtime),
  auc_case("small_with_ties", c(0, 0, 1, 0, 1, 1, 0, 1), c(0.1, 0.4, 0.35, 0.8, 0.8, 0.9, 0.2, 0.4)))
rt <- roc.test(roc(sim$left, p_sim, levels = c(0, 1), direction = "<", quiet = TRUE),
               roc(sim$left, -sim$engagement, levels = c(0, 1), direction = "<", quiet = TRUE),
               method = "delong", paired = TRUE)
# Direct paired DeLong (covariance of the placement values) for the same comparison.
da <- delong_direct(sim$left, p_sim); db <- delong_direct(sim$left, -sim$engagement)
n1 <- sum(sim$left == 1); n0 <- sum(sim$left == 0)
cov_ab <- cov(da$v10, db$v10) / n1 + cov(da$v01, db$v01) / n0
se_diff <- sqrt(da$var + db$var - 2 * cov_ab)
stopifnot(abs((da$auc - db$auc) / se_diff - unname(rt$statistic)) < 1e-10)
auc_compare <- list(name = "simulated_fitted_vs_engagement", statistic_a = da$auc, statistic_b = db$auc,
                    difference = da$auc - db$auc, standard_error = se_diff, z = unname(rt$statistic),
                    pvalue = rt$p.value, correlation = cov_ab / sqrt(da$var * db$var))

# ---------------------------------------------------------------------------------------------------------------
# Concordance (Harrell's C) on survival::lung
# ---------------------------------------------------------------------------------------------------------------
lung_df <- data.frame(time = lung$time, event = as.integer(lung$status == 2), age = lung$age, sex = lung$sex,
                      ph_ecog = lung$ph.ecog)
cox <- coxph(Surv(time, event) ~ age + sex, data = lung_df)
lung_df$lp <- unname(predict(cox, type = "lp"))
conc_case <- function(name, score_col, time = lung_df$time, event = lung_df$event, score = lung_df[[score_col]]) {
  cc <- concordance(Surv(time, event) ~ score, reverse = TRUE)
  k <- cc$count
  list(name = name, score = score_col, n = cc$n, concordant = unname(k["concordant"]),
       discordant = unname(k["discordant"]), tied_risk = unname(k["tied.x"]), tied_time = unname(k["tied.y"]),
       tied_both = unname(k["tied.xy"]), statistic = unname(cc$concordance), standard_error = sqrt(unname(cc$var)))
}
small_conc <- list(time = c(1, 2, 2, 2, 3, 3, 4, 5), event = c(1, 1, 1, 0, 1, 0, 0, 1), score = c(5, 4, 4, 3, 3, 3, 1, 2))
concordance_cases <- list(
  conc_case("lung_coxph_age_sex", "lp"),
  conc_case("lung_age", "age"),
  conc_case("lung_ph_ecog_missing", "ph_ecog"),
  c(conc_case("small_ties", "score", small_conc$time, small_conc$event, small_conc$score),
    list(time = I(small_conc$time), event = I(small_conc$event), values = I(small_conc$score))))
lc <- concordance_cases[[1]]
cfit <- concordance(cox)
stopifnot(identical(c(lc$concordant, lc$discordant, lc$tied_risk, lc$tied_time), c(11910, 7793, 311, 28)),
          abs(lc$statistic - unname(cfit$concordance)) < 1e-15, abs(lc$statistic - 0.6029) < 5e-5,
          abs(lc$standard_error - 0.0255) < 5e-5)

# ---------------------------------------------------------------------------------------------------------------
# Brier score and calibration table (risk deciles) on the simulated fit
# ---------------------------------------------------------------------------------------------------------------
calibration <- function(y, p, bins, level) {
  br <- unique(quantile(p, probs = seq(0, 1, 1 / bins), type = 7, names = FALSE))
  f <- cut(p, br, include.lowest = TRUE, right = TRUE)
  rows <- lapply(seq_len(nlevels(f)), function(j) {
    k <- which(as.integer(f) == j)
    if (length(k) == 0) return(NULL)
    ev <- sum(y[k])
    ci <- prop.test(ev, length(k), conf.level = level, correct = FALSE)$conf.int
    list(low = br[j], high = br[j + 1], n = length(k), events = ev, mean_predicted = mean(p[k]),
         observed_rate = ev / length(k), observed_low = ci[1], observed_high = ci[2])
  })
  rows <- Filter(Negate(is.null), rows)
  cols <- names(rows[[1]])
  setNames(lapply(cols, function(cn) I(sapply(rows, function(r) r[[cn]]))), cols)
}
brier <- list(statistic = mean((p_sim - sim$left)^2), reference = mean(sim$left) * (1 - mean(sim$left)))
brier$skill <- 1 - brier$statistic / brier$reference
calibration_cases <- list(
  c(list(name = "simulated_deciles", bins = 10, confidence_level = 0.95), calibration(sim$left, p_sim, 10, 0.95)),
  c(list(name = "simulated_quintiles_90", bins = 5, confidence_level = 0.90), calibration(sim$left, p_sim, 5, 0.90)),
  c(list(name = "overtime_ties", bins = 10, confidence_level = 0.95,
         p = I(0.2 + 0.3 * sim$overtime[1:40]), y = I(sim$left[1:40])),
    calibration(sim$left[1:40], 0.2 + 0.3 * sim$overtime[1:40], 10, 0.95)))

# ---------------------------------------------------------------------------------------------------------------
provenance <- reference_provenance(script_name, c("survival", "pROC", "modeldata"),
  method = paste(
    "glm(family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100)), refitted from its estimate (start =),",
    "with summary.glm and",
    "confint.default (Wald); ridge fits by optim(BFGS) + Newton polish on loglik - 0.5 * penalizer * ||beta[-1]||^2;",
    "pROC roc(levels = c(0, 1), direction = '<'), var/ci.auc(method = 'delong'), roc.test(method = 'delong',",
    "paired = TRUE), DeLong variance recomputed directly from placement values;",
    "survival::concordance(Surv(time, event) ~ score, reverse = TRUE); Brier mean((p - y)^2); calibration bins",
    "cut(p, unique(quantile(p, 0:bins / bins)), include.lowest = TRUE) with prop.test(correct = FALSE) Wilson",
    "intervals. Row indices are 0-based. NA is JSON null."),
  r_default_epsilon_gap = paste0("glm with the default epsilon 1e-8 on simulated_attrition stops after ",
                                 default_fit$iter, " iterations; its coefficients differ from the MLE by up to ",
                                 signif(default_gap[1], 2), " and its standard errors by up to ",
                                 signif(default_gap[2], 2), " (relative)"),
  data = paste(
    "simulated_attrition: tests/data/logistic_attrition_sim.csv (set.seed(20240611), written by this script);",
    "ibm_attrition_unscaled: tests/data/logistic_ibm_attrition.csv from modeldata::attrition (IBM HR Analytics",
    "sample data); mtcars (am ~ hp + wt) and survival::lung are written into this JSON."))

data_out <- list(
  mtcars = lapply(mt, I),
  lung = lapply(lung_df, I),
  simulated_missing = list(engagement = I(na_engagement - 1), salary_k = I(na_salary - 1), left = I(na_left - 1)))
result <- list(provenance = provenance, data = data_out, logistic = logistic_cases, ridge = ridge_cases,
               separation = separation_cases, auc = auc_cases, auc_compare = auc_compare,
               concordance = concordance_cases, brier = brier, calibration = calibration_cases)
# Logical vectors (and I()-wrapped logicals) are written as 0/1; I()-wrapped character vectors stay arrays.
back <- write_reference_json(result, out_file, logical = "numbers", asis_character = TRUE)
stopifnot(identical(back$logistic[[1]]$params[[2]], logistic_cases[[1]]$params[[2]]),
          identical(back$auc[[1]]$standard_error, auc_cases[[1]]$standard_error),
          identical(back$concordance[[1]]$standard_error, concordance_cases[[1]]$standard_error))
cat("wrote", out_file, "\n")
