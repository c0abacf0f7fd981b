<?php
// a line comment
# a hash comment
/* A block comment. */
class Cart {}

function total($prices, $discount = 0, ...$rest) {
    $sum = 0;
    [$a, $b] = $rest;
    $sum = $a + $b;
    $sum += $discount;
    for ($i = 0; $i < count($prices); $i++) {
        $sum++;
    }
    foreach ($prices as $p) {
        $sum = $sum + $p;
    }
    foreach ($prices as $k => $v) {
        $sum = $sum + $v;
    }
    if ($sum > 10) {
        $sum = 10;
    } elseif ($sum > 5) {
        $sum = 5;
    } else {
        $sum--;
    }
    while ($sum > 100) { $sum -= 1; }
    do { $sum++; } while ($sum < 0);
    try { area($sum); } catch (Exception $e) { $sum = 0; }
    $twice = function ($x) use ($sum) { return $x * 2; };
    $add = fn($u) => $u + 1;
    return $twice($sum) + $add(1);
}

function area($r) { return $r * $r; }
