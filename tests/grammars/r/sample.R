# a line comment
total <- function(prices, k = 2) {
  sum <- 0
  y = k
  1 -> z
  for (p in prices) {
    sum <- sum + p
  }
  if (sum > 10) {
    sum <- 10
  } else {
    sum <- 0
  }
  while (sum > 100) sum <- sum - 1
  repeat {
    break
  }
  df <- data.frame(n = 3)
  sum + y + z + df$n
}
