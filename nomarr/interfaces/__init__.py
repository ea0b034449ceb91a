"""Interfaces: entry points (CLI, HTTP, workers) that call services and workflows; never AQL or the driver."""
