"""The benchmark's instruments measure what they say: peak memory of a whole process
tree, search bytes until the first results and until the search is complete, the
targets' verdicts, and the benchmark end to end on a tiny library."""

from __future__ import annotations

import os
import sys
import textwrap

import pytest

from .support import ROOT, require_tool
from .support.browser import MISSING, available

sys.path.insert(0, str(ROOT / "scripts"))
from benchreport import evaluate, markdown  # noqa: E402
from firstsearch import first_search  # noqa: E402
from peakmem import PeakMemory, usable_cgroup  # noqa: E402

# The command itself stays small; two processes it starts hold 120 MB and 80 MB at the same time.
TREE = textwrap.dedent("""
    import subprocess, sys
    hold = "b = bytearray({} * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(1.2)"
    children = [subprocess.Popen([sys.executable, "-c", hold.format(n)]) for n in (120, 80)]
    sys.exit(max(child.wait() for child in children))
""")


@pytest.mark.parametrize("method", ["cgroup", "psutil"])
def test_peak_memory_is_of_the_whole_process_tree(method):
    if method == "cgroup" and not usable_cgroup():
        pytest.skip("no memory cgroup this process may make here")
    meter = PeakMemory(allow_cgroup=method == "cgroup")
    assert meter.method.startswith(method)
    step = meter.run([sys.executable, "-c", TREE])
    assert step.status == 0
    assert 195 < step.peak_mb < 400  # both children at once, which no single process's maximum shows
    assert step.seconds >= 1.2


def test_a_failing_step_reports_its_status_and_message():
    step = PeakMemory().run([sys.executable, "-c", "import sys; sys.exit('no such library')"])
    assert step.status == 1
    assert "no such library" in step.stderr


PARTITIONED = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Search</title></head><body>
<p id="search-status"></p><ol id="search-results"></ol>
<script>
(async () => {
  const list = document.getElementById("search-results"), status = document.getElementById("search-status");
  await (await fetch("/newest.bin")).arrayBuffer();
  if (PARTS) list.setAttribute("data-search-state", "partial");
  list.innerHTML = "<li>One</li>";
  status.textContent = "1 result";
  await new Promise(done => setTimeout(done, 300));
  await (await fetch("/older.bin")).arrayBuffer();
  list.innerHTML = "<li>One</li><li>Two</li>";
  status.textContent = "2 results";
  if (PARTS) list.setAttribute("data-search-state", "complete");
})();
</script></body></html>
"""


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("parts", [True, False])
def test_first_search_counts_bytes_until_the_first_results_and_until_complete(tmp_path, parts):
    require_tool(available(), MISSING)
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.html").write_text(PARTITIONED.replace("PARTS", str(parts).lower()))
    (tmp_path / "newest.bin").write_bytes(os.urandom(20_000))
    (tmp_path / "older.bin").write_bytes(os.urandom(50_000))
    found = first_search(tmp_path, "anything")
    first, complete = found["bytes"], found["complete"]["bytes"]
    assert found["results"] == 1
    assert 20_000 < first < 25_000  # the page and the newest part, not the older one
    assert complete - first >= 50_000
    assert found["complete"]["results"] == 2
    assert found["complete"]["reached"]
    assert found["complete"]["states"] == (["partial", "complete"] if parts else [])
    assert found["complete"]["seconds"] >= (found["seconds"] + 0.3 if parts else found["seconds"])


def result(count=10_000, cold=30.0, warm=9.0, hugo=(5.0, 10.0), page_kb=13.0, search_kb=(290, 310), peak_mb=7000):
    steps = {"cold": cold, "warm": warm, "validate": 2.0, "hugo": hugo[0], "hugo+pf": hugo[1]}
    return {"count": count, "cache_mb": 12.0, "pages": 100, "output_mb": 5.0, "preview_seconds": 0.5,
            "steps": {name: {"seconds": s, "peak_mb": peak_mb if name == "cold" else 100.0, "status": 0,
                             "peak_with_cache_mb": None, "runs": 1} for name, s in steps.items()},
            "heaviest_page": {"page": "a/index.html", "kb": page_kb},
            "first_search": {f"q{i}": {"bytes": kb * 1024, "requests": 20, "complete": {"bytes": kb * 2048,
                                                                                        "requests": 30}}
                             for i, kb in enumerate(search_kb)}}


def test_each_target_is_met_or_not_by_what_was_measured():
    verdicts = {v["target"]: v for v in evaluate(result())}
    assert verdicts["cold"]["measured"] == pytest.approx(2.0)
    assert verdicts["cold"]["met"] is False
    assert verdicts["warm"]["measured"] == pytest.approx(0.6) and verdicts["warm"]["met"] is True
    assert verdicts["page"]["met"] is True
    assert verdicts["first_search"]["measured"] == 310 and verdicts["first_search"]["met"] is False
    assert verdicts["peak"]["measured"] == pytest.approx(7000 / 1024) and verdicts["peak"]["met"] is True
    assert evaluate(result(cold=22.5))[0]["met"] is True
    small = {v["target"]: v for v in evaluate(result(count=1000))}
    assert small["warm"]["set_at_this_size"] is False and small["cold"]["set_at_this_size"] is True
    without_hugo = result()
    del without_hugo["steps"]["hugo"]
    assert {v["target"]: v["met"] for v in evaluate(without_hugo)}["cold"] is None


def test_the_report_is_markdown_with_a_verdict_per_target():
    results = [result(count=1000), result()]
    for r in results:
        r["targets"] = evaluate(r)
    text = markdown(results, "a test", 3)
    assert "| 10,000 | cold build ÷ Hugo + Pagefind cold | 2.00 × | 1.5 × | **not met** |" in text
    assert "| 1,000 | warm build (cache restored) ÷ Hugo + Pagefind cold | 0.60 × | 1 × | (met) |" in text
    assert "290 KB, 20 requests | 580 KB, 30 requests" in text
    assert "Measured by a test." in text


def test_the_benchmark_runs_end_to_end_on_a_tiny_library(tmp_path):
    import bench

    found = bench.bench(12, tmp_path, PeakMemory(), repeat=1, queries=())
    assert {"validate", "cold", "warm", "warm-kept"} <= found["steps"].keys()
    assert all(step["status"] == 0 for step in found["steps"].values())
    assert all(found["steps"][name]["peak_mb"] > 30 for name in ("cold", "warm", "warm-kept"))  # Python and Pelican
    assert found["pages"] > 12
    assert found["heaviest_page"]["kb"] > 1
    assert len(found["targets"]) == 7
    edited = sorted((tmp_path / "library-12" / "casestudies").glob("*.md"))[4]
    assert "the benchmark added" not in edited.read_text(encoding="utf-8")  # put back as it was
