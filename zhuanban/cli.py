"""The ``zhuanban`` console command: a thin wrapper over Django's management commands.

``zhuanban serve`` runs the web server, ``zhuanban demo`` loads the public cases, ``zhuanban migrate``,
``zhuanban createsuperuser``, ``zhuanban import FILE``, ``zhuanban token USERNAME``,
``zhuanban generate --scale province``, ``zhuanban bench``; any other Django management command works too.

``--db sqlite|postgres`` (``generate`` and ``bench``) picks the benchmark database before Django starts:
sqlite → ``ZHUANBAN_BENCH_SQLITE_URL`` (default ``var/bench.sqlite3``), postgres →
``ZHUANBAN_BENCH_POSTGRES_URL`` (default the loopback cluster of ``scripts/bench-postgres.sh``).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"serve": "runserver"}
BENCH_COMMANDS = ("generate", "bench")
BENCH_POSTGRES_DEFAULT = "postgres://zhuanban@127.0.0.1:55432/zhuanban_bench"


def bench_database(args: list[str]) -> str | None:
    """The database URL ``--db`` asks for, or None when it is not given."""
    choice = None
    for i, a in enumerate(args):
        if a == "--db" and i + 1 < len(args):
            choice = args[i + 1]
        elif a.startswith("--db="):
            choice = a.split("=", 1)[1]
    if choice == "sqlite":
        from pathlib import Path

        var = Path(os.environ.get("ZHUANBAN_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
        return os.environ.get("ZHUANBAN_BENCH_SQLITE_URL", f"sqlite:///{var / 'bench.sqlite3'}")
    if choice == "postgres":
        return os.environ.get("ZHUANBAN_BENCH_POSTGRES_URL", BENCH_POSTGRES_DEFAULT)
    return None  # argparse reports an unknown choice


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanban.settings")
    from django.core.management import execute_from_command_line

    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        execute_from_command_line(["zhuanban", "help"])
        return
    args[0] = ALIASES.get(args[0], args[0])
    if args[0] in BENCH_COMMANDS and (url := bench_database(args)):
        os.environ["ZHUANBAN_DATABASE_URL"] = url
    execute_from_command_line(["zhuanban", *args])


if __name__ == "__main__":
    main()
