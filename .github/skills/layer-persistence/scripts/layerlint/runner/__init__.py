"""The external-tool runner behind ``lint.py``: one adapter per tool, run concurrently."""
