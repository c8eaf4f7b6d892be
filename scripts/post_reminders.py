"""Open, update or close the review reminder issues, one per topic.

Reads the JSON that `casehub reminders` prints and drives the GitHub CLI (`gh`)
with argument lists, never a shell, so nothing from an entry is interpreted.
An issue is found by its label (`review:<topic>`): updated if open, created if
not, and closed with a thank-you once its topic has nothing overdue.

    casehub reminders > reminders.json && python scripts/post_reminders.py reminders.json
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

LABEL_PREFIX = "review:"


def gh(*args: str) -> str:
    return subprocess.run(["gh", *args], check=True, capture_output=True, text=True).stdout


def open_reminders() -> dict[str, int]:
    """Open reminder issues by label."""
    found = json.loads(gh("issue", "list", "--state", "open", "--limit", "200", "--json", "number,labels"))
    return {label["name"]: issue["number"] for issue in found for label in issue["labels"]
            if label["name"].startswith(LABEL_PREFIX)}


def post(reminders: list[dict]) -> list[str]:
    existing = open_reminders()
    done = []
    for reminder in reminders:
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as body:
            body.write(reminder["body"])
        label = reminder["label"]
        if label in existing:
            gh("issue", "edit", str(existing[label]), "--title", reminder["title"], "--body-file", body.name)
            done.append(f"updated #{existing[label]} {label}")
        else:
            gh("label", "create", label, "--force", "--color", "d4351c",
               "--description", "Entries on this topic are overdue for review")
            gh("issue", "create", "--title", reminder["title"], "--label", label, "--body-file", body.name)
            done.append(f"opened {label}")
        Path(body.name).unlink()
    current = {r["label"] for r in reminders}
    for label, number in sorted(existing.items()):
        if label not in current:
            gh("issue", "close", str(number), "--comment", "Every entry on this topic has been reviewed. Thank you.")
            done.append(f"closed #{number} {label}")
    return done


def main() -> int:
    reminders = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for line in post(reminders):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
