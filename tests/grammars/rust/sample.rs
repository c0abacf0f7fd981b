// a line comment
/* A block comment. */
struct Point { x: i32 }
enum Shape { Dot }

impl Point {
    fn area(&self) -> i32 { self.x * self.x }
}

pub fn total(prices: &[i32], mut discount: i32) -> i32 {
    let mut sum = 0;
    let (mut a, b) = (1, 2);
    a += 1;
    let limit: i32 = a + b;
    sum = limit;
    sum += discount;
    discount = 0;
    for p in prices {
        sum = sum + p;
    }
    if sum > 10 {
        sum = 10;
    } else {
        sum -= 1;
    }
    match Some(sum) {
        Some(v) => sum = v,
        None => sum = 0,
    }
    while sum > 100 {
        sum -= 1;
    }
    loop { break; }
    let twice = |x| x * 2;
    twice(sum) + discount
}
