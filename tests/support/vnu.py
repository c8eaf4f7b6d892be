"""The W3C Nu HTML Checker (vnu.jar from npm, run with Java)."""

import json
import shutil
import subprocess

from . import NODE_TOOLS

VNU = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(paths):
    result = subprocess.run(
        [shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True, text=True, check=False, timeout=300)
    return json.loads(result.stderr or '{"messages": []}')["messages"]
