a = [1, 2, 3] * 3
b = (1, 2) + (3,)
c = a[::-2] + a[1:5:2]
d = [x * x for x in range(10) if x % 2]
e = {k: v for k, v in zip("abc", range(3))}
f = sorted([3, 1, 2])
g = list(reversed(a))
h = sum(a) + len(e) + max(a) - min(a)
i, *j = a
a.append(4)
a.extend(b)
k = a.index(2)
l = str(a) + "x" % 3
