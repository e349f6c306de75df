"""Funds and resources (issue #9): budget lines, expenses, procurement and office space/equipment, returned at dissolution."""
