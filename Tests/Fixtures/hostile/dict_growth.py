# Hand review: dict items were found by a linear scan, so 100 000 insertions at the top level took 12 s
# (quadratic); a key index makes it 0.1 s, and the step limit still ends the loop.
# outcome: analysed
x = {}
for i in range(100000):
    x[i] = i
def loss(y_true, y_pred):
    return y_pred
