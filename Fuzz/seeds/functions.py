def f(x, *args, y=2, **kw):
    return x + y + len(args) + len(kw)


g = lambda n: n if n < 2 else g(n - 1) + g(n - 2)
h = f(1, 2, 3, y=4, z=5) + g(10)


class A:
    def __init__(self, k=1):
        self.k = k

    def __call__(self, x):
        return x * self.k


m = A(3)(4)
