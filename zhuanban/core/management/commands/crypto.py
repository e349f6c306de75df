"""``zhuanban crypto rotate``: re-encrypt every stored encrypted value under the current key and suite.

``zhuanban crypto status`` shows the suite, the current key and how many values use each key.
Add the new key first in ``ZHUANBAN_CRYPTO_KEYS`` (keeping the old ones), run ``rotate``, check
``status``, and only then remove the old keys.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from zhuanban.core import audit, crypto
from zhuanban.core.fields import EncryptedTextField


def encrypted_fields() -> list[tuple[Any, EncryptedTextField]]:
    return [(model, field) for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)]


def _raw_values(model: Any, field: EncryptedTextField) -> list[tuple[Any, str]]:
    # Raw column values (ciphertext), bypassing from_db_value.
    from django.db import connection

    table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} WHERE {qn(column)} <> ''")
        return list(cursor.fetchall())


def rotate(batch: int = 500) -> dict[str, int]:
    provider = crypto.get_provider()
    from django.db import connection

    qn = connection.ops.quote_name
    counts: dict[str, int] = {}
    for model, field in encrypted_fields():
        label = f"{model._meta.label_lower}.{field.name}"
        counts[label] = 0
        rows = [(pk, v) for pk, v in _raw_values(model, field) if v and not provider.is_current(v)]
        for start in range(0, len(rows), batch):
            with transaction.atomic(), connection.cursor() as cursor:
                for pk, value in rows[start:start + batch]:
                    plain = (provider.decrypt_text(value, aad=field.aad) if crypto.looks_encrypted(value)
                             else value)
                    cursor.execute(
                        f"UPDATE {qn(model._meta.db_table)} SET {qn(field.column)} = %s "
                        f"WHERE {qn(model._meta.pk.column)} = %s AND {qn(field.column)} = %s",
                        [provider.encrypt_text(plain, aad=field.aad), pk, value],
                    )
                    counts[label] += cursor.rowcount
    return counts


class Command(BaseCommand):
    help = "加密密钥管理：rotate 用当前密钥重新加密所有加密字段；status 查看各密钥的使用情况"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rotate", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        provider = crypto.get_provider()
        if options["action"] == "status":
            self.stdout.write(f"suite={provider.name} current={provider.current_key_id} "
                              f"keys={','.join(provider.key_ids())}")
            for model, field in encrypted_fields():
                used = Counter(v.partition(":")[0] if crypto.looks_encrypted(v) else "(plaintext)"
                               for _, v in _raw_values(model, field))
                self.stdout.write(f"  {model._meta.label_lower}.{field.name}: {dict(used)}")
            return
        counts = rotate()
        with transaction.atomic():
            from zhuanban.core.models import AuditEvent

            audit.record(None, "crypto.rotate", None, object_type=AuditEvent._meta.label_lower,
                         object_repr="加密字段密钥轮换",
                         after={"key": provider.current_key_id, "suite": provider.name, "rows": counts})
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n} re-encrypted")
        self.stdout.write(f"current key {provider.current_key_id} ({provider.name})")
