from django.urls import reverse


def test_the_help_page_renders_the_chinese_user_help_with_its_tables(cast, client):
    client.force_login(cast.bob)
    page = client.get(reverse("help")).content.decode()
    assert "组建向导" in page and "<table>" in page
    assert 'data-testid="nav-help"' in page


def test_the_help_page_needs_a_login(db, client):
    assert client.get(reverse("help")).status_code == 302
