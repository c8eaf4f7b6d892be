"""The date a build is for (CASEHUB_TODAY, else SOURCE_DATE_EPOCH, else today) and dates
in English on any machine: the same library built under a Welsh locale and under the C
locale gives the same pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date

import pytest

from casehub.site.dates import BuildDateError, build_date, long_date, month_name

from .support import ROOT, require_tool

EPOCH = "1700000000"  # 22:13 UTC on 14 November 2023


def test_dates_are_written_the_gov_uk_way():
    assert long_date(date(2025, 3, 3)) == "3 March 2025"
    assert long_date(date(2024, 12, 31)) == "31 December 2024"
    assert [month_name(date(2025, m, 1)) for m in (1, 9)] == ["January", "September"]


def test_the_build_date_is_the_setting_then_source_date_epoch_then_today():
    assert build_date({"CASEHUB_TODAY": date(2020, 5, 1)}, {"SOURCE_DATE_EPOCH": EPOCH}) == date(2020, 5, 1)
    assert build_date({}, {"SOURCE_DATE_EPOCH": EPOCH}) == date(2023, 11, 14)
    assert build_date({}, {"SOURCE_DATE_EPOCH": "1700008200"}) == date(2023, 11, 15)  # 00:30 UTC: a UTC date
    assert build_date({}, {"SOURCE_DATE_EPOCH": ""}) == date.today()
    assert build_date({}, {}) == date.today()


@pytest.mark.parametrize("value", ["yesterday", "1.5e9", "99999999999999999999"])
def test_a_source_date_epoch_that_is_not_a_time_stops_the_build(value):
    with pytest.raises(BuildDateError) as raised:
        build_date({}, {"SOURCE_DATE_EPOCH": value})
    assert repr(value) in str(raised.value) and "seconds since 1 January 1970" in str(raised.value)


BUILD = ("import sys; from casehub.site.build import build; "
         "build(sys.argv[1], 'publishconf.py', sys.argv[2], search=False)")


def test_a_welsh_desktop_builds_the_same_english_pages(tmp_path):
    localedef = shutil.which("localedef")
    require_tool(localedef is not None, "localedef (glibc) is needed to make a Welsh locale for this test")
    locales = tmp_path / "locales"
    locales.mkdir()
    subprocess.run([localedef, "-i", "cy_GB", "-f", "UTF-8", str(locales / "cy_GB.UTF-8")], check=True,
                   capture_output=True)
    outputs = {}
    machines = {"c": {"LC_ALL": "C.UTF-8"}, "welsh": {"LC_ALL": "cy_GB.UTF-8", "LOCPATH": str(locales)}}
    for name, extra in machines.items():
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **extra}
        subprocess.run([sys.executable, "-c", BUILD, str(ROOT), str(tmp_path / name)], check=True, env=env,
                       capture_output=True)
        outputs[name] = {str(p.relative_to(tmp_path / name)): p.read_bytes()
                         for p in (tmp_path / name).rglob("*.html")}
    assert outputs["welsh"] == outputs["c"]
    stats = outputs["c"]["stats/index.html"].decode("utf-8")
    assert '<time datetime="2023-11-14">14 November 2023</time>' in stats  # the build is as of SOURCE_DATE_EPOCH
    assert "Tachwedd" not in outputs["welsh"]["stats/index.html"].decode("utf-8")
