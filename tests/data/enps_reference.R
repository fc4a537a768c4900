# Independent reference values for eNPS (Net Promoter Score for employees).
#
# Run from the repository root:   Rscript tests/data/enps_reference.R
# Writes tests/data/enps_reference.json (read by tests/cpp/test_enps.cpp and tests/python/test_enps.py).
#
# The NPS formulas are implemented here directly from the definitions in METHODS.md section 1 (the R package
# "NPS" is not used and was not consulted); weighted estimates come from the `survey` package. All values are on
# the -1..1 proportion scale (the library reports x100) and are written at full double precision.
#
# Checks against the METHODS.md [REF] golden values are made with stopifnot() at the end of this script, so the
# JSON is only written if they all hold:
#   (20,30,50): NPS 0.30, V 0.61, SE 0.078102497; Wald 95% [0.14692192, 0.45307808], p 1.2248101e-4;
#               adjusted Wald 95% [0.1405113, 0.44201297], SE 0.076915104;
#               Tango 95% [0.13955141, 0.44339305] -- this script (uniroot, tol 1e-14) gives
#               [0.139551416141957, 0.443393066335859], where Z = +1.959963984540052 / -1.959963984540047
#               (z = 1.959963984540054), so these are the roots to ~1e-15. They match the golden values (from the
#               NPS package's bisection, tol 1e-7) to 6e-9 and 1.7e-8, checked below with tolerance 1e-7.
#               (METHODS.md's "uniroot: 0.13955145, 0.44339296" used uniroot's default tol of ~1.2e-4.)
#   (1,2,9):    Wald [0.3138, 1.0195], AdjW [0.1819, 0.8848], Tango [0.1649, 0.8836] (4 d.p.)
#   (0,0,10):   Wald [1, 1], AdjW [0.4750, 1.0634], Tango [0.4449, 1] (4 d.p.)
#   (362,176,462): NPS 0.10, SE 0.028530685
#   x=(20,30,50) vs y=(30,30,40): diff 0.2, SE 0.11401754, Wald CI [-0.02347, 0.42347], p 0.079410626,
#               MOVER(Tango) [-0.025286574, 0.41786365]
#   Unit tests of the NPS package: V(1,2,3) = 5/9, SE(1,2,3) = 0.304 (3 d.p.), V(1,0,1) = 1, V(0,1,1) = 0.25.
# (The weighted golden value in METHODS.md uses NPS::testdata, which is not available here, so it is not checked;
# the formula behind it, Var_lin = n/(n-1) sum w^2 (s - NPS_w)^2 / (sum w)^2, is checked against svymean below.)

suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})

script_name <- "tests/data/enps_reference.R"
out_file <- "tests/data/enps_reference.json"
source(file.path(dirname(script_name), "reference_helpers.R"))  # num_str, full_precision, provenance, writer
levels_ci <- c(0.95, 0.90)

# ---------------------------------------------------------------------------------------------------------------
# Core formulas on counts (D, P, R)
# ---------------------------------------------------------------------------------------------------------------
nps_var <- function(d, p, r) {
  n <- d + p + r
  pr <- r / n; pd <- d / n
  (pr + pd) - (pr - pd)^2
}

wald <- function(d, p, r, level) {
  n <- d + p + r
  est <- (r - d) / n
  se <- sqrt(nps_var(d, p, r) / n)
  z <- qnorm(1 - (1 - level) / 2)
  c(est - z * se, est + z * se)
}

adjusted_wald <- function(d, p, r, level, pseudo = c(0.75, 1.50, 0.75)) {
  da <- d + pseudo[1]; pa <- p + pseudo[2]; ra <- r + pseudo[3]
  na <- da + pa + ra                       # = n + 3
  centre <- (ra - da) / na                 # = (R - D)/(n + 3)
  se <- sqrt(nps_var(da, pa, ra) / na)
  z <- qnorm(1 - (1 - level) / 2)
  list(ci = c(centre - z * se, centre + z * se), se = se, centre = centre)
}

# Tango (1998) score statistic for the paired-difference structure (METHODS.md section 1, item 3).
tango_parts <- function(delta, d, r, n) {
  A <- 2 * n
  B <- -d - r + (2 * n - r + d) * delta
  C <- -d * delta * (1 - delta)
  qt <- (sqrt(pmax(B^2 - 4 * A * C, 0)) - B) / (2 * A)
  list(num = r - d - n * delta, den = sqrt(pmax(n * (2 * qt + delta * (1 - delta)), 0)))
}
tango_z <- function(delta, d, r, n) {
  t <- tango_parts(delta, d, r, n)
  t$num / t$den
}

# Each end is the root of |Z(delta)| = z on its side of the estimate. To avoid Z = +-Inf at delta = +-1 (zero
# denominator), the roots are found on the equivalent finite function num -/+ z * den:
#   lower end (delta < nps, num > 0):  Z = +z  <=>  num - z*den = 0
#   upper end (delta > nps, num < 0):  Z = -z  <=>  num + z*den = 0
# Edge cases handled explicitly:
#   R = n  -> upper = 1;  D = n -> lower = -1 (as in METHODS.md); with R = n the estimate 1 is itself a zero of
#     the bracketing function (den = 0 there), handled below;
#   D = R = 0 (all passives, nps = 0): den(0) = 0 so the bracketing function is 0 at the estimate. Here q~ has the
#     closed form q~ = max(0, -delta), Z(delta) = -sign(delta) sqrt(n|delta|/(1-|delta|)), giving the ends
#     -+ z^2/(n + z^2); this is used, and cross-checked with uniroot on a bracket started just off 0.
#   If |Z| never reaches z on a side (the score set reaches the boundary), that end is -1 / +1.
tango <- function(d, p, r, level, tol = 1e-14) {
  n <- d + p + r
  est <- (r - d) / n
  z <- qnorm(1 - (1 - level) / 2)
  f_lo <- function(x) { t <- tango_parts(x, d, r, n); t$num - z * t$den }
  f_hi <- function(x) { t <- tango_parts(x, d, r, n); t$num + z * t$den }

  if (d == 0 && r == 0) {
    h <- z^2 / (n + z^2)
    chk_hi <- uniroot(f_hi, c(1e-12, 1), tol = tol)$root
    chk_lo <- uniroot(f_lo, c(-1, -1e-12), tol = tol)$root
    stopifnot(abs(chk_hi - h) < 1e-12, abs(chk_lo + h) < 1e-12)
    return(c(-h, h))
  }

  if (d == n) {
    lower <- -1
  } else if (f_lo(-1) <= 0) {
    lower <- -1                            # |Z| <= z all the way down to -1
  } else {
    # All promoters (R = n, nps = 1): den(1) = 0, so f_lo(1) = 0 exactly; start the bracket just below 1
    # (f_lo < 0 there) and check against the closed form (n - z^2)/(n + z^2) that follows from
    # q~ = (1 - delta)/2, Z = sqrt(n (1 - delta)/(1 + delta)).
    b <- if (f_lo(est) < 0) est else est - 1e-12
    stopifnot(f_lo(b) < 0)
    lower <- uniroot(f_lo, c(-1, b), tol = tol)$root
    if (r == n) stopifnot(abs(lower - (n - z^2) / (n + z^2)) < 1e-12)
  }
  if (r == n) {
    upper <- 1
  } else if (f_hi(1) >= 0) {
    upper <- 1
  } else {
    b <- if (f_hi(est) > 0) est else est + 1e-12
    stopifnot(f_hi(b) > 0)
    upper <- uniroot(f_hi, c(b, 1), tol = tol)$root
  }
  # the roots satisfy |Z| = z
  if (lower > -1) stopifnot(abs(tango_z(lower, d, r, n) - z) < 1e-9)
  if (upper < 1) stopifnot(abs(tango_z(upper, d, r, n) + z) < 1e-9)
  c(lower, upper)
}

counts_case <- function(d, p, r) {
  n <- d + p + r
  V <- nps_var(d, p, r)
  intervals <- lapply(levels_ci, function(lv) {
    w <- wald(d, p, r, lv); aw <- adjusted_wald(d, p, r, lv)$ci; tg <- tango(d, p, r, lv)
    list(level = lv,
         wald_low = w[1], wald_high = w[2],
         adjusted_wald_low = aw[1], adjusted_wald_high = aw[2],
         tango_low = tg[1], tango_high = tg[2])
  })
  list(d = d, p = p, r = r, n = n, nps = (r - d) / n, variance = V, se = sqrt(V / n), intervals = intervals)
}

# ---------------------------------------------------------------------------------------------------------------
# counts_cases
# ---------------------------------------------------------------------------------------------------------------
triples <- list(c(20, 30, 50), c(1, 2, 9), c(0, 0, 10), c(10, 0, 0), c(3, 3, 2), c(25, 35, 40),
                c(362, 176, 462), c(5, 0, 5), c(0, 7, 0), c(1, 0, 0))
counts_cases <- lapply(triples, function(t) counts_case(t[1], t[2], t[3]))

# ---------------------------------------------------------------------------------------------------------------
# finite_population: se_fpc = sqrt(V/n * (N - n)/(N - 1))
# ---------------------------------------------------------------------------------------------------------------
fp_case <- function(d, p, r, N) {
  n <- d + p + r
  V <- nps_var(d, p, r)
  list(d = d, p = p, r = r, n = n, N = N, nps = (r - d) / n, variance = V, se = sqrt(V / n),
       fpc = (N - n) / (N - 1), se_fpc = sqrt(V / n * (N - n) / (N - 1)))
}
finite_population <- list(fp_case(125, 250, 125, 1000), fp_case(20, 30, 50, 150))

# ---------------------------------------------------------------------------------------------------------------
# two_sample (independent groups): signed difference x - y, Wald and MOVER(Tango) 95% CIs
# ---------------------------------------------------------------------------------------------------------------
two_sample_case <- function(x, y, level = 0.95) {
  nx <- sum(x); ny <- sum(y)
  Nx <- (x[3] - x[1]) / nx; Ny <- (y[3] - y[1]) / ny
  delta <- Nx - Ny
  se <- sqrt(nps_var(x[1], x[2], x[3]) / nx + nps_var(y[1], y[2], y[3]) / ny)
  zq <- qnorm(1 - (1 - level) / 2)
  zs <- delta / se
  tx <- tango(x[1], x[2], x[3], level); ty <- tango(y[1], y[2], y[3], level)
  list(x = x, y = y, level = level, nps_x = Nx, nps_y = Ny, difference = delta, se = se, z = zs,
       p = 2 * pnorm(-abs(zs)),
       wald_low = delta - zq * se, wald_high = delta + zq * se,
       tango_x_low = tx[1], tango_x_high = tx[2], tango_y_low = ty[1], tango_y_high = ty[2],
       mover_low = delta - sqrt((Nx - tx[1])^2 + (ty[2] - Ny)^2),
       mover_high = delta + sqrt((tx[2] - Nx)^2 + (Ny - ty[1])^2))
}
two_sample <- list(two_sample_case(c(20, 30, 50), c(30, 30, 40)),
                   two_sample_case(c(3, 3, 2), c(10, 5, 20)),
                   two_sample_case(c(0, 0, 10), c(1, 2, 9)))

# ---------------------------------------------------------------------------------------------------------------
# weighted: survey::svymean on s in {-1, 0, 1}
# ---------------------------------------------------------------------------------------------------------------
to_s <- function(x) ifelse(x <= 6, -1, ifelse(x <= 8, 0, 1))
profile <- c(0.03, 0.02, 0.03, 0.04, 0.05, 0.08, 0.10, 0.17, 0.20, 0.15, 0.13)   # P(score = 0..10)

weighted_case <- function(name, scores, w, N = NULL) {
  keep <- !is.na(scores)                   # is.na() is TRUE for NaN as well
  dat <- data.frame(s = to_s(scores[keep]), w = w[keep])
  n <- nrow(dat)
  des <- svydesign(ids = ~1, weights = ~w, data = dat)
  m <- svymean(~s, des)
  est <- as.numeric(coef(m)); se <- as.numeric(SE(m))
  # METHODS.md linearisation formula reproduces svymean exactly
  lin <- sqrt(n / (n - 1) * sum(dat$w^2 * (dat$s - est)^2) / sum(dat$w)^2)
  stopifnot(abs(lin - se) < 1e-14)
  stopifnot(abs(est - sum(dat$w * dat$s) / sum(dat$w)) < 1e-15)
  out <- list(name = name, scores = scores, weights = w, n = n, missing = sum(!keep),
              nps = est, se = se, effective_n = sum(dat$w)^2 / sum(dat$w^2),
              promoters_w = sum(dat$w[dat$s == 1]) / sum(dat$w),
              detractors_w = sum(dat$w[dat$s == -1]) / sum(dat$w),
              population_size = NULL, se_fpc = NULL)
  if (!is.null(N)) {
    dat$N <- N
    desf <- svydesign(ids = ~1, weights = ~w, fpc = ~N, data = dat)
    se_fpc <- as.numeric(SE(svymean(~s, desf)))
    # Verified: survey's fpc multiplies the linearised variance by (1 - n/N) (not (N - n)/(N - 1)).
    stopifnot(abs(se_fpc^2 - se^2 * (1 - n / N)) < 1e-15)
    out$population_size <- N
    out$se_fpc <- se_fpc
    out$fpc_factor <- 1 - n / N
  }
  out
}

set.seed(1)
sa <- sample(0:10, 200, replace = TRUE, prob = profile)
wa <- 1 + (seq_len(200) %% 3)
set.seed(2)
wb <- runif(57, 0.2, 3)
sb <- as.numeric(sample(0:10, 57, replace = TRUE, prob = profile))
sb[sort(sample(57, 5))] <- NaN
weighted <- list(weighted_case("a: n=200, w = 1 + (i mod 3), N = 400", sa, wa, N = 400),
                 weighted_case("b: n=57, w ~ U(0.2, 3), 5 missing", sb, wb))

# ---------------------------------------------------------------------------------------------------------------
# paired waves: d_i = s_a - s_b on complete pairs, SE = sd(d)/sqrt(n)
# ---------------------------------------------------------------------------------------------------------------
set.seed(3)
pa <- as.numeric(sample(0:10, 40, replace = TRUE, prob = profile))
shift <- sample(-2:2, 40, replace = TRUE, prob = c(0.1, 0.2, 0.4, 0.2, 0.1))
pb <- pmin(10, pmax(0, pa + shift))
na_pos <- sample(40, 3)
pa[na_pos[1:2]] <- NaN                     # two missing in wave a, one in wave b
pb[na_pos[3]] <- NaN
ok <- !is.na(pa) & !is.na(pb)
s_a <- to_s(pa[ok]); s_b <- to_s(pb[ok])
cats <- c(-1, 0, 1)
trans <- table(factor(s_a, levels = cats), factor(s_b, levels = cats))
dd <- s_a - s_b
np <- length(dd)
pse <- sd(dd) / sqrt(np)
pz <- mean(dd) / pse
# Cross-check: t.test(s_a, s_b, paired = TRUE)$statistic is the same number as z (same mean(d)/(sd(d)/sqrt(n))).
stopifnot(abs(unname(t.test(s_a, s_b, paired = TRUE)$statistic) - pz) < 1e-12)
stopifnot(abs(mean(dd) - (mean(s_a) - mean(s_b))) < 1e-15)
paired <- list(a = pa, b = pb, n = np, missing = sum(!ok),
               transitions = unname(lapply(1:3, function(i) as.integer(trans[i, ]))),
               transition_labels = c("detractor", "passive", "promoter"),
               nps_a = mean(s_a), nps_b = mean(s_b), difference = mean(dd), se = pse, z = pz,
               p = 2 * pnorm(-abs(pz)))

# ---------------------------------------------------------------------------------------------------------------
# cutpoints: CultureIQ (detractor 0-5, passive 6-8, promoter 9-10)
# ---------------------------------------------------------------------------------------------------------------
cs <- c(0:10, 5, 5, 6)
cq <- cut(cs, breaks = c(-Inf, 5, 8, 10), labels = c("d", "p", "r"))
cutpoints <- list(breaks = c(0, 5, 8, 10), scores = cs,
                  d = sum(cq == "d"), p = sum(cq == "p"), r = sum(cq == "r"),
                  n = length(cs), nps = (sum(cq == "r") - sum(cq == "d")) / length(cs))

# ---------------------------------------------------------------------------------------------------------------
# Golden-value checks (METHODS.md section 1 [REF])
# ---------------------------------------------------------------------------------------------------------------
near <- function(a, b, tol) all(abs(a - b) <= tol)
g <- counts_cases[[1]]; g95 <- g$intervals[[1]]
stopifnot(near(c(g$nps, g$variance, g$se), c(0.30, 0.61, 0.078102497), 5e-10),
          near(c(g95$wald_low, g95$wald_high), c(0.14692192, 0.45307808), 5e-9),
          near(2 * pnorm(-g$nps / g$se), 1.2248101e-4, 5e-12),
          near(c(g95$adjusted_wald_low, g95$adjusted_wald_high), c(0.1405113, 0.44201297), 5e-9),
          near(adjusted_wald(20, 30, 50, 0.95)$se, 0.076915104, 5e-10),
          # golden Tango values come from the NPS package's bisection (tol 1e-7): agree to < 2e-8
          near(c(g95$tango_low, g95$tango_high), c(0.13955141, 0.44339305), 1e-7))
g <- counts_cases[[2]]$intervals[[1]]
stopifnot(near(c(g$wald_low, g$wald_high, g$adjusted_wald_low, g$adjusted_wald_high, g$tango_low, g$tango_high),
               c(0.3138, 1.0195, 0.1819, 0.8848, 0.1649, 0.8836), 5e-5))
g <- counts_cases[[3]]$intervals[[1]]
stopifnot(near(c(g$wald_low, g$wald_high, g$adjusted_wald_low, g$adjusted_wald_high, g$tango_low, g$tango_high),
               c(1, 1, 0.4750, 1.0634, 0.4449, 1), 5e-5))
g <- counts_cases[[7]]
stopifnot(near(c(g$nps, g$se), c(0.10, 0.028530685), 5e-10))
g <- two_sample[[1]]
stopifnot(near(c(g$difference, g$se, g$p), c(0.2, 0.11401754, 0.079410626), 5e-9),
          near(c(g$wald_low, g$wald_high), c(-0.02347, 0.42347), 5e-6),
          # MOVER golden values inherit the bisection Tango ends (tol 1e-7)
          near(c(g$mover_low, g$mover_high), c(-0.025286574, 0.41786365), 1e-7))
stopifnot(near(nps_var(1, 2, 3), 5 / 9, 1e-15), near(sqrt(nps_var(1, 2, 3) / 6), 0.304, 5e-4),
          near(nps_var(1, 0, 1), 1, 1e-15), near(nps_var(0, 1, 1), 0.25, 1e-15))

# ---------------------------------------------------------------------------------------------------------------
provenance <- reference_provenance(script_name, c("survey"),
  method = paste(
    "NPS, variance V = (pR+pD)-(pR-pD)^2, SE = sqrt(V/n), Wald, adjusted Wald (+0.75/1.5/0.75) and the Tango (1998)",
    "score interval (uniroot, tol 1e-14) are implemented directly in base R from the formulas in METHODS.md",
    "section 1 (no NPS package); MOVER two-sample CIs combine the two Tango intervals; weighted NPS and its",
    "linearised SE (with and without fpc) come from survey::svymean on s in {-1,0,1}. Values on the -1..1 scale;",
    "missing scores are JSON null."),
  scale = "proportion (-1..1); multiply by 100 for points",
  categories = "default: detractor 0-6, passive 7-8, promoter 9-10 (cutpoints case: 0-5, 6-8, 9-10)")

result <- list(provenance = provenance, counts_cases = counts_cases, finite_population = finite_population,
               two_sample = two_sample, weighted = weighted, paired = paired, cutpoints = cutpoints)
# round-trip check: the file reads back to exactly the computed doubles
back <- write_reference_json(result, out_file)
stopifnot(identical(back$counts_cases[[1]]$intervals[[1]]$tango_low, counts_cases[[1]]$intervals[[1]]$tango_low),
          identical(back$weighted[[2]]$se, weighted[[2]]$se), identical(back$paired$se, paired$se))
cat("wrote", out_file, "\n")
