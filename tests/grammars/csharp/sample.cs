using System;

/* A block comment. */
interface IShape {}
struct Point { public int X; }

class Cart
{
    // a line comment
    int Total(int[] prices, params string[] names)
    {
        var sum = 0;
        int unused;
        sum = prices.Length;
        sum += 1;
        for (int i = 0; i < prices.Length; i++)
        {
            sum++;
        }
        foreach (var p in prices)
        {
            sum = sum + p;
        }
        if (sum > 10)
        {
            sum = 10;
        }
        else
        {
            --sum;
        }
        while (sum > 100) sum -= 1;
        do { sum++; } while (sum < 0);
        try { Console.WriteLine(names); }
        catch (Exception e) { sum = 0; }
        Func<int, int> twice = x => x * 2;
        int Local(int k) { return k; }
        return twice(sum) + Local(1);
    }
}
