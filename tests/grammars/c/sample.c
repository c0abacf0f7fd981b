/* A block comment. */
#include <stdio.h>

int prototype(int n);

// a line comment
int total(const int *values, int n, char name[]) {
    int sum = 0;
    int *cursor = (int *)values;
    int buf[2] = {1, 2};
    int count;
    int *ptr;
    int arr[3];
    count = n;
    sum += count;
    for (int i = 0; i < n; i++) {
        sum = sum + values[i];
    }
    if (sum > 10) {
        sum = 10;
    } else {
        sum--;
    }
    while (sum > 100) sum -= 1;
    do { sum++; } while (sum < 0);
    return sum + buf[0] + *cursor + name[0] + prototype(count);
}
