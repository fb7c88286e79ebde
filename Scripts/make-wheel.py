#!/usr/bin/env python3
"""Writes the loss-doctor wheel from a built binary and python/, with the standard library only (no build
backend to download, no network). Run by Scripts/build-wheel.sh; see docs/ci.md, "Releasing".

The platform tag comes from the binary itself: its ELF machine gives the architecture, and the newest
GLIBC_2.N symbol version it needs gives manylinux_2_N (PEP 600: the wheel installs on any Linux whose glibc
is 2.N or newer).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / "python"
# Zip entries get this date so that the same inputs give the same bytes (zip cannot store earlier dates).
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
ELF_MACHINES = {62: "x86_64", 183: "aarch64"}


def read_project(pyproject: Path) -> Dict[str, object]:
    """The [project] table of pyproject.toml."""
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # pragma: no cover - older interpreters
        return read_project_minimal(pyproject.read_text(encoding="utf-8"))
    with pyproject.open("rb") as handle:
        return tomllib.load(handle)["project"]


def read_project_minimal(text: str) -> Dict[str, object]:
    """The keys of [project] this script uses, from the plain layout of our own pyproject.toml, for Pythons
    without tomllib: `key = "string"` lines, `key = [ "a", "b" ]` arrays and the [project.*] tables."""
    project: Dict[str, object] = {}
    table = ""
    lines = iter(text.splitlines())
    for line in lines:
        line = line.split(" #", 1)[0].strip()
        if line.startswith("["):
            table = line.strip("[]")
            continue
        match = re.match(r'([\w-]+|"[^"]+")\s*=\s*(.*)', line)
        if not match or not table.startswith("project"):
            continue
        key, value = match.group(1).strip('"'), match.group(2)
        if value.startswith("[") and not value.endswith("]"):
            for more in lines:
                value += more.strip()
                if more.strip().endswith("]"):
                    break
        if value.startswith("["):
            parsed: object = re.findall(r'"([^"]*)"', value)
        elif value.startswith("{"):
            parsed = dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', value))
        else:
            parsed = value.strip('"')
        if table == "project":
            project[key] = parsed
        else:
            project.setdefault(table.split(".", 1)[1], {})[key] = parsed  # type: ignore[index]
    return project


def platform_tag(binary: bytes) -> str:
    """manylinux_2_N_ARCH for an ELF binary: N is the newest GLIBC_2.N version it needs."""
    if binary[:4] != b"\x7fELF":
        raise SystemExit("error: the binary is not an ELF file; wheels are built for Linux only")
    machine = int.from_bytes(binary[18:20], "little")
    arch = ELF_MACHINES.get(machine)
    if arch is None:
        raise SystemExit(f"error: unknown ELF machine {machine}")
    # Version-need strings live in .dynstr; nothing else in the binary spells GLIBC_2.N.
    minors = [int(m) for m in re.findall(rb"GLIBC_2\.(\d+)(?![\d.])", binary)]
    if not minors:
        raise SystemExit("error: the binary needs no versioned glibc symbol: is it linked statically?")
    return f"manylinux_2_{max(minors)}_{arch}"


def urlsafe_digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def metadata(project: Dict[str, object], readme: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
    ]
    if "keywords" in project:
        lines.append("Keywords: " + ",".join(project["keywords"]))  # type: ignore[arg-type]
    license_ = project.get("license")
    if isinstance(license_, dict) and "text" in license_:
        lines.append(f"License: {license_['text']}")
    lines += [f"Classifier: {c}" for c in project.get("classifiers", [])]  # type: ignore[union-attr]
    for label, url in dict(project.get("urls", {})).items():  # type: ignore[arg-type]
        lines.append(f"Project-URL: {label}, {url}")
    lines += [f"Requires-Python: {project['requires-python']}", "Description-Content-Type: text/markdown"]
    return "\n".join(lines) + "\n\n" + readme


def stripped(binary: Path) -> bytes:
    """The binary without its symbol tables (about half its size; backtraces lose function names)."""
    strip = shutil.which("strip")
    if strip is None:
        return binary.read_bytes()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "loss-doctor"
        shutil.copyfile(binary, copy)
        subprocess.run([strip, "--strip-all", str(copy)], check=True)
        return copy.read_bytes()


def build(binary: Path, out: Path, strip: bool) -> Path:
    project = read_project(PYTHON / "pyproject.toml")
    name, version = str(project["name"]), str(project["version"])
    reported = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout.split()
    if reported[-1:] != [version]:
        raise SystemExit(f"error: the binary is version {' '.join(reported)}, python/pyproject.toml says {version}")
    package_version = re.search(r'^__version__ = "([^"]+)"', (PYTHON / "loss_doctor" / "__init__.py").read_text(), re.M)
    if not package_version or package_version.group(1) != version:
        raise SystemExit(f"error: loss_doctor.__version__ differs from python/pyproject.toml's {version}")

    executable = stripped(binary) if strip else binary.read_bytes()
    tag = f"py3-none-{platform_tag(executable)}"
    distribution = name.replace("-", "_")
    dist_info = f"{distribution}-{version}.dist-info"

    files: List[Tuple[str, bytes, int]] = []  # (path in the wheel, contents, mode)
    for source in sorted((PYTHON / "loss_doctor").rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts and source.suffix in (".py", ".typed"):
            files.append((source.relative_to(PYTHON).as_posix(), source.read_bytes(), 0o644))
    files.append(("loss_doctor/bin/loss-doctor", executable, 0o755))
    scripts = dict(project.get("scripts", {}))  # type: ignore[arg-type]
    entry_points = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in sorted(scripts.items()))
    readme = (PYTHON / str(project.get("readme", "README.md"))).read_text(encoding="utf-8")
    files += [
        (f"{dist_info}/METADATA", metadata(project, readme).encode(), 0o644),
        (f"{dist_info}/WHEEL", (f"Wheel-Version: 1.0\nGenerator: loss-doctor Scripts/make-wheel.py\n"
                                f"Root-Is-Purelib: false\nTag: {tag}\n").encode(), 0o644),
        (f"{dist_info}/entry_points.txt", entry_points.encode(), 0o644),
    ]
    record = "".join(f"{path},{urlsafe_digest(data)},{len(data)}\n" for path, data, _ in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode(), 0o644))

    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{distribution}-{version}-{tag}.whl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, data, mode in files:
            info = zipfile.ZipInfo(path, date_time=FIXED_DATE)
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    wheel.write_bytes(buffer.getvalue())
    return wheel


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=Path, required=True, help="the release loss-doctor binary")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="directory for the wheel (default: dist)")
    parser.add_argument("--no-strip", action="store_true", help="keep the binary's symbol tables")
    arguments = parser.parse_args(argv)
    wheel = build(arguments.binary, arguments.out, strip=not arguments.no_strip)
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
