"""Phone and ID-card numbers are encrypted at rest, masked in pages and the API, and shown in full only
to the person, their home-unit leader and system administrators — each view audited."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client

from zhuanban.core.masking import mask_id_card, mask_phone
from zhuanban.core.models import AuditEvent
from zhuanban.core.tokens import issue_token
from zhuanban.org import services as org_services
from zhuanban.org.models import Person

PHONE = "13812345678"
ID_CARD = "11010119900307123X"


@pytest.fixture
def bob(cast):
    Person.objects.filter(pk=cast.people.bob.pk).update(phone=PHONE, id_card_no=ID_CARD)
    return Person.objects.get(pk=cast.people.bob.pk)


def api(user):
    return Client(headers={"Authorization": f"Bearer {issue_token(user)}"})


def test_masking_rules():
    assert mask_phone(PHONE) == "138****5678"
    assert mask_phone("010-87654321") == "010*****4321"
    assert mask_phone("12345") == "***45"
    assert mask_id_card(ID_CARD) == "110101********123X"
    assert mask_phone("") == mask_id_card(None) == ""


def test_personal_data_is_encrypted_in_the_database(bob):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_card_no FROM org_person WHERE id = %s", [bob.pk])
        phone, id_card = cursor.fetchone()
    assert PHONE not in phone and "5678" not in phone and phone.startswith("dev:")
    assert ID_CARD not in id_card and id_card.startswith("dev:")
    assert (bob.phone, bob.id_card_no) == (PHONE, ID_CARD)


def test_a_ciphertext_moved_to_another_column_does_not_decrypt(bob):
    from zhuanban.core.crypto import CryptoError

    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_person SET id_card_no = phone WHERE id = %s", [bob.pk])
    with pytest.raises(CryptoError):
        Person.objects.get(pk=bob.pk)


def test_create_person_encrypts_and_audits_only_masked_values(cast):
    p = org_services.create_person(cast.admin, name="新人", home_unit=cast.units.gov, staffing="administrative",
                                   phone=PHONE, id_card_no=ID_CARD.lower())
    assert Person.objects.get(pk=p.pk).id_card_no == ID_CARD
    event = AuditEvent.objects.get(action="org.person_create", object_id=str(p.pk))
    assert event.after["phone"] == "138****5678" and event.after["id_card_no"] == "110101********123X"
    assert PHONE not in json.dumps(event.after)


def test_the_api_shows_masked_values(cast, bob):
    body = api(cast.alice).get(f"/api/v1/people/{bob.pk}").json()
    assert (body["phone"], body["id_card_no"]) == ("138****5678", "110101********123X")


def test_the_person_page_shows_masked_values(cast, bob):
    c = Client()
    c.force_login(cast.alice)
    html = c.get(f"/people/{bob.pk}/").content.decode()
    assert "138****5678" in html and PHONE not in html and ID_CARD not in html
    assert 'data-testid="unmask"' not in html  # alice may not see it in full


@pytest.mark.parametrize("who", ["bob", "hank", "admin"])
def test_the_person_their_unit_leader_and_admins_may_see_it_in_full_and_it_is_audited(cast, bob, who):
    user = getattr(cast, who)
    response = api(user).get(f"/api/v1/people/{bob.pk}/unmasked")
    assert response.status_code == 200
    assert response.json() == {"id": bob.pk, "name": bob.name, "phone": PHONE, "id_card_no": ID_CARD}
    event = AuditEvent.objects.filter(action="org.pii_view", object_id=str(bob.pk)).get()
    assert event.actor == user and event.outcome == "success"
    c = Client()
    c.force_login(user)
    html = c.get(f"/people/{bob.pk}/").content.decode()
    assert 'data-testid="unmask"' in html and PHONE not in html
    html = c.get(f"/people/{bob.pk}/?full=1").content.decode()
    assert PHONE in html and ID_CARD in html
    assert AuditEvent.objects.filter(action="org.pii_view", object_id=str(bob.pk)).count() == 2


@pytest.mark.parametrize("who", ["alice", "liam", "olivia"])
def test_others_are_refused_and_the_attempt_is_audited(cast, bob, who):
    user = getattr(cast, who)
    response = api(user).get(f"/api/v1/people/{bob.pk}/unmasked")
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    event = AuditEvent.objects.get(action="org.pii_view", object_id=str(bob.pk))
    assert event.outcome == "failure" and event.actor == user
    c = Client()
    c.force_login(user)
    assert c.get(f"/people/{bob.pk}/?full=1").status_code == 403


def test_people_outside_ones_view_are_a_404(cast, bob):
    # erin (external) sees only herself and her task force's contacts
    assert api(cast.erin).get(f"/api/v1/people/{bob.pk}/unmasked").status_code == 404
