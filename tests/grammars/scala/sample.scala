// a line comment
/* A block comment. */
trait Shape
class Point(x: Int)

object Cart {
  def total(prices: List[Int], k: Int = 2): Int = {
    var sum = 0
    val limit = k
    sum = limit
    sum += k
    for (p <- prices) { sum = sum + p }
    if (sum > 10) { sum = 10 } else { sum = 0 }
    sum match {
      case 1 => sum = 2
      case n => sum = n
    }
    while (sum > 100) sum -= 1
    do { sum += 1 } while (sum < 0)
    val twice = (x: Int) => x * 2
    twice(sum) + prices.size
  }
}
