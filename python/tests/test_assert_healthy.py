"""The pytest helper as users call it: `assert_healthy` on their own function, class, instance, module or
file. Runs under pytest, or without it: `python test_assert_healthy.py` runs every test_ function."""

import sys
from pathlib import Path

import loss_doctor
import user_losses
from user_losses import ConfigurableDice, SoftDiceLoss, WeightedDice, dice_coef_loss, soft_dice_loss

HERE = Path(__file__).resolve().parent


def test_a_healthy_function_passes() -> None:
    report = loss_doctor.assert_healthy(soft_dice_loss)
    assert report.ok and [loss.name for loss in report.losses] == ["soft_dice_loss"]
    # Info findings stay below the default fail_on="warning".
    assert all(f.severity == "info" for f in report.findings), report.findings


def test_a_healthy_class_and_its_instance_pass() -> None:
    assert loss_doctor.assert_healthy(SoftDiceLoss).losses[0].name == "SoftDiceLoss"
    assert loss_doctor.assert_healthy(SoftDiceLoss(smooth=1.0)).losses[0].name == "SoftDiceLoss"


def test_a_loss_object_is_checked_as_configured() -> None:
    # Built by default it is healthy; configured with floor=True, the check rebuilds it the same way and fails.
    assert loss_doctor.assert_healthy(ConfigurableDice(), simulate=False).ok
    try:
        loss_doctor.assert_healthy(ConfigurableDice(smooth=2.0, floor=True), simulate=False)
    except AssertionError as error:
        message = str(error)
    else:
        raise AssertionError("assert_healthy passed ConfigurableDice(floor=True), which floor-divides")
    assert "ConfigurableDice(smooth=2.0, floor=True) is not healthy" in message, message
    assert "error[LD101] floor-division" in message, message


def test_a_loss_object_holding_a_value_without_a_literal_is_refused() -> None:
    assert loss_doctor.assert_healthy(WeightedDice(weight=[0.5, 2.0]), simulate=False).ok
    try:
        loss_doctor.assert_healthy(WeightedDice(weight=object()), simulate=False)
    except TypeError as error:
        assert "WeightedDice.weight holds a value of type object, which loss-doctor cannot rebuild" in str(error), str(error)
    else:
        raise AssertionError("an object attribute cannot be written as a constructor argument")


def test_the_seeds_loss_fails_with_its_findings_in_the_text_format() -> None:
    try:
        loss_doctor.assert_healthy(dice_coef_loss)
    except AssertionError as error:
        message = str(error)
    else:
        raise AssertionError("assert_healthy passed the seed's floor-division Dice")
    assert "not healthy at fail_on='warning' (LD101 floor-division, LD501 stalled-training)" in message, message
    # The text report: the finding, its location in user_losses.py, the source line with a caret, the fix.
    assert "error[LD101] floor-division: floor division `//` cuts the gradient: the loss cannot train" in message
    assert "user_losses.py:9:35" in message, message
    assert "    return (2 * intersection + 1) // (y_true.sum() + y_pred.sum() + 1)" in message
    assert "= fix: Use true division `/`." in message


def test_fail_on_error_lets_warnings_through_and_never_passes_everything() -> None:
    assert loss_doctor.assert_healthy(dice_coef_loss, fail_on="never").exit_code == 0
    try:
        loss_doctor.assert_healthy(dice_coef_loss, fail_on="error", simulate=False)
    except AssertionError as error:
        assert "(LD101 floor-division)" in str(error), str(error)
    else:
        raise AssertionError("LD101 is an error: fail_on='error' must fail")


def test_a_module_and_a_path_check_every_loss_of_the_file() -> None:
    for target in (user_losses, HERE / "user_losses.py", str(HERE / "user_losses.py")):
        try:
            loss_doctor.assert_healthy(target, simulate=False)
        except AssertionError as error:
            assert "dice_coef_loss" in str(error) and "LD101" in str(error), str(error)
        else:
            raise AssertionError(f"assert_healthy({target!r}) passed a file holding the seed's loss")


def test_a_nested_function_is_refused_with_the_reason() -> None:
    def local_loss(y_true, y_pred):
        return ((y_true - y_pred) ** 2).mean()

    try:
        loss_doctor.assert_healthy(local_loss)
    except TypeError as error:
        assert "not defined at the top level" in str(error), str(error)
    else:
        raise AssertionError("a nested function has no name --function can find")


def test_a_bad_fail_on_is_a_value_error() -> None:
    try:
        loss_doctor.assert_healthy(soft_dice_loss, fail_on="warnings")
    except ValueError as error:
        assert "fail_on must be one of error, warning, info, never" in str(error)
    else:
        raise AssertionError("fail_on='warnings' accepted")


def run_all(module: object) -> int:
    """Runs the test_ functions of `module` without pytest; returns the number that failed."""
    failed = 0
    for name in sorted(n for n in vars(module) if n.startswith("test_")):
        try:
            getattr(module, name)()
        except Exception as error:  # noqa: BLE001 - a failing test, reported below
            failed += 1
            print(f"FAILED {name}: {type(error).__name__}: {error}")
        else:
            print(f"passed {name}")
    return failed


if __name__ == "__main__":
    sys.exit(1 if run_all(sys.modules[__name__]) else 0)
