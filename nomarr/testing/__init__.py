"""Test support for projects built on nomarr: the pytest plugin :mod:`.pytest_plugin`."""
