"""The OpenAPI document names each schema once: two classes with the same name (RuleIn of the dispute
ruling and of the reminder rules, say) would leave one endpoint documented with the other's body."""

from __future__ import annotations

import collections
import importlib
import inspect
import pkgutil

from ninja import Schema

import zhuanban


def _schema_classes() -> dict[str, set[str]]:
    names: dict[str, set[str]] = collections.defaultdict(set)
    for module in pkgutil.walk_packages(zhuanban.__path__, "zhuanban."):
        leaf = module.name.rsplit(".", 1)[-1]
        if leaf in ("schemas", "api") or leaf.startswith("api_"):
            mod = importlib.import_module(module.name)
            for name, value in vars(mod).items():
                if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == mod.__name__:
                    names[name].add(f"{value.__module__}.{name}")
    return names


def test_no_two_api_schemas_share_a_name():
    clashes = {name: sorted(where) for name, where in _schema_classes().items() if len(where) > 1}
    assert not clashes, f"rename one of each: {clashes}"

