"""Generator phase "notices" (placeholder; filled below)."""

from __future__ import annotations

from zhuanban.scale.gen_common import Context


def run(ctx: Context) -> None:
    return None
