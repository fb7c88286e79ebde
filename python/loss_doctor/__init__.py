"""LossDoctor for Python: check ML loss functions before you train with them.

The work is done by the bundled native ``loss-doctor`` binary (it never runs your code with Python: its own
interpreter evaluates the loss on synthetic masks and predictions). This module shells out to it and parses
its JSON report (schema: docs/json-schema.md of the LossDoctor repository).

    >>> import loss_doctor
    >>> report = loss_doctor.check(loss="dice-floor", simulate=False)
    >>> [f.code for f in report.findings]
    ['LD101', 'LD105', 'LD405']
    >>> loss_doctor.assert_healthy("src/losses.py")   # in a pytest test  # doctest: +SKIP
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = [
    "Finding",
    "LossReport",
    "Report",
    "LossDoctorError",
    "check",
    "assert_healthy",
    "binary_path",
    "__version__",
]

__version__ = "0.1.0"

#: What can name a file (or several) to check.
PathLike = Union[str, "os.PathLike[str]"]

#: Severities from the most to the least severe, as the binary writes them.
SEVERITIES: Tuple[str, ...] = ("error", "warning", "info")

#: `fail_on` values the binary accepts.
FAIL_ON: Tuple[str, ...] = ("error", "warning", "info", "never")


class LossDoctorError(RuntimeError):
    """The check could not run as a whole (exit status 2 without a report): a usage error, an unknown name,
    an invalid configuration, a missing file. The message is the binary's standard error."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Finding:
    """One finding: a rule that fired on one loss, with where and why."""

    #: The loss it was found in (a built-in's name, or the function's name in a file).
    loss: str
    #: Stable rule code, ``LD`` and three digits (``loss-doctor explain CODE``).
    code: str
    #: Stable kebab-case rule name (``floor-division``).
    name: str
    #: ``"error"``, ``"warning"`` or ``"info"``.
    severity: str
    #: One line stating the fact, with the measured numbers.
    message: str
    #: What to do, an imperative sentence.
    fix: str
    #: The source file, for losses from files; None for built-ins.
    file: Optional[str] = None
    #: 1-based line, or None.
    line: Optional[int] = None
    #: 1-based column, or None.
    column: Optional[int] = None
    #: Supporting evidence, one fact each.
    notes: Tuple[str, ...] = ()
    #: The probe where it showed (``mask/prediction``), or None.
    probe: Optional[str] = None
    #: The measured numbers behind the message, by snake_case name (non-finite numbers are strings).
    numbers: Mapping[str, Any] = field(default_factory=dict)
    #: The root finding's code when this one follows from it (reported as info, folded into the root's
    #: notes: a loss with floor division is also piecewise-constant), or None.
    consequence_of: Optional[str] = None

    @classmethod
    def _from_json(cls, loss: str, raw: Mapping[str, Any]) -> "Finding":
        location = raw.get("location") or {}
        return cls(
            loss=loss,
            code=raw["code"],
            name=raw["name"],
            severity=raw["severity"],
            message=raw["message"],
            fix=raw.get("fix", ""),
            file=location.get("file"),
            line=location.get("line"),
            column=location.get("column"),
            notes=tuple(raw.get("notes", ())),
            probe=raw.get("probe"),
            numbers=dict(raw.get("numbers", {})),
            consequence_of=raw.get("consequence_of"),
        )

    def at_or_above(self, severity: str) -> bool:
        """Whether this finding is at least as severe as `severity` (``"never"``: never)."""
        if severity == "never":
            return False
        return SEVERITIES.index(self.severity) <= SEVERITIES.index(severity)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: " if self.file else f"{self.loss}: "
        return f"{where}{self.severity}[{self.code}] {self.name}: {self.message}"


@dataclass(frozen=True)
class LossReport:
    """What one checked loss gave: its findings (worst first) and the raw JSON entry (probes, sweeps,
    simulated training)."""

    name: str
    findings: Tuple[Finding, ...]
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Report:
    """The report of one ``check``: every loss checked, in order, and the binary's exit status."""

    losses: Tuple[LossReport, ...]
    #: 0 clean, 1 findings at or above ``fail_on``, 2 a file could not be analysed.
    exit_code: int
    #: The version of the binary that wrote it.
    version: str
    #: The whole JSON document.
    raw: Mapping[str, Any]

    @property
    def findings(self) -> List[Finding]:
        """Every finding of every loss, loss by loss, worst first within a loss."""
        return [finding for loss in self.losses for finding in loss.findings]

    def at_or_above(self, severity: str) -> List[Finding]:
        """The findings at least as severe as `severity`."""
        return [finding for finding in self.findings if finding.at_or_above(severity)]

    @property
    def ok(self) -> bool:
        """Whether the binary exited with 0: no finding reached ``fail_on``."""
        return self.exit_code == 0

    @classmethod
    def _from_json(cls, document: Mapping[str, Any], exit_code: int) -> "Report":
        losses = tuple(
            LossReport(
                name=loss["name"],
                findings=tuple(Finding._from_json(loss["name"], f) for f in loss.get("findings", ())),
                raw=loss,
            )
            for loss in document.get("losses", ())
        )
        return cls(losses=losses, exit_code=exit_code, version=document.get("tool", {}).get("version", ""), raw=document)


def binary_path() -> str:
    """The native ``loss-doctor`` binary: ``$LOSS_DOCTOR_BINARY`` if set, else the one in this package."""
    override = os.environ.get("LOSS_DOCTOR_BINARY")
    if override:
        return override
    bundled = Path(__file__).resolve().parent / "bin" / ("loss-doctor.exe" if os.name == "nt" else "loss-doctor")
    if not bundled.is_file():
        raise LossDoctorError(
            f"the loss-doctor binary is missing at {bundled}: install the wheel for your platform "
            "(pip install loss-doctor) or set LOSS_DOCTOR_BINARY"
        )
    return str(bundled)


def _option_arguments(options: Mapping[str, Any]) -> List[str]:
    """``fail_on="warning"`` -> ``--fail-on warning``; ``simulate=False`` -> ``--no-simulate``; True -> a bare
    flag; a list -> comma-separated. Unknown options reach the binary, which rejects them (exit 2)."""
    arguments: List[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                arguments.append(flag)
            elif key == "simulate":
                arguments.append("--no-simulate")
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            value = ",".join(str(item) for item in (sorted(value) if isinstance(value, (set, frozenset)) else value))
        arguments += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return arguments


def _run(arguments: Sequence[str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [binary_path(), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


class _Sources:
    """The paths to pass to the binary, writing source text to a temporary file when given some."""

    def __init__(self, path_or_source: Union[PathLike, Sequence[PathLike], None]) -> None:
        self._directory: Optional[tempfile.TemporaryDirectory[str]] = None
        if path_or_source is None:
            self.paths: List[str] = []
        elif isinstance(path_or_source, str) and "\n" in path_or_source:
            # Source text, not a path: paths have no newline.
            self._directory = tempfile.TemporaryDirectory(prefix="loss-doctor-")
            source = Path(self._directory.name) / "loss.py"
            source.write_text(path_or_source, encoding="utf-8")
            self.paths = [str(source)]
        elif isinstance(path_or_source, (str, os.PathLike)):
            self.paths = [os.fspath(path_or_source)]
        else:
            self.paths = [os.fspath(path) for path in path_or_source]

    def __enter__(self) -> "_Sources":
        return self

    def __exit__(self, *_: object) -> None:
        if self._directory is not None:
            self._directory.cleanup()


def _check_arguments(paths: Sequence[str], function: Optional[str], loss: Union[str, Sequence[str], None],
                     options: Mapping[str, Any]) -> List[str]:
    arguments = ["check", *paths]
    for name in [loss] if isinstance(loss, str) else list(loss or ()):
        arguments += ["--loss", name]
    if function is not None:
        arguments += ["--function", function]
    if not paths and not loss and not options.get("all"):
        raise ValueError("check needs a path, source text, or loss=NAME (a built-in)")
    if options.get("execute") and options.get("python") is None:
        # `execute=True` runs the loss in the framework of the Python that called this, not in whatever python3 is on PATH.
        options = {**options, "python": sys.executable}
    return arguments + _option_arguments(options)


def check(
    path_or_source: Union[PathLike, Sequence[PathLike], None] = None,
    function: Optional[str] = None,
    *,
    loss: Union[str, Sequence[str], None] = None,
    **options: Any,
) -> Report:
    """Checks the losses of a Python file, a directory, several paths, or source text (a string with a
    newline), or built-in losses by name (``loss="dice-floor"``), and returns the parsed report.

    `function` checks only that function or class of the file (``--function``). Keyword `options` become
    the command's flags: ``fail_on="warning"``, ``select=["LD1", "LD2"]``, ``ignore="LD405"``,
    ``input="logits"``, ``layout="NCHW"``, ``simulate=False``, ``config="pyproject.toml"``, ``timeout=20``,
    ``max_steps=...`` (see ``loss-doctor check --help``). ``execute=True`` RUNS THE CODE: the losses are evaluated in
    their own framework by this Python (``sys.executable``) unless ``python=`` names another.

    Raises LossDoctorError when the check could not run at all (bad option, missing file). A file that
    cannot be analysed (a syntax error) gives a report with ``exit_code == 2`` and the error as a finding.
    """
    with _Sources(path_or_source) as sources:
        arguments = _check_arguments(sources.paths, function, loss, options)
        completed = _run(arguments + ["--format", "json"])
        if sources._directory is not None:
            # Findings in the temporary file are findings in the caller's string.
            stdout = completed.stdout.replace(json.dumps(sources.paths[0])[1:-1], "<string>")
        else:
            stdout = completed.stdout
    if completed.returncode not in (0, 1, 2):
        raise LossDoctorError(f"loss-doctor ended with status {completed.returncode}: {completed.stderr.strip()}",
                              completed.returncode)
    try:
        document = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError as error:
        raise LossDoctorError(f"loss-doctor wrote no valid JSON ({error}): {completed.stderr.strip()}") from error
    if document is None:
        raise LossDoctorError(completed.stderr.strip() or f"loss-doctor ended with status {completed.returncode}",
                              completed.returncode)
    return Report._from_json(document, completed.returncode)


def _plain(value: Any) -> Any:
    """An enum member as its value: MONAI's reductions and modes are str enums, and the constructor takes either."""
    import enum

    return value.value if isinstance(value, enum.Enum) and isinstance(value.value, (str, int)) else value


def _literal(value: Any) -> Optional[str]:
    """`value` as Python source LossDoctor's interpreter reads back to the same value, or None."""
    import math

    value = _plain(value)
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        items = [_literal(item) for item in value]
        if any(item is None for item in items):
            return None
        inner = ", ".join(items) + ("," if isinstance(value, tuple) and len(items) == 1 else "")
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return None


def _constructor_call(obj: Any) -> str:
    """The call that rebuilds a live loss object, ``DiceLoss(mode='binary', from_logits=True)``: each parameter of
    its class's ``__init__`` read back from the attribute of the same name (how smp, MONAI and most user losses keep
    them), written only where it differs from the default. A parameter kept under another name stays at its default;
    a value that is not a literal (a tensor of class weights) cannot be rebuilt, and is a TypeError naming it."""
    cls = type(obj)
    try:
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return cls.__name__
    arguments = []
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD) or not hasattr(obj, parameter.name):
            continue
        value = getattr(obj, parameter.name)
        if parameter.default is not parameter.empty:
            try:
                kept, default = _plain(value), _plain(parameter.default)
                if type(kept) is type(default) and kept == default:
                    continue
            except Exception:  # noqa: BLE001 - a value whose == raises (an array) is not the default
                pass
        literal = _literal(value)
        if literal is None:
            raise TypeError(f"{cls.__name__}.{parameter.name} holds a value of type {type(value).__name__}, which loss-doctor cannot "
                            f"rebuild: pass the file with function='{cls.__name__}(...)' and a value it can read")
        arguments.append(f"{parameter.name}={literal}")
    # Built with its defaults, it is the class itself: LossDoctor builds a class the same way, and names it so.
    return f"{cls.__name__}({', '.join(arguments)})" if arguments else cls.__name__


def _target_of(obj: Any) -> Tuple[str, Optional[str]]:
    """The file and, for a function, class or loss object, what to pass as ``--function``: a name, or the
    constructor call that rebuilds the object."""
    if isinstance(obj, (str, os.PathLike)):
        return os.fspath(obj), None
    if isinstance(obj, ModuleType):
        file = getattr(obj, "__file__", None)
        if not file:
            raise TypeError(f"module {obj.__name__!r} has no source file to check")
        return file, None
    instance = not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj))
    live = obj
    if instance:
        # A loss object (`DiceLoss(sigmoid=True)`): its class is what the file defines, built as configured.
        obj = type(obj)
    obj = inspect.unwrap(obj) if inspect.isfunction(obj) else obj
    try:
        file = inspect.getsourcefile(obj)
    except TypeError as error:
        raise TypeError(f"{obj!r} is not defined in a Python source file: pass its file path instead") from error
    if file is None:
        raise TypeError(f"{obj!r} has no source file to check")
    qualified = getattr(obj, "__qualname__", obj.__name__)
    if "." in qualified:
        raise TypeError(f"{qualified} is not defined at the top level of {file}: "
                        "loss-doctor checks module-level functions and classes")
    return file, _constructor_call(live) if instance else obj.__name__


def assert_healthy(obj: Any, fail_on: str = "warning", **options: Any) -> Report:
    """Asserts that a loss has no finding at or above `fail_on` (``"error"``, ``"warning"``, ``"info"``).

    `obj` is a file path, a module, a function or class object, or a loss object as configured
    (``monai.losses.DiceLoss(sigmoid=True)``): a function or class is checked in its source file with
    ``--function NAME``, an object with the constructor call that rebuilds it (``--function 'DiceLoss(sigmoid=True)'``,
    its ``__init__`` parameters read back from its attributes of the same name). On failure it raises
    AssertionError whose message is the findings in the text format, so pytest shows them. Other keyword
    `options` are as for :func:`check`. Returns the report when healthy.
    """
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    path, function = _target_of(obj)
    report = check(path, function, fail_on=fail_on, **options)
    if report.exit_code == 0:
        return report
    # The text report, exactly as the command line writes it: findings with source lines and fixes.
    text = _run(_check_arguments([path], function, None, {**options, "fail_on": fail_on})
                + ["--format", "text", "--color", "never"])
    shown = ", ".join(f"{f.code} {f.name}" for f in report.at_or_above(fail_on)) or "the file could not be analysed"
    name = function or path
    raise AssertionError(f"loss-doctor: {name} is not healthy at fail_on={fail_on!r} ({shown})\n\n"
                         + text.stdout.rstrip() + ("\n" + text.stderr.rstrip() if text.stderr.strip() else ""))
