"""The reminder poster drives `gh` with argument lists: tested against a stand-in
`gh` on PATH that records its arguments (GitHub itself is not reachable here)."""

import json
import os
import stat
import subprocess
import sys

from .support import ROOT

FAKE_GH = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:3] == ["issue", "list"]:
    print(json.dumps([{"number": 7, "labels": [{"name": "review:topic-a"}]},
                      {"number": 9, "labels": [{"name": "review:topic-gone"}, {"name": "other"}]}]))
"""


def test_poster_updates_opens_and_closes(tmp_path):
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(FAKE_GH)
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    reminders = [
        {"topic": "topic-a", "title": "Review due: A (1 overdue)", "label": "review:topic-a",
         "body": "$(rm -rf /) `x` ; body A"},
        {"topic": "topic-b", "title": "Review due: B (2 overdue)", "label": "review:topic-b", "body": "body B"},
    ]
    data = tmp_path / "reminders.json"
    data.write_text(json.dumps(reminders))
    log = tmp_path / "gh.log"
    env = {**os.environ, "PATH": f"{gh.parent}{os.pathsep}{os.environ['PATH']}", "GH_LOG": str(log)}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "post_reminders.py"), str(data)],
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["updated #7 review:topic-a", "opened review:topic-b",
                                          "closed #9 review:topic-gone"]
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls[1][:3] == ["issue", "edit", "7"] and "--body-file" in calls[1]
    assert ["issue", "create", "--title", "Review due: B (2 overdue)", "--label", "review:topic-b",
            "--body-file"] == calls[3][:7]
    assert calls[4][:3] == ["issue", "close", "9"]
