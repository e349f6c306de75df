"""Signals of the reports app.

``collected_data_read``: someone was shown a template's collected data — the aggregate page, the period
aggregate or the trend through the API.  Sent after the read succeeded (a refused read sends nothing), with
``template_id``.  The insight app counts these for its check "reports collected that nobody reads"; the
reports app does not need to know who listens.
"""

from __future__ import annotations

from django.dispatch import Signal

collected_data_read = Signal()
