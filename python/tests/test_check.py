"""`loss_doctor.check`: typed findings parsed from the binary's JSON. Runs under pytest, or without it:
`python test_check.py`."""

import sys
from pathlib import Path

import loss_doctor
from loss_doctor import Finding, LossDoctorError

HERE = Path(__file__).resolve().parent


def test_a_built_in_gives_typed_findings_worst_first() -> None:
    report = loss_doctor.check(loss="dice-floor", simulate=False)
    assert report.exit_code == 1 and report.version == loss_doctor.__version__
    assert [(f.code, f.name, f.severity) for f in report.findings] == [
        ("LD101", "floor-division", "error"), ("LD105", "piecewise-constant", "info"),
        ("LD405", "scale-vs-reference", "info")]
    # The steps follow from the floor division: folded into it, not a warning of their own.
    assert [f.consequence_of for f in report.findings] == [None, "LD101", None]
    first = report.findings[0]
    assert isinstance(first, Finding) and first.loss == "dice-floor"
    assert first.file is None and first.line is None and first.fix == "Use true division `/`."
    assert first.numbers == {"distinct_values_in_sweep": 2}
    assert [f.code for f in report.at_or_above("warning")] == ["LD101"]


def test_a_file_and_function_give_locations() -> None:
    report = loss_doctor.check(HERE / "user_losses.py", "dice_coef_loss", simulate=False)
    floor = report.findings[0]
    assert (floor.code, Path(floor.file or "").name, floor.line, floor.column) == ("LD101", "user_losses.py", 9, 35)
    assert report.losses[0].raw["origin"]["kind"] == "file"


def test_source_text_is_checked_and_located_in_string() -> None:
    source = "def mse(y_true, y_pred):\n    return ((y_true - y_pred) // 2).mean()\n"
    report = loss_doctor.check(source, select=["LD101"], simulate=False)
    assert [(f.code, f.file, f.line) for f in report.findings] == [("LD101", "<string>", 2)]


def test_options_become_flags() -> None:
    report = loss_doctor.check(loss=["dice-floor", "soft-dice"], ignore="LD405", fail_on="info", simulate=False)
    assert [loss.name for loss in report.losses] == ["dice-floor", "soft-dice"]
    assert "LD405" not in {f.code for f in report.findings}


def test_execute_runs_in_the_calling_python_unless_another_is_named() -> None:
    arguments = loss_doctor._check_arguments(["losses.py"], None, None, {"execute": True})
    assert arguments[-3:] == ["--execute", "--python", sys.executable], arguments
    named = loss_doctor._check_arguments(["losses.py"], None, None, {"execute": True, "python": "/opt/py/bin/python"})
    assert named[-3:] == ["--execute", "--python", "/opt/py/bin/python"], named
    assert "--python" not in loss_doctor._check_arguments(["losses.py"], None, None, {})


def test_a_check_that_cannot_run_raises_with_the_binarys_error() -> None:
    for call, expected in ((lambda: loss_doctor.check(HERE / "missing.py"), "no such file"),
                           (lambda: loss_doctor.check(loss="no-such-loss"), "no-such-loss"),
                           (lambda: loss_doctor.check(loss="soft-dice", bogus=1), "unknown option '--bogus'")):
        try:
            call()
        except LossDoctorError as error:
            assert expected in str(error) and error.exit_code == 2, str(error)
        else:
            raise AssertionError(f"expected LossDoctorError mentioning {expected!r}")


if __name__ == "__main__":
    from test_assert_healthy import run_all

    sys.exit(1 if run_all(sys.modules[__name__]) else 0)
