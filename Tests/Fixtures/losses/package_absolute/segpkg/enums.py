# Reduction names shared by the package's losses (read by absolute import from inside the package).
class Reduction:
    MEAN = "mean"
    SUM = "sum"
