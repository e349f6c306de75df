"""The UI is Chinese by default and English through Django i18n: the language cookie, the switcher."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.web.conftest import text


@pytest.fixture(autouse=True)
def _restore_language():
    # LocaleMiddleware activates the request's language for the whole thread and never resets it;
    # put the default back so later tests (run in the same thread) still see Chinese.
    before = translation.get_language()
    yield
    translation.activate(before or settings.LANGUAGE_CODE)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def switcher(page: str) -> str:
    m = re.search(r'<form[^>]*data-testid="language-switcher".*?</form>', page, flags=re.S)
    assert m, "no language switcher on the page"
    return m.group(0)


def test_the_task_force_list_is_chinese_by_default(cast, as_user):
    page = text(as_user(cast.alice).get(reverse("taskforce_list")))
    assert 'lang="zh-CN"' in page
    for expected in ("工作专班", "组织名录", "退出登录", "组建专班", "5 人"):
        assert expected in page
    for english_only in ("Task forces", "Directory", "Log out"):
        assert english_only not in page


def test_the_task_force_list_in_english(cast, as_user):
    page = text(english(as_user(cast.alice)).get(reverse("taskforce_list")))
    assert 'lang="en"' in page
    assert "<title>Task forces · Task Force Platform</title>" in page
    for expected in ('<h1 class="h4 m-0">Task forces</h1>', "Directory", "Me", "Log out", "Form a task force",
                     "Filter", "Overdue only", "5 people"):
        assert expected in page
    for chinese in ("组织名录", "退出登录", "组建专班", "仅看超期未撤销"):
        assert chinese not in page
    assert "物业管理条例立法专班" in page  # data is never translated


def test_the_task_force_page_in_english(cast, as_user):
    client = english(as_user(cast.alice))
    page = text(client.get(reverse("tf_detail", args=[cast.tf.pk])))
    for tab in ("Overview", "Type and basis", "Structure", "Members", "History"):
        assert f">{tab}</a>" in page
    for heading in ("Quantified targets", "Demand list", "Basis and term", "Dissolution criteria"):
        assert heading in page
    for chinese in ("概况", "类型与依据", "历史记录", "量化目标", "需求清单"):
        assert chinese not in page

    members = text(client.get(reverse("tf_members", args=[cast.tf.pk])))
    assert "Active members" in members and "Member units and liaisons" in members
    assert "5 active, 1 of them full-time; total workload 220%" in members


def test_the_task_force_page_is_chinese_by_default(cast, as_user):
    page = text(as_user(cast.alice).get(reverse("tf_detail", args=[cast.tf.pk])))
    for expected in ("概况", "类型与依据", "组织架构", "成员", "历史记录", "量化目标", "需求清单"):
        assert expected in page
    assert "Overview" not in page


def test_every_page_offers_the_switcher_with_both_languages(cast, as_user):
    form = switcher(text(as_user(cast.bob).get(reverse("tf_detail", args=[cast.tf.pk]))))
    assert f'action="{reverse("set_language")}"' in form and 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    assert f'name="next" value="{reverse("tf_detail", args=[cast.tf.pk])}"' in form
    assert re.search(r'name="language" value="zh-hans"[^>]*aria-pressed="true"[^>]*>简体中文</button>', form)
    assert re.search(r'name="language" value="en"[^>]*aria-pressed="false"[^>]*>English</button>', form)


def test_the_login_page_offers_the_switcher_too(cast, client):
    page = text(client.get(reverse("login")))
    form = switcher(page)
    assert ">简体中文</button>" in form and ">English</button>" in form
    english_login = text(english(client).get(reverse("login")))
    assert "Username" in english_login and "Password" in english_login and "Log in" in english_login


def test_no_inline_script_is_added(cast, as_user):
    page = text(as_user(cast.alice).get(reverse("taskforce_list")))
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " onclick=" not in page and " onchange=" not in page


def test_the_switcher_sets_the_cookie_and_returns_to_the_page(cast, as_user):
    client = as_user(cast.alice)
    here = reverse("tf_detail", args=[cast.tf.pk])
    response = client.post(reverse("set_language"), {"language": "en", "next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Overview" in text(client.get(here))

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": here})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = text(client.get(here))
    assert "概况" in page and "Overview" not in page


def test_the_switcher_refuses_an_outside_next_url(cast, as_user):
    client = as_user(cast.alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.status_code in (204, 302)
    assert "evil.example" not in response.get("Location", "")


def test_an_english_browser_still_gets_the_chinese_ui_until_the_user_switches(cast, as_user):
    client = as_user(cast.alice)
    page = client.get(reverse("taskforce_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "专班" in page and 'lang="zh-CN"' in page
