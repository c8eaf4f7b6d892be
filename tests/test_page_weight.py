"""Every page's HTML plus CSS fits in one round trip (14 KB compressed), with no
render-blocking script and no third-party request: measured by the repo's own script."""

import random
import string
import subprocess
import sys

from .support import ROOT

SCRIPT = ROOT / "scripts" / "pageweight.py"


def test_every_page_is_within_the_weight_bar(built_site):
    result = subprocess.run([sys.executable, str(SCRIPT), str(built_site), "--max-kb", "14", "--quiet"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 over a bar" in result.stdout


def test_the_script_catches_heavy_pages_and_third_party_requests(tmp_path):
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "site.css").write_text("body{}")
    rng = random.Random(1)
    noise = "".join(rng.choice(string.ascii_letters) for _ in range(40_000))
    (tmp_path / "heavy.html").write_text(f"<!DOCTYPE html><title>x</title><p>{noise}</p>")
    (tmp_path / "tracked.html").write_text(
        '<!DOCTYPE html><head><link rel="stylesheet" href="/theme/site.css">'
        '<script src="https://cdn.example.com/a.js"></script></head><body></body>')
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "--quiet"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "heavy.html" in result.stdout and "over 14 KB" in result.stdout
    assert "render-blocking script" in result.stdout and "third-party request" in result.stdout
