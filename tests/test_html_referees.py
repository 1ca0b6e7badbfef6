"""The HTML edition before its referees: axe-core in Chromium (WCAG 2.2 A/AA) and the Nu checker, every page."""
from __future__ import annotations

import os

import pytest

from publish.referees import RefereeUnavailable, axe, vnu


def _run(check, paths):
    try:
        return check(paths)
    except RefereeUnavailable as exc:
        if os.environ.get("PUBLISH_REFEREES_REQUIRED"):
            raise
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def pages(flagship_build):
    """Every page of the English, Japanese and bilingual HTML editions."""
    found = sorted(str(p) for p in flagship_build.glob("*/html/*.html"))
    assert len(found) == 36
    return found


def test_axe_finds_no_violation_on_any_page(pages):
    findings = _run(axe.check_html, pages)
    assert [str(f) for f in findings] == []


def test_nu_checker_finds_no_error_on_any_page(pages):
    findings = _run(vnu.check_html, pages)
    assert [str(f) for f in findings] == []
