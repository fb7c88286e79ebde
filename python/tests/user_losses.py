"""Losses as a user's project has them, for the tests of the pytest helper. Written with tensor methods
(`.sum()`, as in PyTorch and NumPy), so that this module imports without any framework installed:
LossDoctor reads the source, it never imports the framework."""


def dice_coef(y_true, y_pred):
    # The seed's Dice (datascience.stackexchange.com question 80180): floor division `//` instead of `/`.
    intersection = (y_true * y_pred).sum()
    return (2 * intersection + 1) // (y_true.sum() + y_pred.sum() + 1)


def dice_coef_loss(y_true, y_pred):
    return 1 - dice_coef(y_true, y_pred)


def soft_dice_loss(y_true, y_pred, smooth=1.0):
    intersection = (y_true * y_pred).sum()
    return 1 - (2.0 * intersection + smooth) / (y_true.sum() + y_pred.sum() + smooth)


class SoftDiceLoss:
    def __init__(self, smooth=1.0):
        self.smooth = smooth

    def __call__(self, y_true, y_pred):
        return soft_dice_loss(y_true, y_pred, self.smooth)


class ConfigurableDice:
    """Healthy as built by default; `floor=True` brings back the seed's floor division."""

    def __init__(self, smooth=1.0, floor=False):
        self.smooth = smooth
        self.floor = floor

    def __call__(self, y_true, y_pred):
        intersection = (y_true * y_pred).sum()
        total = y_true.sum() + y_pred.sum() + self.smooth
        if self.floor:
            return 1 - (2 * intersection + self.smooth) // total
        return 1 - (2 * intersection + self.smooth) / total


class WeightedDice(ConfigurableDice):
    """Keeps a weight LossDoctor cannot rebuild from a literal."""

    def __init__(self, weight=None):
        super().__init__()
        self.weight = weight
