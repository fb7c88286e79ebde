from .overlap import OverlapLoss
