"""Services: long-lived application logic; decisions such as health and liveness live here, not in persistence."""
