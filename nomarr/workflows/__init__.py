"""Workflows: multi-step use cases that orchestrate services and the Database (``db.<ops>.<method>()``)."""
