"""The statements' math font: built from npm into web/static/fonts/, served from this origin, used by the CSS."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

import web

FONT = Path(web.__file__).parent / "static" / "fonts" / "stix-two-math.woff2"


@pytest.fixture
def built_font() -> Path:
    """The font `make editor` (run by `make run` and `make test`) copies from web/frontend's packages."""
    if not FONT.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{FONT} is missing: the frontend build did not run")
        pytest.skip("the math font is not built: run `make editor`")
    return FONT


def test_the_stylesheet_gives_math_elements_the_served_font_swapping_in(client, built_font):
    with client.get("/static/style.css") as answer:
        css = answer.text
    face = re.search(r"@font-face \{[^}]*\}", css)
    assert face and 'font-family: "STIX Two Math"' in face[0] and "font-display: swap" in face[0]
    assert re.search(r'\nmath \{ font-family: "STIX Two Math", math; \}', css)
    url = re.search(r'url\("([^"]+)"\) format\("woff2"\)', face[0])
    assert url and urljoin("/static/style.css", url[1]) == "/static/fonts/stix-two-math.woff2"


def test_the_math_font_is_served_from_this_origin_as_woff2(client, built_font):
    with client.get("/static/fonts/stix-two-math.woff2") as answer:
        assert answer.status_code == 200 and answer.content_type == "font/woff2"
        assert answer.data[:4] == b"wOF2" and answer.data == built_font.read_bytes()
        policy = answer.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'self';") and "font-src" not in policy and "https:" not in policy
