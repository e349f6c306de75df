"""The crypto provider: both suites round-trip, detect tampering, rotate keys; configuration is checked."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from zhuanban.core import crypto

K1 = base64.b64encode(b"1" * 32).decode()
K2 = base64.b64encode(b"2" * 32).decode()


def provider(suite: str, keys: str = f"k1:{K1}") -> crypto.CryptoProvider:
    return crypto.build_provider({"SUITE": suite, "KEYS": keys})


@pytest.mark.parametrize("suite", ["gm", "intl"])
def test_both_suites_round_trip_text_and_bytes(suite):
    p = provider(suite)
    token = p.encrypt_text("13812345678 张三", aad="org.person.phone")
    assert token.startswith("k1:") and "138" not in token
    assert p.decrypt_text(token, aad="org.person.phone") == "13812345678 张三"
    assert p.decrypt(p.encrypt(b"\x00\xff")) == b"\x00\xff"
    assert p.encrypt_text("x") != p.encrypt_text("x")  # randomised nonce


def test_the_suites_are_sm3_sm4_and_sha256_aes():
    assert provider("gm").hash(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")  # GB/T 32905 test vector
    assert provider("intl").hash(b"abc").hex().startswith("ba7816bf")
    gm_payload = base64.b64decode(provider("gm").encrypt(b"x").split(":")[1])
    intl_payload = base64.b64decode(provider("intl").encrypt(b"x").split(":")[1])
    assert gm_payload[0] == crypto.GM.alg and intl_payload[0] == crypto.INTL.alg


@pytest.mark.parametrize("suite", ["gm", "intl"])
def test_a_tampered_ciphertext_or_wrong_context_is_refused(suite):
    p = provider(suite)
    token = p.encrypt_text("secret", aad="a")
    kid, b64 = token.split(":")
    raw = bytearray(base64.b64decode(b64))
    raw[-20] ^= 0x01
    with pytest.raises(crypto.CryptoError):
        p.decrypt(f"{kid}:{base64.b64encode(bytes(raw)).decode()}", aad=b"a")
    with pytest.raises(crypto.CryptoError):
        p.decrypt_text(token, aad="b")  # copied into another column
    with pytest.raises(crypto.CryptoError):
        provider(suite, f"k1:{K2}").decrypt_text(token, aad="a")  # another key under the same id


@pytest.mark.parametrize("suite", ["gm", "intl"])
def test_hmac_names_its_key_and_verifies_after_rotation(suite):
    old = provider(suite, f"k1:{K1}")
    mac = old.mac(b"event", purpose="audit")
    rotated = provider(suite, f"k2:{K2},k1:{K1}")
    assert rotated.current_key_id == "k2"
    assert rotated.verify_mac(b"event", mac, purpose="audit")
    assert not rotated.verify_mac(b"event!", mac, purpose="audit")
    assert not rotated.verify_mac(b"event", mac, purpose="other")
    assert not provider(suite, f"k3:{K2}").verify_mac(b"event", mac, purpose="audit")


def test_old_keys_still_decrypt_after_rotation_and_switching_suite():
    token = provider("gm", f"k1:{K1}").encrypt_text("x")
    rotated = provider("intl", f"k2:{K2},k1:{K1}")
    assert rotated.decrypt_text(token) == "x"
    assert not rotated.is_current(token)
    assert rotated.is_current(rotated.encrypt_text("x"))


def test_keys_come_from_a_key_file(tmp_path):
    f = tmp_path / "keys"
    f.write_text(f"# current first\nk2:{K2}\nk1:{K1}\n")
    p = crypto.build_provider({"SUITE": "gm", "KEY_FILE": str(f)})
    assert p.current_key_id == "k2" and p.key_ids() == ["k2", "k1"]


@pytest.mark.parametrize("keys", ["nokey", "k1:notbase64!", f"k1:{base64.b64encode(b'short').decode()}",
                                  f"k1:{K1},k1:{K2}", f"bad id:{K1}"])
def test_bad_key_configuration_is_refused(keys):
    with pytest.raises(ImproperlyConfigured):
        crypto.build_provider({"SUITE": "gm", "KEYS": keys})


def test_production_without_a_key_refuses_but_development_derives_one():
    with pytest.raises(ImproperlyConfigured, match="No encryption key"):
        crypto.build_provider({"SUITE": "gm", "DEV_KEY": False})
    assert crypto.build_provider({"SUITE": "gm", "DEV_KEY": True}).current_key_id == "dev"


class CipherMachine(crypto.SoftwareProvider):
    """Stands in for a certified cipher machine plugged in through ZHUANBAN_CRYPTO_PROVIDER."""

    def __init__(self, conf):
        super().__init__(crypto.GM, {"hsm1": b"h" * 32}, "hsm1")
        self.name = "hsm"


def make_machine(conf):
    return CipherMachine(conf)


def test_a_deployment_can_plug_in_its_own_provider():
    with override_settings(CRYPTO={"PROVIDER": "tests.security.test_crypto.make_machine"}):
        p = crypto.get_provider()
        assert p.name == "hsm" and p.encrypt_text("x").startswith("hsm1:")
    assert crypto.get_provider().name == "gm"


def _raw_phone(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM org_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotate_re_encrypts_stored_values_under_the_current_key(cast, capsys):
    from zhuanban.org.models import Person

    bob = cast.people.bob
    with override_settings(CRYPTO={"SUITE": "gm", "KEYS": f"k1:{K1}"}):
        Person.objects.filter(pk=bob.pk).update(phone="13812345678")
        assert _raw_phone(bob.pk).startswith("k1:")
    with override_settings(CRYPTO={"SUITE": "intl", "KEYS": f"k2:{K2},k1:{K1}"}):
        assert Person.objects.get(pk=bob.pk).phone == "13812345678"  # the old key still decrypts
        call_command("crypto", "rotate")
        assert _raw_phone(bob.pk).startswith("k2:")
        assert Person.objects.get(pk=bob.pk).phone == "13812345678"
        call_command("crypto", "status")
        assert "k2" in capsys.readouterr().out
    with override_settings(CRYPTO={"SUITE": "intl", "KEYS": f"k2:{K2}"}):  # the old key can now go
        assert Person.objects.get(pk=bob.pk).phone == "13812345678"
