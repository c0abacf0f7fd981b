// a line comment
import fs from "fs";
import { join } from "path";

/* A block comment. */
class Cart {
  total(prices, discount = 0, ...rest) {
    let sum = 0;
    var unused;
    const { a, b = 1 } = prices;
    const [c, d] = rest;
    sum = a + c;
    sum += b;
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
    do { sum++; } while (sum < 0);
    try { fs.readFileSync(join(d)); } catch (err) { sum = 0; }
    const twice = x => x * 2;
    const add = function (u, v) { return u + v; };
    return twice(sum) + add(discount, 1);
  }
}

function* gen(n) { yield n; }

function area(r) {
  for (var j = 0; j < r; j++) {}
  return r * r;
}
