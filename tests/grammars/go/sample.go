package main

import (
	"fmt"
	str "strings"
)

/* A block comment. */
const limit = 3

// a line comment
func Total(prices []int, names ...string) int {
	sum := 0
	var count int = len(prices)
	var unused string
	sum = count
	sum += limit
	for i := 0; i < len(prices); i++ {
		sum++
	}
	for _, p := range prices {
		sum = sum + p
	}
	if sum > 10 {
		sum = 10
	} else {
		sum--
	}
	for j := 0; j < 2; {
		j++
	}
	for sum > 100 {
		sum -= 1
	}
	twice := func(x int) int { return x * 2 }
	s := "text"
	fmt.Println(str.ToUpper(s), names, unused)
	return twice(sum)
}
