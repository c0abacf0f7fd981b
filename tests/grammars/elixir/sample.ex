# a line comment
defmodule Cart do
  def total(prices, k \\ 2) do
    sum = Enum.reduce(prices, 0, fn p, acc -> acc + p end)
    {a, b} = {1, 2}
    sum = if sum > 10, do: 10, else: sum
    sum =
      if sum > 5 do
        5
      else
        sum
      end
    for p <- prices, do: p + sum + k + a + b
  end

  defp helper(x), do: x * 2
end
