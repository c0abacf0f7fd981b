// a line comment
interface Shape { area(): number; }
type Id = string;
enum Color { Red }
namespace geo { export const unit = 1; }

/* A block comment. */
function total(prices: number[], discount: number = 0, label?: string): number {
  let sum = 0;
  sum = prices.length;
  sum += discount;
  for (let i = 0; i < prices.length; i++) {
    sum++;
  }
  for (const p of prices) {
    sum = sum + p;
  }
  if (sum > 10) {
    sum = 10;
  } else {
    sum--;
  }
  while (sum > 100) sum -= 1;
  const twice = (x: number) => x * 2;
  return twice(sum) + (label ? 1 : 0);
}
