"""``python -m loss_doctor`` and the ``loss-doctor`` console script: the bundled binary, with the same
arguments, standard streams and exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import List, Optional

from loss_doctor import LossDoctorError, binary_path


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the binary with `argv` (default: this process's arguments) and returns its exit status; on
    POSIX the binary replaces this process, so nothing of Python stays between it and the caller."""
    arguments = sys.argv[1:] if argv is None else argv
    try:
        binary = binary_path()
    except LossDoctorError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    if os.name == "posix" and argv is None:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(binary, ["loss-doctor", *arguments])
    return subprocess.call([binary, *arguments])


if __name__ == "__main__":
    sys.exit(main())
