"""The account pages: Chinese, local assets only, no inline script, reachable from the navbar."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.conftest import enable_2fa, login
from tests.web.conftest import text


def assert_clean(page: str, url: str) -> None:
    assert "cdn" not in page.lower() and "https://" not in page, url
    for tag in page.split("<script")[1:]:
        head, _, _ = tag.partition(">")
        assert "src=" in head, f"inline script on {url}: {tag[:80]}"


@pytest.mark.parametrize("url", ["/account/", "/account/2fa/setup/", "/account/reauth/",
                                 "/account/password/required/"])
def test_account_pages_are_clean(cast, as_user, url):
    response = as_user(cast.bob).get(url)
    assert response.status_code == 200
    assert_clean(response.content.decode(), url)


def test_the_otp_step_page_is_clean(cast):
    enable_2fa(cast.bob)
    client = Client()
    login(client, "bob", cast.password)
    response = client.get("/login/verify/")
    assert response.status_code == 200 and "双因素认证" in text(response)
    assert_clean(response.content.decode(), "/login/verify/")


def test_the_navbar_links_to_the_account_page(cast, as_user):
    page = text(as_user(cast.alice).get("/tf/"))
    assert 'href="/account/"' in page and "账号安全" in page


def test_the_account_page_shows_every_section(cast, as_user):
    page = text(as_user(cast.alice).get("/account/"))
    for label in ("修改密码", "双因素认证", "登录会话", "API 令牌", "当前会话"):
        assert label in page
