"""Module docstring."""
import os
import numpy as np
from math import sqrt


class Cart:
    """Class docstring."""

    def add(self, name, *rest, qty=1, price: float, tax: float = 0.2, **opts):
        """Function docstring."""
        total: float = price * qty  # a comment
        count: int
        self.items.append(name)
        self.total += total
        return total


def area(r, scale=lambda x, y: x + y):
    a, b = r, 2
    (c, d) = a, b
    [e, f] = c, d
    squares = [y * y for y in range(a)]
    if (n := len(squares)) > 3:
        a = n
    elif b:
        b = 1
    else:
        b = 2
    for item in squares:
        b += item
    for g in squares:
        pass
    else:
        b = 0
    while b > 0:
        b -= 1
    with open(r) as fh:
        "a statement string"
    try:
        sqrt(a)
    except ValueError as err:
        print(err, key=a)
    return os.path.join(np.pi, sqrt(a)) + e + f
