from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import text


def test_pages_need_a_login_and_send_you_to_the_chinese_login_page(cast, client):
    response = client.get(reverse("taskforce_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = text(client.get(response["Location"]))
    assert "登录名" in page and "密码" in page and 'lang="zh-CN"' in page


def test_logging_in_lands_on_the_task_force_list(cast, client):
    response = client.post(reverse("login"), {"username": "alice", "password": cast.password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("taskforce_list")
    assert "物业管理条例立法专班" in text(response)


def test_a_wrong_password_is_refused_in_chinese(cast, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in text(response)


def test_login_names_are_case_insensitive(cast, client):
    response = client.post(reverse("login"), {"username": "ALICE", "password": cast.password})
    assert response.status_code == 302


def test_logout_is_a_post_and_ends_the_session(cast, as_user):
    client = as_user(cast.alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("taskforce_list")).status_code == 302


def test_home_redirects_to_the_task_force_list(cast, as_user):
    response = as_user(cast.bob).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("taskforce_list")


def test_navbar_has_the_main_sections_and_the_user(cast, as_user):
    page = text(as_user(cast.alice).get(reverse("taskforce_list")))
    for label in ("专班", "组织名录", "我的", "退出登录", "王组长", "navbar-toggler"):
        assert label in page


def test_healthz_still_answers(client, db):
    assert client.get("/healthz").json()["status"] == "ok"


def test_pages_use_local_assets_and_no_inline_script(cast, as_user):
    client = as_user(cast.alice)
    for url in (reverse("taskforce_list"), reverse("tf_structure", args=[cast.tf.pk]), reverse("tf_new"),
                reverse("tf_new_step", args=[2])):
        page = client.get(url, follow=True).content.decode()
        assert "cdn" not in page.lower() and "https://" not in page
        for tag in page.split("<script")[1:]:
            head, _, rest = tag.partition(">")
            assert "src=" in head or 'type="application/json"' in head, f"inline script on {url}: {tag[:80]}"
