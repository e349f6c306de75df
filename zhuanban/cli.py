"""The ``zhuanban`` console command: a thin wrapper over Django's management commands.

``zhuanban serve`` runs the web server, ``zhuanban demo`` loads the public cases, ``zhuanban migrate``,
``zhuanban createsuperuser``, ``zhuanban import FILE``, ``zhuanban token USERNAME``; any other Django
management command works too.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"serve": "runserver"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanban.settings")
    from django.core.management import execute_from_command_line

    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        execute_from_command_line(["zhuanban", "help"])
        return
    args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["zhuanban", *args])


if __name__ == "__main__":
    main()
