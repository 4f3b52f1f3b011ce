#!/usr/bin/env python
"""Fail when the Swedish catalogue is behind the source strings.

Extracts the strings again (makemessages into a scratch copy of the catalogue), then
fails on any entry that is untranslated or fuzzy, and on a compiled .mo that does not
match its .po. Changes nothing in the work tree. Needs gettext (msgattrib, msgfmt).
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "sv" / "LC_MESSAGES"


def main() -> int:
    po, mo = CATALOGUE / "django.po", CATALOGUE / "django.mo"
    saved = po.read_bytes()
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "anhorigstod.settings"}
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        try:
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete",
                 "--ignore", ".venv", "--ignore", "node_modules", "--ignore", "tests"],
                cwd=ROOT, env=env, check=True, capture_output=True,
            )  # fmt: skip
            fresh = Path(scratch) / "fresh.po"
            shutil.copy(po, fresh)
        finally:
            po.write_bytes(saved)
        for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
            out = subprocess.run(
                ["msgattrib", flag, "--no-obsolete", str(fresh)], capture_output=True, text=True, check=True
            ).stdout
            entries = [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
            if entries:
                problems.append(f"{len(entries)} {what} string(s) in the Swedish catalogue: " + "; ".join(entries[:10]))
        compiled = Path(scratch) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
        if not mo.exists() or not filecmp.cmp(compiled, mo, shallow=False):
            problems.append("locale/sv/LC_MESSAGES/django.mo is not compiled from django.po: run make messages")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("Swedish catalogue complete.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
