"""The API's browsable documentation works without internet: its assets come from us."""
import re

import pytest


@pytest.mark.django_db
def test_swagger_ui_loads_its_assets_from_this_server(logged_in_client):
    page = logged_in_client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"(?:src|href)='([^']+)'", html)
    assert any("swagger-ui" in s for s in sources), sources
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))], sources
    asset = next(s for s in sources if s.endswith("swagger-ui-bundle.js"))
    # Served by whitenoise/staticfiles, not a dangling link.
    assert logged_in_client.get(asset).status_code == 200
