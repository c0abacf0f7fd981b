import java.util.List;

/** A Javadoc comment. */
public class Cart {
    private int count;

    // a line comment
    public int total(int[] prices, String... names) {
        int sum = 0, unused;
        sum = count;
        sum += prices.length;
        for (int i = 0; i < prices.length; i++) {
            sum += prices[i];
        }
        for (int p : prices) {
            sum = sum + p;
        }
        if (sum > 10) {
            sum = 10;
        } else {
            sum--;
        }
        while (sum > 100) sum -= 1;
        do { sum++; } while (sum < 0);
        try {
            List.of(names);
        } catch (RuntimeException e) {
            sum = 0;
        }
        java.util.function.Function<Integer, Integer> twice = x -> x * 2;
        java.util.function.BiFunction<Integer, Integer, Integer> add = (a, b) -> a + b;
        return this.count + twice.apply(sum) + add.apply(1, 2);
    }
}

interface Shape {}
enum Color { RED }
record Point(int x) {}
