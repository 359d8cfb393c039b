"""The HTML report in a real browser: headless Chromium loads it, logs no console errors,
shows highlights and SVG charts, and renders the fixture's <script> as text.

Skipped when chromium is missing, unless CI=true (then a missing browser is a failure).
To look at the report yourself:

    python -m framing.screenshot reports/report.html reports/report.png
    FRAMING_SCREENSHOT=reports/fixture.png pytest tests/test_report_browser.py   # keeps this test's PNG
"""
from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pytest

import framing
from framing.report import write_report
from framing.screenshot import dump_dom, find_chromium, screenshot

from conftest import FIXTURES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    path = find_chromium()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is required under CI (apt-get install chromium)")
        pytest.skip("chromium not installed (apt-get install chromium, or make browser)")
    return path


@pytest.fixture(scope="module")
def report_html(tmp_path_factory, chromium) -> Path:
    out = tmp_path_factory.mktemp("report")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_report(framing.analyze(FIXTURES / "report" / "corpus"), out)
    return out / "report.html"


@pytest.fixture(scope="module")
def loaded(report_html):
    return dump_dom(report_html)


def test_page_loads_without_console_output(loaded):
    assert loaded.stdout.strip().endswith("</html>"), loaded.stderr[-2000:]
    # The report has no scripts, so any console line (an error, a CSP violation) is a failure.
    assert not loaded.console_lines, loaded.console_lines


def test_console_check_catches_a_failing_page(tmp_path, chromium):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><script>missingFunction();</script></body></html>')
    assert any("missingFunction" in line for line in dump_dom(page).console_lines)


def test_highlights_and_charts_are_in_the_rendered_page(loaded):
    dom = loaded.stdout
    assert len(re.findall(r'<mark class="[^"]*\bf cat-', dom)) >= 10
    assert dom.count("<svg") >= 2
    assert 'class="fn"' in dom and "What these indicators mean" in dom


def test_article_script_is_text_not_code(loaded):
    dom = loaded.stdout
    assert "<script" not in dom  # no script element exists, the fixture's or any other
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_screenshot_can_be_taken(report_html, tmp_path):
    keep = os.environ.get("FRAMING_SCREENSHOT")
    out = Path(keep) if keep else tmp_path / "report.png"
    screenshot(report_html, out, width=1280, height=2000)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a real, non-blank image
