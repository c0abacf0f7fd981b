// a line comment
/* A block comment. */
class Cart(val discount: Int) {
    fun total(prices: List<Int>, k: Int = 2): Int {
        var sum = 0
        val limit = k
        sum = limit
        sum += discount
        for (p in prices) { sum = sum + p }
        if (sum > 10) { sum = 10 } else { sum-- }
        when (sum) {
            1 -> sum = 2
            else -> sum = 3
        }
        while (sum > 100) sum -= 1
        do { ++sum } while (sum < 0)
        val twice = { x: Int -> x * 2 }
        val f = fun(y: Int): Int { return y }
        return twice(sum) + prices.size + f(1)
    }
}

object Registry {}
