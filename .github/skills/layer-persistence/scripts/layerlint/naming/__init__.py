"""The AST naming and layering rules behind ``check_naming.py``.

``check(root)`` returns findings as data; ``report`` renders them; ``cli`` wires the two.
"""
