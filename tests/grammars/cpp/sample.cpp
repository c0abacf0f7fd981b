// a line comment
#include <vector>
#include <stdexcept>

namespace geo {
int area(int r) { return r * r; }
}

class Stack {
public:
    int size() const { return n; }
private:
    int n = 0;
};

struct P { int x; };

/* A block comment. */
int total(const std::vector<int>& values, int&& extra) {
    int sum = 0;
    auto& first = values[0];
    for (auto v : values) {
        sum += v;
    }
    for (auto& w : values) {
        sum = sum + w;
    }
    auto add = [&](int y) { return y + sum; };
    try {
        sum = geo::area(add(first));
    } catch (const std::exception& e) {
        sum = 0;
    }
    if (sum > 10) {
        sum = 10;
    } else {
        sum--;
    }
    while (sum > 100) sum -= 1;
    return sum + extra;
}
