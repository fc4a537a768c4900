# Cross-check of the standard errors in tests/data/engagement_reference.json (written by
# engagement_reference.py) against R's survey package. Writes nothing; stops on the first disagreement.
#
# Run from the repository root:   Rscript tests/data/engagement_reference.R
#
# The item matrices are rescored here from the JSON (reverse keying, don't-know code, Viva Glint bands) in base R,
# independently of the Python script. Persons contributing under each result's min_answered rule form a one-stage
# design svydesign(ids = ~1, weights = ~1) (persons are the clusters of their answers); then
#   favourable_pooled, top3, mean_100   svyratio(~y, ~a)                     (y = person total, a = answered)
#   favourable_items, grand_mean        svyratio(~y1+..+yK, ~a1+..+aK, covmat = TRUE), the K "yj/aj" ratios
#                                       averaged with svycontrast (items with no answer left out)
#   person_mean                         svymean(~person_mean)
#   favourable_persons, favourable_all  svymean(~indicator)
# survey's linearised variance carries the with-replacement factor n/(n-1). engage keeps it for mean indices and
# drops it for proportion indices (so that one complete item gives Wilson's p(1-p)/n), so proportion variances
# are compared after multiplying survey's by (n-1)/n. Mean indices with a population size are compared with
# svydesign(fpc = ~N) (variance times 1 - n/N); proportion indices use (N-n)/(N-1), checked by hand.

suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})

ref <- fromJSON("tests/data/engagement_reference.json", simplifyVector = FALSE)
glint <- list(`2` = c(1, 2), `3` = c(1, 3), `4` = c(1, 4), `5` = c(2, 4), `6` = c(3, 4), `7` = c(3, 6),
              `8` = c(3, 6), `9` = c(3, 7), `10` = c(3, 8), `11` = c(7, 10))
tol <- 1e-10
checked <- 0
worst <- 0

num <- function(v) if (is.null(v)) NA_real_ else as.numeric(v)

for (case in ref$cases) {
  x <- do.call(rbind, lapply(case$items, function(row) vapply(row, num, 0)))
  if (is.null(dim(x))) x <- matrix(x, ncol = 1)
  low <- case$scale[[1]]; high <- case$scale[[2]]
  if (!is.null(case$dont_know)) x[!is.na(x) & x == case$dont_know] <- NA
  for (j in unlist(case$reverse)) x[, j + 1] <- low + high - x[, j + 1]
  b <- if (is.null(case$bands)) low + glint[[as.character(high - low + 1)]] - 1 else unlist(case$bands)
  fav_min <- b[2]
  ok <- !is.na(x)
  for (res in case$results) {
    m <- res$min_answered
    keep <- rowSums(ok) >= m
    xs <- x[keep, , drop = FALSE]; oks <- ok[keep, , drop = FALSE]
    n <- sum(keep)
    if (n < 2) next  # survey needs two clusters
    a <- rowSums(oks)
    d <- data.frame(w = rep(1, n), a = a)
    proportion <- res$method %in% c("favourable_items", "favourable_pooled", "favourable_persons",
                                    "favourable_all", "top3")
    N <- if (is.null(res$population_size)) NA else res$population_size
    use_fpc <- !proportion && !is.na(N)
    if (use_fpc) d$N <- N
    make <- function(d) if (use_fpc) svydesign(ids = ~1, weights = ~w, fpc = ~N, data = d) else
      svydesign(ids = ~1, weights = ~w, data = d)
    unit <- 1
    if (res$method %in% c("favourable_pooled", "top3", "mean_100")) {
      y <- switch(res$method,
                  favourable_pooled = rowSums(oks & xs >= fav_min, na.rm = TRUE),
                  top3 = rowSums(oks & xs >= high - 2, na.rm = TRUE),
                  mean_100 = rowSums(xs - low, na.rm = TRUE))
      d$y <- y
      v <- as.numeric(vcov(svyratio(~y, ~a, make(d))))
      if (res$method == "mean_100") unit <- 100 / (high - low)
    } else if (res$method %in% c("favourable_items", "grand_mean")) {
      used <- which(colSums(oks) > 0)
      for (j in used) {
        yj <- if (res$method == "favourable_items") as.numeric(oks[, j] & xs[, j] >= fav_min) else
          ifelse(oks[, j], xs[, j], 0)
        d[[paste0("y", j)]] <- yj
        d[[paste0("a", j)]] <- as.numeric(oks[, j])
      }
      f_num <- as.formula(paste("~", paste0("y", used, collapse = "+")))
      f_den <- as.formula(paste("~", paste0("a", used, collapse = "+")))
      r <- svyratio(f_num, f_den, make(d), covmat = TRUE)
      names_diag <- paste0("y", used, "/a", used)
      V <- vcov(r)[names_diag, names_diag, drop = FALSE]
      K <- length(used)
      v <- sum(V) / K^2
    } else {
      pm <- rowSums(xs, na.rm = TRUE) / a
      d$u <- switch(res$method,
                    person_mean = pm,
                    favourable_persons = as.numeric(pm >= fav_min - 0.5),
                    favourable_all = as.numeric(rowSums(oks & xs >= fav_min, na.rm = TRUE) == a))
      v <- as.numeric(vcov(svymean(~u, make(d))))
    }
    if (proportion) {
      v <- v * (n - 1) / n * 100^2
      if (!is.na(N)) v <- v * (N - n) / (N - 1)
    }
    se <- unit * sqrt(v)
    if (!is.null(res$rescale)) se <- se * abs(res$rescale[[2]] - res$rescale[[1]]) / (high - low)
    err <- abs(se - res$standard_error) / max(1, abs(res$standard_error))
    worst <- max(worst, err)
    if (err > tol) stop(sprintf("%s %s: survey SE %.17g, JSON %.17g", case$name, res$method, se, res$standard_error))
    checked <- checked + 1
  }
}
cat(sprintf("R %s, survey %s: %d standard errors agree with survey to <= %g (largest relative difference %.3g)\n",
            getRversion(), packageVersion("survey"), checked, tol, worst))
