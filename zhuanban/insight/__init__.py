"""Insight (issue #9): dashboards, the task-force health checks (空转, 形式主义), the dissolution summary."""
