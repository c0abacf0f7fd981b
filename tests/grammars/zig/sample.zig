//! A module doc comment.
// a line comment
/// A doc comment.
const std = @import("std");

fn total(prices: []const i32, k: i32) i32 {
    var sum: i32 = 0;
    const limit = k;
    sum = limit;
    sum += k;
    for (prices) |p| {
        sum += p;
    }
    if (sum > 10) {
        sum = 10;
    } else {
        sum = 0;
    }
    const v = if (sum > 1) sum else k;
    while (sum > 100) : (sum -= 1) {}
    if (maybe(k)) |m| {
        sum += m;
    }
    while (maybe(sum)) |w| {
        sum += w;
    }
    const safe = fail() catch |err| blk: {
        _ = err;
        break :blk 0;
    };
    return sum + v + safe + std.math.maxInt(i32);
}

fn maybe(x: i32) ?i32 {
    return x;
}

fn fail() !i32 {
    return error.Oops;
}
