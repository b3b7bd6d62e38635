"""What every page shares: the icon, the error pages and the style sheet's colours."""

from __future__ import annotations

from xml.etree import ElementTree


def test_every_page_links_the_svg_icon_and_favicon_ico_leads_to_it(client):
    login = client.get("/login").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login
    answer = client.get("/favicon.ico")
    assert (answer.status_code, answer.headers["Location"]) == (301, "/static/favicon.svg")
    with client.get("/static/favicon.svg") as icon:
        assert (icon.status_code, icon.mimetype) == (200, "image/svg+xml")
        assert ElementTree.fromstring(icon.data).tag == "{http://www.w3.org/2000/svg}svg"
