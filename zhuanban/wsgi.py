from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanban.settings")
application = get_wsgi_application()

# Every server (`zhuanban serve`, gunicorn, uwsgi) loads this module: refuse to serve production while demo
# accounts, whose password is published, are still active (issue #5).
from zhuanban.accounts.checks import refuse_demo_accounts  # noqa: E402

refuse_demo_accounts()
