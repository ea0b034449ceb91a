"""Layer-lint tooling for nomarr's persistence layer.

Two entry points share this package: ``check_naming.py`` (the AST rules in ``layerlint.naming``)
and ``lint.py`` (the external-tool runner in ``layerlint.runner``). Both produce ``Finding``
objects; rendering is kept apart from checking.
"""
